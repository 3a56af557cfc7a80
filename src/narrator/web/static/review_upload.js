// The review upload: files dropped on the box are put into the form and sent.
(function () {
  "use strict";
  const drop = document.getElementById("drop");
  const input = document.getElementById("files");
  const chosen = document.getElementById("chosen");
  const form = document.getElementById("review-form");
  function list() {
    chosen.textContent = input.files.length ? "已选择：" + Array.from(input.files).map(function (f) { return f.name; }).join("、") : "";
  }
  input.addEventListener("change", list);
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add("over"); });
  });
  drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
  drop.addEventListener("drop", function (event) {
    event.preventDefault();
    drop.classList.remove("over");
    input.files = event.dataTransfer.files;
    list();
    form.submit();
  });
})();
