/*
 * wagtail-helpcenter contact form: answers while the customer types. The form works without it.
 *
 * From SUGGEST_MIN_WORDS words on (data-min-words), the message is sent to the suggest API
 * (data-suggest-url) about 400 ms after the customer stops typing. Up to three answers appear in
 * the panel next to the form, announced in a polite live region. "Show answer" loads the
 * article's full answer inline (data-answer-url, an HTML fragment from our own server) and notes
 * the article in the hidden "opened" field; "This answers my question" records a deflection
 * (data-deflect-url). An answer of another search source (a solved forum thread, after the
 * articles) is a link that opens it in a new tab, marked with its source's name. Nothing here
 * touches what the customer typed. With this script running, the form is sent directly: the
 * customer has seen the suggestions already.
 */
(() => {
  "use strict";

  const DEBOUNCE_MS = 400;
  const form = document.querySelector("form[data-hc-contact]");
  if (!form || !window.fetch || !window.AbortController) return;

  const strings = JSON.parse(document.getElementById("hc-contact-strings")?.textContent || "{}");
  const panel = form.querySelector("#hc-suggest");
  const status = panel.querySelector("[data-hc-suggest-status]");
  const list = panel.querySelector("[data-hc-suggest-list]");
  const message = form.elements.message;
  const openedField = form.elements.opened;
  const csrfToken = form.elements.csrfmiddlewaretoken.value;
  const minWords = Number(form.dataset.minWords) || 3;
  const limit = Number(form.dataset.limit) || 3;
  const articleSource = form.dataset.articleSource || "";
  const openedIds = new Set(openedField.value.split(",").filter(Boolean));
  const initialStatus = status.textContent;

  let timer = null;
  let controller = null;
  let lastQuery = "";
  let shownIds = "";

  form.classList.add("hc-contact-form--enhanced");
  panel.hidden = false;
  form.elements.suggestions_seen.value = "1";

  const errors = document.getElementById("hc-contact-errors");
  if (errors) errors.focus();

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const hiddenText = (text) => element("span", "hc-visually-hidden", text);

  const icon = (name) => {
    const svgNS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(svgNS, "svg");
    svg.setAttribute("class", "hc-icon");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const use = document.createElementNS(svgNS, "use");
    const sprite = document.querySelector("use[href*='icons.svg']")?.getAttribute("href") || "";
    use.setAttribute("href", `${sprite.split("#")[0]}#${name}`);
    svg.append(use);
    return svg;
  };

  const setStatus = (text) => {
    if (status.textContent !== text) status.textContent = text;
  };

  // Suggestions ------------------------------------------------------------------------------

  const wordCount = (text) => (text ? text.split(/\s+/).filter(Boolean).length : 0);

  const scheduleUpdate = () => {
    clearTimeout(timer);
    timer = setTimeout(update, DEBOUNCE_MS);
  };

  async function update() {
    const text = message.value.trim();
    if (wordCount(text) < minWords) {
      if (!list.children.length) setStatus(initialStatus);
      return;
    }
    if (text === lastQuery) return;
    lastQuery = text;
    controller?.abort();
    controller = new AbortController();
    const mine = controller;
    panel.setAttribute("aria-busy", "true");
    try {
      const url = new URL(form.dataset.suggestUrl, window.location.href);
      url.searchParams.set("locale", form.dataset.locale);
      url.searchParams.set("source", "contact");
      // Drafts as they are typed are not searches: the form logs the message it sends.
      url.searchParams.set("draft", "1");
      const data = new FormData();
      data.append("q", text);
      data.append("limit", String(limit));
      const response = await fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken, Accept: "application/json" },
        signal: mine.signal,
      });
      if (!response.ok) throw new Error(`Suggest failed with status ${response.status}`);
      const payload = await response.json();
      show((payload.results || []).slice(0, limit));
    } catch (error) {
      if (error.name !== "AbortError") lastQuery = ""; // try again after the next keystroke
    } finally {
      if (controller === mine) panel.removeAttribute("aria-busy");
    }
  }

  function show(results) {
    const ids = results.map(key).join(",");
    setStatus(results.length ? strings.found[String(results.length)] : strings.none);
    if (ids === shownIds) return;
    shownIds = ids;
    const focused = list.contains(document.activeElement) ? document.activeElement : null;
    const existing = new Map([...list.children].map((item) => [item.dataset.key, item]));
    const items = results.map((result) => existing.get(key(result)) || suggestion(result));
    list.replaceChildren(...items);
    if (focused && list.contains(focused)) focused.focus({ preventScroll: true });
  }

  // A thread and an article may share an id: the source tells them apart.
  const key = (result) => `${result.source || articleSource}:${result.id}`;

  function suggestion(result) {
    if (result.source && result.source !== articleSource) return linkedSuggestion(result);
    const id = String(result.id);
    const item = element("li", "hc-suggestion");
    item.dataset.id = id;
    item.dataset.key = key(result);
    item.dataset.url = result.url;
    if (result.category) item.append(element("p", "hc-suggestion__category", result.category));
    item.append(element("h3", "hc-suggestion__title", result.title));
    if (result.short_answer) item.append(element("p", "hc-suggestion__short", result.short_answer));

    const answer = element("div", "hc-suggestion__answer");
    answer.id = `hc-suggest-answer-${id}`;
    answer.hidden = true;

    const actions = element("div", "hc-suggestion__actions");
    const toggle = element("button", "hc-suggestion__toggle");
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", answer.id);
    const toggleText = element("span", "", strings.show);
    const toggleLabel = element("span");
    toggleLabel.append(toggleText, hiddenText(`: ${result.title}`));
    toggle.append(toggleLabel, icon("chevron-right"));
    toggle.addEventListener("click", () => toggleAnswer(item, toggle, toggleText, answer));

    const helped = helpedButton(item, result);

    actions.append(toggle, helped);
    item.append(actions, answer);
    return item;
  }

  function helpedButton(item, result) {
    const helped = element("button", "hc-button hc-button--secondary hc-suggestion__helped");
    helped.type = "button";
    const helpedLabel = element("span", "", strings.helped);
    helpedLabel.append(hiddenText(`: ${result.title}`));
    helped.append(icon("check"), helpedLabel);
    helped.addEventListener("click", () => deflect(item, helped));
    return helped;
  }

  // Another source's answer (a solved thread): a link to it, not shown inline.
  function linkedSuggestion(result) {
    const item = element("li", "hc-suggestion hc-suggestion--linked");
    item.dataset.id = String(result.id);
    item.dataset.key = key(result);
    item.dataset.source = result.source;
    const category = element("p", "hc-suggestion__category");
    category.append(element("span", `hc-source-badge hc-source-badge--${result.source}`,
                            strings.sources?.[result.source] || result.source));
    if (result.category) category.append(result.category);
    const title = element("h3", "hc-suggestion__title");
    const link = element("a", "", result.title);
    link.href = result.url;
    link.target = "_blank";
    link.rel = "noopener";
    link.append(hiddenText(` (${strings.open_other})`));
    title.append(link);
    item.append(category, title);
    if (result.short_answer) item.append(element("p", "hc-suggestion__short", result.short_answer));

    const actions = element("div", "hc-suggestion__actions");
    actions.append(helpedButton(item, result));
    item.append(actions);
    return item;
  }

  // Inline answers ---------------------------------------------------------------------------

  async function toggleAnswer(item, toggle, toggleText, answer) {
    const opening = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(opening));
    toggleText.textContent = opening ? strings.hide : strings.show;
    answer.hidden = !opening;
    if (!opening) return;
    markOpened(item.dataset.id);
    if (answer.dataset.loaded) return;
    answer.dataset.loaded = "loading";
    answer.setAttribute("aria-busy", "true");
    answer.replaceChildren(element("p", "hc-suggestion__loading", strings.loading));
    try {
      const url = new URL(form.dataset.answerUrl, window.location.href);
      url.searchParams.set("article", item.dataset.id);
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", Accept: "text/html" },
      });
      if (!response.ok) throw new Error(`Answer failed with status ${response.status}`);
      const template = document.createElement("template");
      template.innerHTML = await response.text();
      for (const script of template.content.querySelectorAll("script")) script.remove();
      answer.replaceChildren(template.content);
      answer.dataset.loaded = "yes";
    } catch {
      delete answer.dataset.loaded;
      const failed = element("p", "hc-suggestion__failed", strings.failed + " ");
      const link = element("a", "", strings.open);
      link.href = item.dataset.url;
      link.target = "_blank";
      link.rel = "noopener";
      failed.append(link);
      answer.replaceChildren(failed);
    } finally {
      answer.removeAttribute("aria-busy");
    }
  }

  function markOpened(id) {
    openedIds.add(id);
    openedField.value = [...openedIds].join(",");
  }

  // "This answers my question" ---------------------------------------------------------------

  async function deflect(item, button) {
    button.disabled = true;
    item.querySelector(".hc-suggestion__error")?.remove();
    try {
      const data = new FormData();
      data.append("article", item.dataset.id);
      if (item.dataset.source) data.append("source", item.dataset.source);
      const response = await fetch(form.dataset.deflectUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken, "X-Requested-With": "fetch", Accept: "application/json" },
      });
      const payload = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(payload.error || strings.failed);
      const thanks = element("div", "hc-suggestion__thanks");
      thanks.tabIndex = -1;
      const text = element("div", "hc-suggestion__thanks-text");
      text.append(element("strong", "", payload.message || strings.thanks),
                  element("p", "", strings.thanks_note));
      thanks.append(icon("check"), text);
      item.classList.add("hc-suggestion--helped");
      item.querySelector(".hc-suggestion__actions").after(thanks);
      button.remove();
      thanks.focus();
    } catch (error) {
      button.disabled = false;
      button.after(element("p", "hc-suggestion__error", error.message));
    }
  }

  message.addEventListener("input", scheduleUpdate);
  if (message.value.trim()) update();
})();
