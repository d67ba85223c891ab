// "Add" of the article editor's example-question candidates: the candidate becomes a line of
// the "other ways customers ask this" field (saved with the page).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-faq-question-candidates] [data-question]");
  if (!button) return;
  const panel = button.closest("[data-faq-question-candidates]");
  const field = document.getElementById(panel.dataset.field);
  if (!field) return;
  const question = button.dataset.question;
  const lines = field.value.split("\n").map((line) => line.trim()).filter(Boolean);
  if (!lines.some((line) => line.toLowerCase() === question.toLowerCase())) {
    lines.push(question);
    field.value = lines.join("\n");
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }
  button.disabled = true;
  button.textContent = button.dataset.added;
});
