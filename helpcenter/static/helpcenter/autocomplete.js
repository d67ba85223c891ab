/*
 * wagtail-helpcenter: live suggestions while typing in a search box. Every search form works
 * without this file.
 *
 * A form with data-hc-autocomplete="<endpoint>" (see helpcenter/includes/autocomplete_attributes.html)
 * gets an ARIA 1.2 combobox with a listbox popup, following the WAI-ARIA Authoring Practices
 * "list autocomplete with manual selection": the focus stays in the input, arrow keys move the
 * active option (aria-activedescendant), Enter opens it, Enter without an active option submits
 * the form as usual. data-hc-category="<page id>" makes suggestions prefer that topic. All text
 * comes from the template's data-hc-text-* attributes, so it is translated there.
 */
(() => {
  "use strict";

  const FORMS = "form[data-hc-autocomplete]";
  const DEBOUNCE_MS = 150;
  const MIN_CHARACTERS = 2;
  const MIN_HIGHLIGHT_CHARACTERS = 2;
  const CACHE_SIZE = 50;
  const WORD = /[\p{L}\p{N}]+/gu;
  const MARKED = /<mark>(.*?)<\/mark>/g;
  const ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'", "&#39;": "'" };

  let instances = 0;

  /* ---------- Highlighting: DOM nodes only, server text is never parsed as HTML ---------- */

  const fold = (text) => text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase().replace(/ß/g, "ss");

  const words = (text) => Array.from(text.matchAll(WORD), (match) => fold(match[0]));

  /* The words the server marked in its snippet (typo corrections, other word forms), as plain text. */
  const markedWords = (html) => {
    const found = [];
    for (const match of String(html || "").matchAll(MARKED)) {
      found.push(...words(match[1].replace(/&(?:amp|lt|gt|quot|#x27|#39);/g, (entity) => ENTITIES[entity])));
    }
    return found;
  };

  /* Typed words match the start of a word; words the server marked match whole words. */
  const highlightTerms = (query, highlight) => ({
    prefixes: words(query)
      .filter((word) => word.length >= MIN_HIGHLIGHT_CHARACTERS)
      .sort((a, b) => b.length - a.length),
    whole: new Set(markedWords(highlight)),
  });

  /* How many characters of `word` it takes to spell the folded `prefix`. */
  const originalLength = (word, prefix) => {
    let folded = "";
    let length = 0;
    for (const character of word) {
      folded += fold(character);
      length += character.length;
      if (folded.length >= prefix.length) break;
    }
    return length;
  };

  const matchLength = (word, terms) => {
    const folded = fold(word);
    if (terms.whole.has(folded)) return word.length;
    const prefix = terms.prefixes.find((term) => folded.startsWith(term));
    return prefix ? originalLength(word, prefix) : 0;
  };

  const highlighted = (text, terms) => {
    const fragment = document.createDocumentFragment();
    let cursor = 0;
    for (const match of text.matchAll(WORD)) {
      const length = matchLength(match[0], terms);
      if (!length) continue;
      const mark = document.createElement("mark");
      mark.textContent = text.slice(match.index, match.index + length);
      fragment.append(text.slice(cursor, match.index), mark);
      cursor = match.index + length;
    }
    fragment.append(text.slice(cursor));
    return fragment;
  };

  /* ---------- Small DOM helpers ---------- */

  const element = (tag, className, attributes = {}) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    return node;
  };

  const SVG = "http://www.w3.org/2000/svg";

  const icon = (sprite, name) => {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "hc-icon");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const use = document.createElementNS(SVG, "use");
    use.setAttribute("href", `${sprite}#${name}`);
    svg.append(use);
    return svg;
  };

  /* ---------- One search box ---------- */

  class Autocomplete {
    constructor(form, input) {
      this.form = form;
      this.input = input;
      this.endpoint = form.dataset.hcAutocomplete;
      this.category = (form.dataset.hcCategory || "").trim();
      this.texts = {
        label: form.dataset.hcTextLabel || "",
        one: form.dataset.hcTextOne || "",
        many: form.dataset.hcTextMany || "",
        none: form.dataset.hcTextNone || "",
        query: form.dataset.hcTextQuery || "",
        keys: form.dataset.hcTextKeys || "",
      };
      // The form's own magnifier icon tells where the icon sprite is.
      const use = form.querySelector("svg use");
      this.sprite = use ? (use.getAttribute("href") || "").split("#")[0] : "";

      this.results = [];
      this.query = null;
      this.active = -1;
      this.sequence = 0;
      this.controller = null;
      this.timer = 0;
      this.cache = new Map();

      this.build();
      this.listen();
    }

    build() {
      instances += 1;
      if (!this.input.id) this.input.id = `hc-autocomplete-${instances}`;
      const id = this.input.id;

      this.popup = element("div", "hc-autocomplete");
      this.popup.hidden = true;
      this.listbox = element("ul", "hc-autocomplete__list", { id: `${id}-listbox`, role: "listbox" });
      if (this.texts.label) this.listbox.setAttribute("aria-label", this.texts.label);
      this.popup.append(this.listbox);
      if (this.texts.keys) {
        const keys = element("p", "hc-autocomplete__keys", { "aria-hidden": "true" });
        keys.textContent = this.texts.keys;
        this.popup.append(keys);
      }
      this.status = element("div", "hc-visually-hidden hc-autocomplete__status", {
        role: "status",
        "aria-live": "polite",
        "aria-atomic": "true",
      });
      this.form.append(this.popup, this.status);
      this.form.classList.add("hc-combobox");

      this.input.setAttribute("role", "combobox");
      this.input.setAttribute("aria-autocomplete", "list");
      this.input.setAttribute("aria-expanded", "false");
      this.input.setAttribute("aria-controls", this.listbox.id);
      this.input.setAttribute("autocomplete", "off");
    }

    listen() {
      this.input.addEventListener("input", () => this.onInput());
      this.input.addEventListener("keydown", (event) => this.onKeydown(event));
      this.input.addEventListener("blur", () => this.close());
      this.input.addEventListener("click", () => {
        if (!this.isOpen() && this.results.length && this.query === this.input.value) this.open();
      });
      // Keep the focus in the input while the pointer picks an option (or drags the scrollbar).
      this.popup.addEventListener("mousedown", (event) => event.preventDefault());
      this.listbox.addEventListener("click", (event) => {
        const option = event.target.closest("[role='option']");
        if (option) this.choose(option);
      });
      this.form.addEventListener("submit", () => {
        this.cancel();
        this.close();
      });
      // The Back button may restore this page from memory with the list still open.
      window.addEventListener("pageshow", (event) => {
        if (event.persisted) this.close();
      });
    }

    /* ---------- Asking the server ---------- */

    onInput() {
      const query = this.input.value;
      this.cancel();
      if (query.trim().length < MIN_CHARACTERS) {
        this.results = [];
        this.query = null;
        this.close();
        return;
      }
      const cached = this.cache.get(query);
      if (cached) {
        this.show(query, cached);
        return;
      }
      this.setActive(-1);
      this.timer = window.setTimeout(() => this.fetchSuggestions(query), DEBOUNCE_MS);
    }

    /* Forget the pending and running requests: their answers are out of date. */
    cancel() {
      window.clearTimeout(this.timer);
      this.sequence += 1;
      if (this.controller) this.controller.abort();
      this.controller = null;
    }

    async fetchSuggestions(query) {
      this.cancel();
      const sequence = this.sequence;
      const controller = new AbortController();
      this.controller = controller;
      const url = new URL(this.endpoint, document.baseURI);
      url.searchParams.set("q", query);
      if (this.category) url.searchParams.set("category", this.category);
      try {
        const response = await fetch(url, {
          signal: controller.signal,
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (!response.ok) throw new Error(`Suggestions failed with status ${response.status}`);
        const data = await response.json();
        const results = Array.isArray(data.results) ? data.results : [];
        this.remember(query, results);
        // An answer to an older request, or for a box the visitor has left, is not shown.
        if (sequence !== this.sequence || query !== this.input.value) return;
        if (document.activeElement !== this.input) return;
        this.show(query, results);
      } catch (error) {
        if (error.name === "AbortError") return;
        // Too many requests or no network: the form still searches the ordinary way.
        if (sequence === this.sequence) this.close();
      } finally {
        if (this.controller === controller) this.controller = null;
      }
    }

    remember(query, results) {
      this.cache.delete(query);
      this.cache.set(query, results);
      if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value);
    }

    /* ---------- The listbox ---------- */

    show(query, results) {
      this.query = query;
      this.results = results;
      this.listbox.replaceChildren(...results.map((result, index) => this.option(result, index, query)));
      this.setActive(-1);
      if (results.length) this.open();
      else this.close();
      this.announce(this.countText(results.length));
    }

    option(result, index, query) {
      const kind = result.type === "query" ? "query" : "article";
      const terms = highlightTerms(query, result.highlight);
      const option = element("li", `hc-autocomplete__option hc-autocomplete__option--${kind}`, {
        id: `${this.listbox.id}-option-${index}`,
        role: "option",
        "aria-selected": "false",
      });
      option.dataset.url = String(result.url || "");

      const iconBox = element("span", "hc-autocomplete__icon");
      if (this.sprite) iconBox.append(icon(this.sprite, kind === "query" ? "search" : "book"));
      const text = element("span", "hc-autocomplete__text");
      const title = element("span", "hc-autocomplete__title");
      title.append(highlighted(String(result.title || ""), terms));
      text.append(title);

      if (kind === "query") {
        if (this.texts.query) {
          const caption = element("span", "hc-autocomplete__caption");
          caption.textContent = this.texts.query;
          text.append(caption);
        }
      } else {
        if (result.category) {
          const category = element("span", "hc-autocomplete__category");
          category.textContent = String(result.category);
          text.append(category);
        }
        if (result.short_answer) {
          // Read as the option's description, not as part of its name.
          const answer = element("span", "hc-autocomplete__answer", {
            id: `${option.id}-answer`,
            "aria-hidden": "true",
          });
          answer.append(highlighted(String(result.short_answer), terms));
          text.append(answer);
          option.setAttribute("aria-describedby", answer.id);
        }
      }
      option.append(iconBox, text);
      return option;
    }

    options() {
      return Array.from(this.listbox.querySelectorAll("[role='option']"));
    }

    isOpen() {
      return !this.popup.hidden;
    }

    open() {
      this.popup.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
      this.form.classList.add("hc-combobox--open");
    }

    close() {
      this.setActive(-1);
      this.popup.hidden = true;
      this.input.setAttribute("aria-expanded", "false");
      this.form.classList.remove("hc-combobox--open");
      // Emptied, so that the same count is announced again when the list comes back.
      this.announce("");
    }

    setActive(index) {
      const options = this.options();
      const previous = options[this.active];
      if (previous) previous.setAttribute("aria-selected", "false");
      this.active = index;
      const option = options[index];
      if (!option) {
        this.active = -1;
        this.input.removeAttribute("aria-activedescendant");
        return;
      }
      option.setAttribute("aria-selected", "true");
      this.input.setAttribute("aria-activedescendant", option.id);
      this.scrollIntoView(option);
    }

    /* Scrolls the list only, never the page. */
    scrollIntoView(option) {
      const list = this.listbox;
      const top = option.offsetTop;
      const bottom = top + option.offsetHeight;
      if (top < list.scrollTop) list.scrollTop = top;
      else if (bottom > list.scrollTop + list.clientHeight) list.scrollTop = bottom - list.clientHeight;
    }

    move(step) {
      const count = this.options().length;
      if (!count) return;
      const next = this.active < 0 ? (step > 0 ? 0 : count - 1) : (this.active + step + count) % count;
      this.setActive(next);
    }

    choose(option) {
      const url = option.dataset.url;
      if (!url) return;
      if (option.classList.contains("hc-autocomplete__option--query")) {
        this.input.value = option.querySelector(".hc-autocomplete__title").textContent;
      }
      this.cancel();
      this.close();
      window.location.assign(url);
    }

    countText(count) {
      if (count === 0) return this.texts.none;
      if (count === 1) return this.texts.one;
      return this.texts.many.replace("{count}", String(count));
    }

    announce(text) {
      if (this.status.textContent !== text) this.status.textContent = text;
    }

    /* ---------- Keyboard ---------- */

    onKeydown(event) {
      if (event.isComposing || event.ctrlKey || event.metaKey) return;
      switch (event.key) {
        case "ArrowDown":
        case "ArrowUp":
          event.preventDefault();
          this.onArrow(event.key === "ArrowDown" ? 1 : -1, event.altKey);
          break;
        case "Enter":
          if (this.isOpen() && this.active >= 0) {
            event.preventDefault();
            this.choose(this.options()[this.active]);
          }
          // Otherwise the form is submitted the ordinary way.
          break;
        case "Escape":
          if (this.isOpen()) {
            event.preventDefault();
            this.cancel();
            this.close();
          } else if (this.input.value) {
            event.preventDefault();
            this.cancel();
            this.input.value = "";
            this.results = [];
            this.query = null;
            this.announce("");
          }
          break;
        case "Tab":
          this.cancel();
          this.close();
          break;
        case "Home":
        case "End":
        case "ArrowLeft":
        case "ArrowRight":
          // These keys edit the text: the visual focus goes back to the input.
          this.setActive(-1);
          break;
        default:
          break;
      }
    }

    onArrow(step, altKey) {
      if (this.isOpen()) {
        if (!altKey) this.move(step);
        return;
      }
      const query = this.input.value;
      if (this.results.length && this.query === query) {
        this.open();
        this.announce(this.countText(this.results.length));
        if (!altKey) this.move(step);
      } else if (query.trim().length >= MIN_CHARACTERS) {
        this.fetchSuggestions(query);
      }
    }
  }

  const enhance = () => {
    if (!window.fetch || !window.AbortController) return;
    for (const form of document.querySelectorAll(FORMS)) {
      const input = form.querySelector("input[name='q']");
      if (input && form.dataset.hcAutocomplete && !form.classList.contains("hc-combobox")) {
        new Autocomplete(form, input);
      }
    }
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
