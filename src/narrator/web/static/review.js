// The review page: filter findings by level and rule, accept a finding with a note.
(function () {
  "use strict";
  const root = document.getElementById("review");
  const ident = root.dataset.ident;
  const level = document.getElementById("filter-level");
  const rule = document.getElementById("filter-rule");
  const open = document.getElementById("filter-open");

  function filter() {
    root.querySelectorAll("li.item").forEach(function (item) {
      const accepted = item.querySelector(".accept-box").checked;
      const hide = (level.value && item.dataset.level !== level.value) ||
                   (rule.value && item.dataset.rule !== rule.value) || (open.checked && accepted);
      item.classList.toggle("hidden", Boolean(hide));
      item.classList.toggle("accepted", accepted);
    });
    root.querySelectorAll(".para").forEach(function (para) {
      const shown = para.querySelector("li.item:not(.hidden)");
      para.classList.toggle("hidden", !shown);
    });
  }

  function send(item) {
    const box = item.querySelector(".accept-box");
    const note = item.querySelector(".accept-note");
    return fetch("/review/" + ident + "/accept", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ file: Number(item.dataset.file), finding: Number(item.dataset.finding),
                             accepted: box.checked, note: note.value }),
    }).then(function () { item.dataset.saved = "1"; filter(); });
  }

  root.addEventListener("change", function (event) {
    const item = event.target.closest("li.item");
    if (item && (event.target.classList.contains("accept-box") || event.target.classList.contains("accept-note"))) {
      if (event.target.classList.contains("accept-note") && event.target.value) {
        item.querySelector(".accept-box").checked = true;
      }
      send(item);
    }
  });
  root.addEventListener("mouseover", function (event) {
    const item = event.target.closest("li.item");
    root.querySelectorAll("mark.active").forEach(function (m) { m.classList.remove("active"); });
    if (!item) { return; }
    const para = item.closest(".para");
    para.querySelectorAll("mark").forEach(function (m) {
      if (m.dataset.numbers.split(" ").indexOf(item.dataset.number) >= 0) { m.classList.add("active"); }
    });
  });
  [level, rule, open].forEach(function (control) { control.addEventListener("change", filter); });
  filter();
})();
