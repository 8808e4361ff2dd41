// Outliers as the person types (no build step, no library).
//
// The page carries each cell's yardsticks (reporting.outliers.grid_hints): the usual
// range from the unit's own submitted and approved history, its min-max bounds, the
// range of its siblings this period, and the previous period's value. A value typed
// is judged here, at once, in the order the server judges it; the server says the
// same again when the cell is saved. The warning stands beside the cell, in words, and
// never takes the focus: the person types on. Its button (or Alt+G in the cell) opens
// the explanation (giải trình), stored with the value it explains; the outliers still
// unexplained are asked about once, at sending (grid.js).
(function () {
  "use strict";
  var data = document.getElementById("outlier-hints");
  var root = document.getElementById("entry");
  if (!data || !root) return;
  var H = JSON.parse(data.textContent);
  var T = H.text;
  var GROUPED = /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/;
  var PLAIN = /^[+-]?\d+(,\d+)?$/;
  var DOTTED = /^[+-]?\d+(\.\d+)?$/;

  // The same reading as trienkhai.vn.parse_number: "20.673" and "20673", "20,5".
  function parse(text) {
    var t = (text || "").replace(/[\s\u00a0]/g, "").replace(/%$/, "");
    if (GROUPED.test(t)) return parseFloat(t.replace(/\./g, "").replace(",", "."));
    if (PLAIN.test(t)) return parseFloat(t.replace(",", "."));
    if (DOTTED.test(t)) return parseFloat(t);
    return null;
  }

  // 20673 → "20.673", 20.5 → "20,5" (trienkhai.vn.format_number).
  function fmt(n, decimals) {
    var text = decimals === undefined ? String(Math.round(Math.abs(n) * 10000) / 10000) : Math.abs(n).toFixed(decimals);
    var parts = text.split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return (n < 0 ? "-" : "") + whole + (parts[1] ? "," + parts[1] : "");
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return values[key]; });
  }

  // A count's usual range in whole numbers (reporting.outliers.whole_range).
  function range(pair, whole) {
    var low = pair[0], high = pair[1];
    if (whole) {
      var inner = [Math.ceil(low), Math.floor(high)];
      if (inner[0] <= inner[1]) { low = inner[0]; high = inner[1]; }
      else { low = Math.floor(low); high = Math.ceil(high); }
    }
    return { low: fmt(low), high: fmt(high) };
  }

  // The first finding, as reporting.outliers.message words it; "" if none.
  function judge(key, x) {
    var h = H.cells[key];
    if (!h) return "";
    if (h.history) {
      if (x > h.history[1]) {
        var p = h.previous;
        if (p && p > 0 && x / p >= 2) {
          var ratio = x / p;
          return fill(T.times, { ratio: ratio >= 10 ? fmt(Math.round(ratio)) : fmt(ratio, 1), previous: fmt(p) });
        }
        return fill(T.high, range(h.history, h.whole));
      }
      if (x < h.history[0]) return fill(T.low, range(h.history, h.whole));
    }
    if (h.bounds) {
      if (h.bounds[1] !== null && x > h.bounds[1]) return fill(T.above_max, { high: fmt(h.bounds[1]) });
      if (h.bounds[0] !== null && x < h.bounds[0]) return fill(T.below_min, { low: fmt(h.bounds[0]) });
    }
    if (h.siblings && (x > h.siblings[1] || x < h.siblings[0])) return fill(T.siblings, range(h.siblings, h.whole));
    return "";
  }

  function keyOf(input) { return input.dataset.indicator + "|" + input.dataset.option; }

  // Shows (or clears) the warning of one cell; returns it.
  function mark(input) {
    var td = input.closest("td");
    var box = td.querySelector(".cell-outlier");
    var x = parse(input.value.trim());
    var text = x === null ? "" : judge(keyOf(input), x);
    if (!text) {
      if (box) box.remove();
      td.classList.remove("is-outlier");
      return "";
    }
    if (!box) {
      box = document.createElement("span");
      box.className = "cell-outlier";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      var words = document.createElement("span");
      words.className = "cell-outlier-text";
      box.appendChild(words);
      if (!input.readOnly) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "outlier-explain";
        button.tabIndex = -1;
        button.title = T.explain_key;
        box.appendChild(button);
      } else {
        // A read-only grid cannot explain, but still says that it was.
        var said = document.createElement("span");
        said.className = "outlier-explained";
        box.appendChild(said);
      }
      td.appendChild(box);
    }
    box.querySelector(".cell-outlier-text").textContent = text;
    var done = H.explained[keyOf(input)] === x;
    var explain = box.querySelector("button");
    if (explain) {
      explain.textContent = done ? T.explained : T.explain;
      explain.classList.toggle("is-done", done);
    }
    var said = box.querySelector(".outlier-explained");
    if (said) said.textContent = done ? " · " + T.explained : "";
    td.classList.add("is-outlier");
    td.classList.toggle("is-explained", done);
    return text;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // The explanation dialog.
  var dialog = document.getElementById("outlier-dialog");
  var explaining = null;
  function ask(input, why) {
    if (!dialog || input.readOnly || dialog.open) return;
    explaining = input;
    document.getElementById("outlier-cell").textContent = input.getAttribute("aria-label") + ": " + input.value.trim();
    document.getElementById("outlier-why").textContent = why;
    document.getElementById("outlier-error").hidden = true;
    document.getElementById("outlier-text").value = "";
    dialog.returnValue = "";
    dialog.showModal();
    document.getElementById("outlier-text").focus();
  }
  if (dialog) {
    document.getElementById("outlier-text").addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); dialog.close("save"); }
    });
    dialog.addEventListener("close", function () {
      var input = explaining;
      explaining = null;
      if (!input) return;
      var back = input;  // asked from the cell or its button: back to the cell
      var comment = document.getElementById("outlier-text").value.trim();
      if (dialog.returnValue !== "save" || !comment) { back.focus(); return; }
      var value = input.value.trim();
      fetch(H.explain_url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ indicator: input.dataset.indicator, option: input.dataset.option, value: value, comment: comment })
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        if (result.ok) {
          H.explained[keyOf(input)] = result.body.value;
          mark(input);
        } else {
          var box = input.closest("td").querySelector(".cell-outlier-text");
          if (box) box.textContent = (result.body.error || {}).message || "";
        }
      });
      back.focus();
    });
  }

  var timers = new WeakMap();
  root.addEventListener("input", function (e) {
    var input = e.target;
    if (!input.classList || !input.classList.contains("cell-input")) return;
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () { mark(input); }, 120));
  });
  // Leaving a cell judges it at once (typing faster than the timer), and nothing more:
  // a question here would catch the keys typed into the next cell.
  root.addEventListener("change", function (e) {
    var input = e.target;
    if (!input.classList || !input.classList.contains("cell-input")) return;
    clearTimeout(timers.get(input));
    mark(input);
  });
  root.addEventListener("keydown", function (e) {
    var input = e.target;
    if (!e.altKey || (e.key !== "g" && e.key !== "G")) return;
    if (!input.classList || !input.classList.contains("cell-input")) return;
    var box = input.closest("td").querySelector(".cell-outlier-text");
    if (!box || input.readOnly) return;
    e.preventDefault();
    ask(input, box.textContent);
  });
  root.addEventListener("paste", function () {
    setTimeout(function () { root.querySelectorAll("input.cell-input").forEach(mark); }, 0);
  });
  root.addEventListener("click", function (e) {
    var button = e.target.closest("button.outlier-explain");
    if (!button) return;
    var input = button.closest("td").querySelector("input.cell-input");
    ask(input, button.closest(".cell-outlier").querySelector(".cell-outlier-text").textContent);
  });
  root.querySelectorAll("input.cell-input").forEach(mark);
})();
