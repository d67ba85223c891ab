/*
 * wagtail-helpcenter community forum. Every page works without this script; it adds:
 *
 * - drafts: what a member types in a form marked data-hc-draft is kept in localStorage and
 *   restored after a reload; it is forgotten once a post went through (the next page shows no
 *   error and no "not published" notice);
 * - suggestions while composing (data-hc-composer): title and text go to the suggest API
 *   (articles and community threads) about 500 ms after typing stops; threads without an
 *   accepted answer have no short answer and are left out. "This answers my question" posts a
 *   deflection. With the script running, "Post" posts at once: the member has seen them;
 * - one submit per form (data-hc-once) and a confirmation before deleting (data-hc-confirm).
 */
(() => {
  "use strict";

  const DEBOUNCE_MS = 500;
  const MIN_WORDS = 3;
  const LIMIT = 5;
  const EXCERPT_LENGTH = 160;
  const SUBMITTED_KEY = "hc-forum-draft-submitted";
  const strings = JSON.parse(document.getElementById("hc-composer-strings")?.textContent || "{}");

  const storage = (() => {
    try {
      const probe = "hc-forum-probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null;
    }
  })();

  // Drafts ------------------------------------------------------------------------------------

  const draftFields = (form) =>
    Array.from(form.querySelectorAll("input[name=title], textarea[name=text]"));

  const failedPage = () =>
    document.querySelector(".hc-field--error, [data-hc-unsent], .hc-form-errors");

  const submitted = window.sessionStorage?.getItem(SUBMITTED_KEY);
  if (submitted && storage && !failedPage()) {
    storage.removeItem(`hc-forum-draft:${submitted}`);
  }
  window.sessionStorage?.removeItem(SUBMITTED_KEY);

  document.querySelectorAll("form[data-hc-draft]").forEach((form) => {
    if (!storage) return;
    const key = `hc-forum-draft:${form.dataset.hcDraft}`;
    const fields = draftFields(form);
    const saved = JSON.parse(storage.getItem(key) || "null");
    const empty = fields.every((field) => !field.value.trim() || field.defaultValue.startsWith(">"));
    if (saved && empty && fields.some((field) => saved[field.name])) {
      fields.forEach((field) => {
        if (saved[field.name]) field.value = saved[field.name];
      });
      const note = document.createElement("p");
      note.className = "hc-hint hc-draft-note";
      note.setAttribute("role", "status");
      note.textContent = strings.draft_restored || "";
      form.prepend(note);
    }
    form.addEventListener("input", () => {
      const data = Object.fromEntries(fields.map((field) => [field.name, field.value]));
      if (Object.values(data).some((value) => value.trim())) {
        storage.setItem(key, JSON.stringify(data));
      } else {
        storage.removeItem(key);
      }
    });
    form.addEventListener("submit", () => {
      window.sessionStorage?.setItem(SUBMITTED_KEY, form.dataset.hcDraft);
    });
  });

  // One submit, confirmations ---------------------------------------------------------------

  document.querySelectorAll("form").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.hcConfirm && !window.confirm(form.dataset.hcConfirm)) {
        event.preventDefault();
        return;
      }
      if (form.dataset.hcSubmitting) {
        event.preventDefault();
        return;
      }
      form.dataset.hcSubmitting = "1";
      // Keep the clicked button's name/value (e.g. "Post anyway") before disabling it.
      const button = event.submitter;
      if (button && button.name) {
        const carried = document.createElement("input");
        carried.type = "hidden";
        carried.name = button.name;
        carried.value = button.value;
        form.append(carried);
      }
      form.querySelectorAll("[data-hc-once]").forEach((node) => {
        node.disabled = true;
      });
    });
  });

  // Suggestions while composing ---------------------------------------------------------------

  const form = document.querySelector("form[data-hc-composer]");
  const panel = document.getElementById("hc-compose-suggest");
  if (!form || !panel || !window.fetch || !window.AbortController) return;
  const status = panel.querySelector("[data-hc-suggest-status]");
  const list = panel.querySelector("[data-hc-suggest-list]");
  const title = form.elements.title;
  const text = form.elements.text;
  const csrfToken = form.elements.csrfmiddlewaretoken.value;
  let timer = null;
  let controller = null;
  let lastQuery = "";

  if (panel.hasAttribute("data-hc-live")) {
    panel.hidden = false;
    form.elements.suggestions_seen.value = "True";
  }

  const element = (tag, className, content) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  };

  const deflect = async (result, button) => {
    const body = new FormData();
    body.append("kind", result.source === "community" ? "thread" : "article");
    body.append("pk", result.id);
    button.disabled = true;
    try {
      const response = await fetch(form.dataset.deflectUrl, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": csrfToken, "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
      const data = await response.json();
      status.textContent = data.message || data.error || "";
    } catch (error) {
      button.disabled = false;
    }
  };

  const show = (results) => {
    list.replaceChildren();
    if (!results.length) {
      status.textContent = strings.none || "";
      return;
    }
    status.textContent = strings.found || "";
    results.forEach((result) => {
      const item = element("li", "hc-suggestion");
      const isThread = result.source === "community";
      item.append(element("span", "hc-source-badge", isThread ? strings.thread : strings.article));
      const link = element("a", "hc-suggestion__title", result.title);
      link.href = result.url;
      link.target = "_blank";
      link.rel = "noopener";
      item.append(link);
      if (result.short_answer) {
        const text = result.short_answer.length > EXCERPT_LENGTH
          ? `${result.short_answer.slice(0, EXCERPT_LENGTH).replace(/\s+\S*$/, "")} …`
          : result.short_answer;
        item.append(element("p", "hc-suggestion__text", text));
      }
      const button = element("button", "hc-button hc-button--secondary hc-button--small",
        strings.helped);
      button.type = "button";
      button.addEventListener("click", () => deflect(result, button));
      item.append(button);
      list.append(item);
    });
  };

  const lookUp = async () => {
    const query = `${title.value.trim()}\n${text.value.trim()}`.trim();
    if (query.split(/\s+/).filter(Boolean).length < MIN_WORDS || query === lastQuery) return;
    lastQuery = query;
    controller?.abort();
    controller = new AbortController();
    status.textContent = strings.loading || "";
    const params = new URLSearchParams({
      q: query, locale: form.dataset.locale, sources: "articles,community", limit: "8",
      draft: "1", source: "forum",
    });
    try {
      const response = await fetch(`${form.dataset.suggestUrl}?${params}`, {
        signal: controller.signal, headers: { Accept: "application/json" },
      });
      if (!response.ok) return;
      const data = await response.json();
      const useful = (data.results || []).filter(
        (result) => result.source !== "community" || result.short_answer,
      );
      show(useful.slice(0, LIMIT));
    } catch (error) {
      if (error.name !== "AbortError") status.textContent = strings.none || "";
    }
  };

  const schedule = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, DEBOUNCE_MS);
  };
  title.addEventListener("input", schedule);
  text.addEventListener("input", schedule);
  if (title.value || text.value) schedule();
})();
