// Progressive: the day list filters as you type. Without JavaScript the same search and filters work
// through the form's GET parameters (the server applies the same rules).
document.addEventListener("DOMContentLoaded", () => {
  const search = document.querySelector("[data-day-search]");
  const status = document.querySelector("[data-day-status]");
  const slot = document.querySelector("[data-day-slot]");
  const shown = document.querySelector("[data-day-shown]");
  if (!search) return;
  const digits = (text) => text.replace(/\D/g, "");
  const matches = (row, words) => words.every((word) => {
    const hay = row.dataset.search;
    const number = digits(word);
    return hay.includes(word) || (number.length >= 3 && digits(hay).includes(number));
  });
  const apply = () => {
    const words = search.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    let count = 0;
    document.querySelectorAll("tbody[data-slot]").forEach((group) => {
      const slotOk = !slot.value || group.dataset.slot === slot.value;
      let any = false;
      group.querySelectorAll("tr[data-search]").forEach((row) => {
        const ok = slotOk && (!status.value || row.dataset.status.split(" ").includes(status.value))
          && matches(row, words);
        row.hidden = !ok;
        if (ok) { any = true; count += 1; }
      });
      group.hidden = !slotOk || (!any && (words.length > 0 || status.value !== ""));
    });
    if (shown) shown.textContent = shown.dataset.template.replace("{n}", count);
  };
  search.addEventListener("input", apply);
  status.addEventListener("change", apply);
  slot.addEventListener("change", apply);
});
