"use strict";
(() => {
  const claims = JSON.parse(document.getElementById("claims-data").textContent);
  const tip = document.getElementById("tip");
  const marksOf = (id) => document.querySelectorAll(`mark[data-claims~="${id}"]`);
  const claimsOf = (mark) => mark.dataset.claims.split(" ").filter((id) => id in claims);

  function select(id) {
    for (const el of document.querySelectorAll(".active")) el.classList.remove("active");
    for (const el of document.querySelectorAll(`.claim[data-claim="${id}"]`)) el.classList.add("active");
    const marks = marksOf(id);
    for (const mark of marks) mark.classList.add("active");
    if (marks.length) marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
  }

  function show(mark) {
    const items = claimsOf(mark).map((id) => {
      const item = document.createElement("li");
      const kind = document.createElement("b");
      kind.textContent = `${claims[id].kind}: `;
      item.append(kind, claims[id].text);
      for (const el of document.querySelectorAll(`.claim[data-claim="${id}"]`)) el.classList.add("related");
      return item;
    });
    tip.replaceChildren(...items);
    const box = mark.getBoundingClientRect();
    tip.style.left = `${Math.max(8, Math.min(box.left, window.innerWidth - 320)) + window.scrollX}px`;
    tip.style.top = `${box.bottom + window.scrollY + 6}px`;
    tip.hidden = false;
  }

  function hide() {
    tip.hidden = true;
    for (const el of document.querySelectorAll(".related")) el.classList.remove("related");
  }

  for (const el of document.querySelectorAll(".claim[data-claim]")) {
    el.addEventListener("click", () => select(el.dataset.claim));
    el.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        select(el.dataset.claim);
      }
    });
  }
  for (const mark of document.querySelectorAll("mark[data-claims]")) {
    mark.addEventListener("mouseenter", () => show(mark));
    mark.addEventListener("focus", () => show(mark));
    mark.addEventListener("mouseleave", hide);
    mark.addEventListener("blur", hide);
  }
})();
