// Progressive enhancement: the advisor's genre rows gain an "add genre" button; everything works without it.
document.addEventListener("DOMContentLoaded", () => {
  const rows = document.getElementById("genre-rows");
  if (!rows) return;
  const add = document.createElement("button");
  add.type = "button";
  add.textContent = "Add a genre";
  add.id = "add-genre";
  add.addEventListener("click", () => {
    const last = rows.lastElementChild;
    const copy = last.cloneNode(true);
    copy.querySelectorAll("select, input").forEach((el) => { el.value = ""; });
    rows.appendChild(copy);
  });
  rows.after(add);
});
