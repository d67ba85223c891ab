/* Query tester: the category list shows the categories of the chosen language only. */
(() => {
  "use strict";
  document.addEventListener("change", (event) => {
    const locale = event.target.closest("[data-qt-locale]");
    const categories = document.querySelector("[data-qt-category]");
    if (!locale || !categories) return;
    for (const option of categories.options) {
      if (!option.dataset.language) continue;
      const other = option.dataset.language !== locale.value;
      option.hidden = other;
      option.disabled = other;
    }
    if (categories.selectedOptions[0]?.disabled) categories.value = "";
  });
})();
