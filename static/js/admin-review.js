// Review queue: one checkbox selects or clears every item shown.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.querySelector(".queue-select-all");
  if (!all) return;
  const boxes = () => Array.from(document.querySelectorAll('.queue-table input[name="item"]'));
  all.addEventListener("change", () => {
    for (const box of boxes()) box.checked = all.checked;
  });
  document.querySelector(".queue-table").addEventListener("change", (event) => {
    if (event.target.name !== "item") return;
    const checked = boxes().filter((box) => box.checked).length;
    all.checked = checked === boxes().length;
    all.indeterminate = checked > 0 && checked < boxes().length;
  });
});
