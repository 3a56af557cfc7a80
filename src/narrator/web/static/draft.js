// The draft page: every keystroke (after a short pause) asks the server for the preview of the
// typed texts: the quick answer (the text and the gate's findings) is shown at once; when the
// typing rests a little longer, a full answer adds each number's source (hover) and the wording
// findings (four times the work, so never asked for while the clerk is typing). Plain JavaScript.
(function () {
  "use strict";
  const root = document.getElementById("draft");
  const ident = root.dataset.ident;
  const form = document.getElementById("fields");
  const preview = document.getElementById("preview");
  const list = document.getElementById("findings");
  const count = document.getElementById("finding-count");
  const state = document.getElementById("preview-state");
  const DEBOUNCE_MS = 30;
  const REST_MS = 300;
  let timer = null;
  let fullTimer = null;
  let sequence = 0;
  const timing = window.narratorTiming = { lastInput: 0, updated: 0, full: 0, sequence: 0 };

  function texts() {
    const result = {};
    form.querySelectorAll("textarea[data-field]").forEach(function (area) {
      if (area.value.trim()) { result[area.dataset.field] = area.value; }
    });
    return result;
  }

  function markEmpty() {
    form.querySelectorAll(".field").forEach(function (box) {
      const area = box.querySelector("textarea");
      box.classList.toggle("empty", !area.value.trim());
    });
  }

  function flash(element) {
    element.classList.add("flash");
    setTimeout(function () { element.classList.remove("flash"); }, 1200);
  }

  function showFindings(data) {
    const all = (data.imported || []).concat(data.findings || []);
    list.textContent = "";
    all.forEach(function (f) {
      const item = document.createElement("li");
      item.className = f.level;
      const level = document.createElement("span");
      level.className = "level " + f.level;
      level.textContent = f.level_name;
      const rule = document.createElement("span");
      rule.className = "rule";
      rule.textContent = " " + f.rule + " ";
      item.append(level, rule, document.createTextNode(f.message));
      if (f.field) {
        item.classList.add("linked");
        item.dataset.field = f.field;
        item.title = "点击转到要填写的栏";
      } else if (f.line) {
        item.classList.add("linked");
        item.dataset.line = f.line;
        item.title = "点击转到预览中的句子";
      }
      list.append(item);
    });
    count.textContent = "（" + all.length + " 条）";
  }

  list.addEventListener("click", function (event) {
    const item = event.target.closest("li");
    if (!item) { return; }
    if (item.dataset.field) {
      const area = document.getElementById("field-" + item.dataset.field);
      area.scrollIntoView({ block: "center" });
      area.focus();
      flash(area.closest(".field"));
    } else if (item.dataset.line) {
      const line = preview.querySelector('[data-line="' + item.dataset.line + '"]');
      if (line) { line.scrollIntoView({ block: "center" }); flash(line); }
    }
  });

  function show(data) {
    preview.innerHTML = data.html;
    state.textContent = data.blocked ? "数据还不完整，暂不能生成文字：见左侧“检查发现”中的错误" : "";
    showFindings(data);
  }

  async function ask(full, mine) {
    const response = await fetch("/draft/" + ident + "/preview", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ texts: texts(), full: full }),
    });
    const data = await response.json();
    if (mine !== sequence) { return; }   // the clerk typed again meanwhile: a newer answer is coming
    if (data.error) { state.textContent = data.error; return; }
    show(data);
    if (full) { timing.full = performance.now(); } else { timing.updated = performance.now(); }
    timing.sequence = mine;
  }

  function failed() { state.textContent = "无法连接 narrator（服务是否已关闭？）"; }

  function refresh() {
    timer = null;
    const mine = ++sequence;
    clearTimeout(fullTimer);
    fullTimer = setTimeout(function () { if (mine === sequence) { ask(true, mine).catch(failed); } }, REST_MS);
    return ask(false, mine).catch(failed);
  }

  form.addEventListener("input", function () {
    timing.lastInput = performance.now();
    markEmpty();
    clearTimeout(timer);
    clearTimeout(fullTimer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  });

  // a download uses the texts on the page: send any that are still waiting first
  document.getElementById("downloads").addEventListener("click", async function (event) {
    const link = event.target.closest("a");
    if (!link || timer === null) { return; }
    event.preventDefault();
    clearTimeout(timer);
    timer = null;
    await refresh();
    window.location.href = link.href;
  });

  show(JSON.parse(document.getElementById("initial").textContent));
  markEmpty();
})();
