/*
 * wagtail-helpcenter: small enhancements. Every page works without this file.
 *
 * Feedback forms (form[data-hc-feedback]) are sent in the background and the server's answer,
 * the re-rendered <section id="feedback">, replaces the old one. When anything goes wrong the
 * form is submitted the ordinary way.
 */
(() => {
  "use strict";

  const FEEDBACK_FORMS = "form[data-hc-feedback]";

  const formDataWithSubmitter = (form, submitter) => {
    let data;
    try {
      data = new FormData(form, submitter);
    } catch {
      data = new FormData(form);
    }
    // Browsers without the submitter argument ignore it: add the button's value ourselves.
    if (submitter && submitter.name && !data.has(submitter.name)) {
      data.append(submitter.name, submitter.value);
    }
    return data;
  };

  const submitNormally = (form, submitter) => {
    form.dataset.hcSubmitted = "plain";
    if (submitter && typeof form.requestSubmit === "function") {
      form.requestSubmit(submitter);
    } else {
      form.submit();
    }
  };

  const setBusy = (section, form, busy) => {
    if (busy) section.setAttribute("aria-busy", "true");
    else section.removeAttribute("aria-busy");
    for (const button of form.querySelectorAll("button")) button.disabled = busy;
  };

  const sendFeedback = async (form, submitter) => {
    const section = form.closest("#feedback");
    const data = formDataWithSubmitter(form, submitter);
    setBusy(section, form, true);
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", Accept: "text/html" },
      });
      if (!response.ok) throw new Error(`Feedback failed with status ${response.status}`);
      const template = document.createElement("template");
      template.innerHTML = await response.text();
      const fresh = template.content.querySelector("#feedback");
      if (!fresh) throw new Error("The answer has no #feedback section");
      section.replaceWith(fresh);
      const focusTarget = fresh.querySelector("[tabindex='-1']") || fresh;
      focusTarget.focus({ preventScroll: true });
      focusTarget.scrollIntoView({ block: "nearest" });
    } catch {
      setBusy(section, form, false);
      submitNormally(form, submitter);
    }
  };

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches(FEEDBACK_FORMS)) return;
    if (form.dataset.hcSubmitted === "plain" || !window.fetch) return;
    event.preventDefault();
    if (form.dataset.hcSubmitted === "fetch") return; // already on its way
    form.dataset.hcSubmitted = "fetch";
    sendFeedback(form, event.submitter).finally(() => {
      if (form.dataset.hcSubmitted === "fetch") delete form.dataset.hcSubmitted;
    });
  });
})();
