// Keyboard-first data entry (no build step, no library).
//
// Tab / Shift+Tab move across, Enter / Shift+Enter down and up, arrow keys move
// (left and right once the caret is at the edge of the text); on a phone, where the
// grid is one column, down and up follow the page. Each cell is saved on
// its own when it is left, with the version it was read at, so that an edit made
// meanwhile by someone else is refused (409) instead of overwritten. A block pasted
// from Excel (tab-separated lines) fills the cells it covers and is saved in one call,
// all or none. Alt+C: the cell's comment; Alt+H: its history. Escape: undo the typing.
// A yes/no cell is a <select> that moves the same way (a letter picks its answer).
// Sending asks once about what may have been overlooked: cells marked to fix and not
// changed, unusual values not explained, rules that only warn. Failing rules that the
// server would refuse are said before sending, without offering to send anyway.
(function () {
  "use strict";
  var root = document.getElementById("entry");
  if (!root) return;
  var T = JSON.parse(document.getElementById("entry-text").textContent);

  // The cells as a matrix of rows, so that Enter and the arrows know where to go.
  var rows = [];
  var where = new Map();
  Array.prototype.forEach.call(root.querySelectorAll("tr"), function (tr) {
    var cells = Array.prototype.slice.call(tr.querySelectorAll(".cell-input"));
    if (!cells.length) return;
    cells.forEach(function (input, c) { where.set(input, [rows.length, c]); });
    rows.push(cells);
  });

  // Keyboard first: the cursor starts in the first cell to fix (a returned report's
  // marked cells), else the first that can be typed into, unless the page has
  // something to say first (a refused action).
  if (!document.querySelector("[role=alert]")) {
    var first = root.querySelector("td.mark-fix:not(.mark-fixed) .cell-input:not([readonly])") ||
      root.querySelector(".cell-input:not([readonly])");
    focusCell(first);  // a yes/no <select> has no select(): it stopped this script
  }

  function isCell(el) { return el && el.classList && el.classList.contains("cell-input"); }
  function scopeOf(input) { return input.closest("[data-save-url]"); }

  // A yes/no cell is a <select>: focused, not selected (it has no text to select).
  function selectText(input) {
    if (typeof input.select === "function") input.select();
  }

  function focusCell(input) {
    if (!input) return;
    input.focus();
    selectText(input);
  }

  // On a phone (below 600 px, site.css) the grid of one unit is one column: each option
  // under the one before, so down and up (Enter, the arrows) go to the next or previous
  // cell on the screen, in the order of the page.
  var oneColumn = window.matchMedia ? window.matchMedia("(max-width: 600px)") : null;
  var order = Array.prototype.slice.call(root.querySelectorAll(".cell-input"));

  function move(input, dr, dc) {
    if (dr !== 0 && oneColumn && oneColumn.matches && !root.classList.contains("multi")) {
      focusCell(order[order.indexOf(input) + dr]);
      return;
    }
    var p = where.get(input);
    var r = p[0] + dr, c = p[1] + dc;
    if (dc !== 0 && c < 0 && r > 0) { r -= 1; c = rows[r].length - 1; }
    if (dc !== 0 && rows[r] && c >= rows[r].length && r < rows.length - 1) { r += 1; c = 0; }
    if (!rows[r]) return;
    focusCell(rows[r][Math.max(0, Math.min(c, rows[r].length - 1))]);
  }

  function wholeSelected(input) {
    if (input.tagName === "SELECT") return true;
    return input.selectionStart === 0 && input.selectionEnd === input.value.length;
  }

  function atEnd(input) {
    return input.tagName === "SELECT" || input.selectionStart === input.value.length;
  }

  // Visible state of a cell: saving / saved / warning / error.
  function setState(input, kind, text) {
    var td = input.closest("td");
    td.classList.remove("is-saving", "is-saved", "is-error", "is-warning");
    if (kind) td.classList.add("is-" + kind);
    td.querySelector(".cell-state").textContent = text || "";
    if (kind === "error") input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
    td.classList.toggle("has-comment", !!input.dataset.comment);
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function post(url, cells) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrfToken()
      },
      body: JSON.stringify({ cells: cells })
    }).then(function (response) {
      return response.json().then(
        function (body) { return { status: response.status, body: body }; },
        function () {
          return { status: response.status, body: { error: { message: T.failed + " (" + response.status + ")" } } };
        }
      );
    }, function () {
      return { status: 0, body: { error: { message: T.offline } } };
    });
  }

  function payload(input, value, comment) {
    var cell = {
      indicator: input.dataset.indicator,
      option: input.dataset.option,
      value: value,
      version: parseInt(input.dataset.version || "0", 10)
    };
    if (comment !== undefined) cell.comment = comment;
    return cell;
  }

  function find(scope, indicator, option) {
    var all = scope.querySelectorAll(".cell-input");
    for (var i = 0; i < all.length; i++) {
      if (all[i].dataset.indicator === indicator && all[i].dataset.option === option) return all[i];
    }
    return null;
  }

  function showRules(scope, failed) {
    var row = scope.querySelector && scope.querySelector(".row-rules");
    if (row) {
      row.textContent = failed.map(function (f) { return f.message; }).join("; ");
      return;
    }
    var box = document.getElementById("rules");
    if (!box) return;
    var list = box.querySelector("ul");
    list.textContent = "";
    failed.forEach(function (f) {
      var li = document.createElement("li");
      li.dataset.rule = f.rule;
      li.textContent = f.message + " ";
      var detail = document.createElement("span");
      detail.className = "muted";
      detail.textContent = "(" + T.versus.replace("%(left)s", f.left).replace("%(right)s", f.right) + ")";
      li.appendChild(detail);
      list.appendChild(li);
    });
    box.hidden = failed.length === 0;
    var confirm = document.getElementById("rules-confirm");
    if (confirm) confirm.hidden = failed.length === 0;
    showRulesNearSending(failed);
    markRuleRows();
  }

  // The failing rules again where the reporter works: beside the send button (the box
  // at the top is out of sight at the end of a long grid), and under the name of each
  // row a rule reads, updated by every save (the server evaluates the rules on save).
  function showRulesNearSending(failed) {
    var near = document.getElementById("submit-rules");
    if (!near) return;
    var list = near.querySelector("ul");
    list.textContent = "";
    failed.forEach(function (f) {
      var li = document.createElement("li");
      li.textContent = f.message + " (" + T.versus.replace("%(left)s", f.left).replace("%(right)s", f.right) + ")";
      list.appendChild(li);
    });
    near.hidden = failed.length === 0;
  }
  function markRuleRows() {
    var box = document.getElementById("rules");
    if (!box || root.classList.contains("multi")) return;
    var said = new Map();
    if (!box.hidden) {
      Array.prototype.forEach.call(box.querySelectorAll("li"), function (li) {
        (li.dataset.rule || "").split(/[^A-Za-z0-9_]+/).forEach(function (code) {
          if (!code) return;
          if (!said.has(code)) said.set(code, []);
          said.get(code).push(li.textContent.trim());
        });
      });
    }
    Array.prototype.forEach.call(root.querySelectorAll("tr[data-indicator]"), function (tr) {
      var th = tr.querySelector("th.indicator");
      if (!th) return;
      var note = th.querySelector(".row-rule");
      var texts = said.get(tr.dataset.indicator);
      tr.classList.toggle("rule-failed", !!texts);
      if (!texts) { if (note) note.remove(); return; }
      if (!note) {
        note = document.createElement("span");
        note.className = "row-rule";
        th.appendChild(note);
      }
      note.textContent = T.rules + ": " + texts.join("; ");
    });
  }
  markRuleRows();

  // What stands in the way of submitting, said before the person submits: compulsory
  // cells still empty, and cells whose value was refused (red, not saved). The server
  // checks again (and lists values that no longer pass the rules: kept as they are).
  var submitForm = document.getElementById("submit-form");
  function blockers() {
    var found = [];
    Array.prototype.forEach.call(root.querySelectorAll(".cell-input"), function (input) {
      var td = input.closest("td");
      if (td.classList.contains("is-error")) found.push([input, T.refused]);
      else if (input.dataset.compulsory && !(input.dataset.saved || "").trim()) found.push([input, T.compulsory_empty]);
    });
    return found;
  }
  function checkSubmit() {
    var box = document.getElementById("submit-check");
    if (!submitForm || !box) return [];
    var found = blockers();
    var list = box.querySelector("ul");
    Array.prototype.forEach.call(list.querySelectorAll("li:not(.kept)"), function (li) { li.remove(); });
    found.forEach(function (pair) {
      var li = document.createElement("li");
      li.textContent = pair[0].getAttribute("aria-label") + ": " + pair[1];
      list.appendChild(li);
    });
    var count = list.querySelectorAll("li").length;
    box.querySelector(".summary").textContent = (count === 1 ? T.to_fix_one : T.to_fix_many).replace("%(n)s", count);
    box.hidden = count === 0;
    return found;
  }
  // What the person may have overlooked, asked once at sending (the server sends as
  // asked): the cells marked to fix at the last return that are as they were then
  // (data-untouched from the page, and not changed since it loaded), and the unusual
  // values not explained yet (outliers.js marks their cells is-outlier).
  var loaded = new Map();
  Array.prototype.forEach.call(root.querySelectorAll(".cell-input"), function (input) {
    loaded.set(input, input.dataset.version + "|" + input.value);
  });
  function untouchedMarks() {
    var found = [];
    Array.prototype.forEach.call(root.querySelectorAll("td[data-untouched] .cell-input"), function (input) {
      if (loaded.get(input) === input.dataset.version + "|" + input.value) {
        found.push([input, T.mark_untouched.replace("%(cell)s", input.getAttribute("aria-label"))]);
      }
    });
    return found;
  }
  function overlooked() {
    var found = [];
    Array.prototype.forEach.call(root.querySelectorAll("td.is-outlier:not(.is-explained)"), function (td) {
      var input = td.querySelector(".cell-input");
      var why = td.querySelector(".cell-outlier-text");
      if (!input) return;
      found.push([input, T.outlier_unexplained
        .replace("%(cell)s", input.getAttribute("aria-label"))
        .replace("%(value)s", input.value.trim())
        .replace("%(why)s", why ? why.textContent : "")]);
    });
    return found;
  }
  // The failing rules as the #rules box shows them (the page's, then each save's):
  // [the first cell the rule reads, or the box itself; the rule in words].
  var rulesBox = document.getElementById("rules");
  function failingRules() {
    if (!rulesBox || rulesBox.hidden) return [];
    return Array.prototype.map.call(rulesBox.querySelectorAll("li"), function (li) {
      var names = (li.dataset.rule || "").split(/[^A-Za-z0-9_]+/);
      var cell = Array.prototype.filter.call(root.querySelectorAll(".cell-input:not([readonly])"), function (input) {
        return names.indexOf(input.dataset.indicator) >= 0;
      })[0];
      return [cell || rulesBox, T.rules + ": " + li.textContent.trim()];
    });
  }
  // The server refuses a send while rules fail: always if the form says so
  // (data-rules="block"), otherwise until the reporter explains them.
  var explanation = document.getElementById("giai-trinh");
  function refusedRules(failing) {
    if (!failing.length || !submitForm) return "";
    if (submitForm.dataset.rules === "block") return "rules";
    return explanation && !explanation.value.trim() ? "explain" : "";
  }
  // The server refuses a report sent again with cells marked to fix as they were (value
  // and note) unless the reporter says why they stay so (the keep-marked reason).
  var keepReason = document.getElementById("giu-nguyen");
  function refusedMarks(untouched) {
    return untouched.length && !(keepReason && keepReason.value.trim()) ? "keep" : "";
  }
  var sendDialog = document.getElementById("send-confirm");
  var sendAnyway = false;
  function askBeforeSending(found, refused) {
    var list = document.getElementById("send-confirm-list");
    list.textContent = "";
    found.forEach(function (pair) {
      var li = document.createElement("li");
      li.textContent = pair[1];
      list.appendChild(li);
    });
    // Refused: said plainly, with no "send anyway" (the server would answer 400).
    document.getElementById("send-refused-rules").hidden = refused !== "rules";
    document.getElementById("send-refused-explain").hidden = refused !== "explain";
    document.getElementById("send-refused-keep").hidden = refused !== "keep";
    document.getElementById("send-anyway-ask").hidden = !!refused;
    document.getElementById("send-anyway").hidden = !!refused;
    document.getElementById("send-refused-close").hidden = !refused;
    sendDialog.returnValue = "";
    sendDialog.onclose = function () {
      if (sendDialog.returnValue === "send") {
        sendAnyway = true;
        submitForm.requestSubmit(document.getElementById("submit-report"));
      } else if (sendDialog.returnValue === "close") {
        document.getElementById("submit-report").focus();
      } else if (refused === "explain") {
        explanation.focus();
      } else if (isCell(found[0][0])) {
        focusCell(found[0][0]);
      } else {
        found[0][0].focus();
      }
    };
    sendDialog.showModal();
  }
  // The confirmation box (required: without script the browser asks for it) is asked
  // after the cells still to fill and the rules that refuse the send, in the page's
  // words beside the box (the server says the same if it is bypassed).
  var confirmSend = submitForm && submitForm.querySelector('input[type="checkbox"][required]');
  var confirmError = document.getElementById("confirm-send-error");
  if (confirmSend) {
    submitForm.noValidate = true;
    confirmSend.addEventListener("change", function () {
      if (!confirmSend.checked) return;
      confirmError.hidden = true;
      confirmSend.removeAttribute("aria-invalid");
    });
  }
  if (submitForm) {
    checkSubmit();
    submitForm.addEventListener("submit", function (e) {
      var found = checkSubmit();
      if (found.length) {
        e.preventDefault();
        focusCell(found[0][0]);
        return;
      }
      var failing = failingRules();
      var refused = refusedRules(failing);
      if (refused && sendDialog) {
        e.preventDefault();
        askBeforeSending(failing, refused);
        return;
      }
      var untouched = untouchedMarks();
      if (refusedMarks(untouched) && sendDialog) {
        e.preventDefault();
        askBeforeSending(untouched, "keep");
        return;
      }
      if (confirmSend && !confirmSend.checked) {
        e.preventDefault();
        confirmError.hidden = false;
        confirmSend.setAttribute("aria-invalid", "true");
        confirmSend.focus();
        return;
      }
      if (sendAnyway || !sendDialog) return;
      var doubts = overlooked().concat(failing);
      if (doubts.length) {
        e.preventDefault();
        askBeforeSending(doubts, "");
      }
    });
  }

  function applySaved(scope, body) {
    body.cells.forEach(function (cell) {
      var input = find(scope, cell.indicator, cell.option);
      if (!input) return;
      input.dataset.version = cell.version;
      input.dataset.saved = cell.value;
      input.dataset.comment = cell.comment;
      if (document.activeElement !== input || input.value === input.dataset.sent) input.value = cell.value;
      setState(input, "saved", T.saved);
    });
    body.warnings.forEach(function (w) {
      var input = find(scope, w.indicator, w.option);
      if (input) setState(input, "warning", w.warning);
    });
    (body.marks || []).forEach(function (m) { showFixed(scope, m); });
    // A derived value, or "—" and why: the inputs still to fill, or a division by zero.
    Object.keys(body.derived || {}).forEach(function (code) {
      var out = root.querySelector('output[data-derived="' + code + '"]');
      if (out) out.textContent = body.derived[code] || "—";
      var why = document.getElementById("derived-why-" + code);
      if (why) why.textContent = (body.derived_why || {})[code] || "";
    });
    showRules(scope, body.failed || []);
  }

  // A cell marked to fix reads "Đã sửa, chờ gửi lại" once its value is no longer the one
  // marked, "Cần sửa" again if it goes back (the server says which: the save's "marks"),
  // in the cell and in the list of marks above the grid.
  function showFixed(scope, mark) {
    var input = find(scope, mark.indicator, mark.option);
    var places = input ? [input.closest("td")] : [];
    Array.prototype.forEach.call(document.querySelectorAll("#marks li.mark-fix"), function (li) {
      if (li.dataset.indicator === mark.indicator && li.dataset.option === mark.option) places.push(li);
    });
    var word = mark.fixed ? T.mark_fixed : T.mark_open;
    places.forEach(function (place) {
      place.classList.toggle("mark-fixed", mark.fixed);
      var said = place.querySelector(".cell-mark");
      if (said) said.textContent = word + (said.dataset.note ? ": " + said.dataset.note : "");
      else place.querySelector(".mark-word").textContent = word;
    });
  }

  function showError(scope, inputs, result) {
    var error = result.body.error || {};
    var message = result.status === 409 && error.code === "stale_version" ? T.stale : (error.message || T.failed);
    var details = error.details || [];
    inputs.forEach(function (input) {
      var own = details.filter(function (d) {
        return d.indicator === input.dataset.indicator && (d.option || "") === input.dataset.option && d.problem;
      });
      setState(input, "error", own.length ? own[0].problem : message);
      delete input.dataset.sent;  // not saved: committing it again tries again
    });
  }

  // One save at a time, in order: each carries the version the previous one returned,
  // and a pasted block over many units' rows reaches the server one unit after another.
  var queue = Promise.resolve();
  function enqueue(job) {
    queue = queue.then(job, job);
    return queue;
  }

  function save(inputs, values, comment) {
    var scope = scopeOf(inputs[0]);
    inputs.forEach(function (input, i) {
      input.dataset.sent = values[i];
      setState(input, "saving", T.saving);
    });
    return enqueue(function () {
      var cells = inputs.map(function (input, i) { return payload(input, values[i], comment); });
      return post(scope.dataset.saveUrl, cells).then(function (result) {
        if (result.status === 200) applySaved(scope, result.body);
        else showError(scope, inputs, result);
        checkSubmit();
        return result;
      });
    });
  }

  root.addEventListener("focusin", function (e) {
    if (isCell(e.target)) selectText(e.target);
  });

  // A cell saves when its value is committed: on leaving it (change) or on Enter, which
  // also commits the last cell of the grid, where there is nowhere to move to. A value
  // already sent is not sent twice (Enter, then the blur's change).
  function commit(input) {
    if (!isCell(input) || input.readOnly) return;
    var value = input.value.trim();
    if (value === (input.dataset.saved || "") || value === input.dataset.sent) return;
    save([input], [value]);
  }

  root.addEventListener("change", function (e) { commit(e.target); });

  // Leaving the page with a typed value not yet sent asks first.
  window.addEventListener("beforeunload", function (e) {
    var cell = document.activeElement;
    if (!isCell(cell) || cell.readOnly) return;
    var value = cell.value.trim();
    if (value === (cell.dataset.saved || "") || value === cell.dataset.sent) return;
    e.preventDefault();
    e.returnValue = "";
  });

  root.addEventListener("keydown", function (e) {
    var input = e.target;
    if (!isCell(input)) return;
    var key = e.key;
    if (e.altKey && (key === "c" || key === "C")) { e.preventDefault(); openComment(input); return; }
    if (e.altKey && (key === "h" || key === "H")) { e.preventDefault(); openHistory(input); return; }
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (key === "Enter") { e.preventDefault(); commit(input); move(input, e.shiftKey ? -1 : 1, 0); }
    else if (key === "ArrowDown") { e.preventDefault(); move(input, 1, 0); }
    else if (key === "ArrowUp") { e.preventDefault(); move(input, -1, 0); }
    else if (key === "ArrowLeft" && (wholeSelected(input) || input.selectionEnd === 0)) { e.preventDefault(); move(input, 0, -1); }
    else if (key === "ArrowRight" && (wholeSelected(input) || atEnd(input))) { e.preventDefault(); move(input, 0, 1); }
    else if (key === "Escape" && !input.readOnly) { input.value = input.dataset.saved || ""; selectText(input); }
  });

  // A block copied from Excel: tab-separated columns, one line per row.
  root.addEventListener("paste", function (e) {
    var start = e.target;
    if (!isCell(start) || start.readOnly) return;
    var text = (e.clipboardData || window.clipboardData).getData("text");
    var trimmed = text.replace(/\r/g, "").replace(/\n+$/, "");
    if (trimmed.indexOf("\t") < 0 && trimmed.indexOf("\n") < 0) return;
    e.preventDefault();
    var p = where.get(start);
    var byScope = new Map();
    trimmed.split("\n").forEach(function (line, i) {
      var row = rows[p[0] + i];
      if (!row) return;
      line.split("\t").forEach(function (value, j) {
        var input = row[p[1] + j];
        if (!input || input.readOnly) return;
        var scope = scopeOf(input);
        if (!byScope.has(scope)) byScope.set(scope, { inputs: [], values: [] });
        byScope.get(scope).inputs.push(input);
        byScope.get(scope).values.push(value.trim());
        input.value = value.trim();
      });
    });
    byScope.forEach(function (group) {
      save(group.inputs, group.values).then(function (result) {
        if (result.status !== 200) {
          group.inputs.forEach(function (input) { input.value = input.dataset.saved || ""; });
        }
      });
    });
  });

  // The comment of a cell, in a dialog; saved with the cell's value through the same call.
  var commentDialog = document.getElementById("comment-dialog");
  var commentFor = null;
  function openComment(input) {
    if (input.readOnly || !commentDialog) return;
    commentFor = input;
    document.getElementById("comment-cell").textContent = input.getAttribute("aria-label");
    var text = document.getElementById("comment-text");
    text.value = input.dataset.comment || "";
    commentDialog.returnValue = "";
    commentDialog.showModal();
    text.focus();
  }
  if (commentDialog) {
    document.getElementById("comment-text").addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); commentDialog.close("save"); }
    });
    commentDialog.addEventListener("close", function () {
      var input = commentFor;
      commentFor = null;
      if (!input) return;
      if (commentDialog.returnValue === "save") {
        var comment = document.getElementById("comment-text").value.trim();
        save([input], [input.value.trim()], comment);
      }
      focusCell(input);
    });
  }

  // The history of a cell: the history page, shown in a dialog.
  var historyDialog = document.getElementById("history-dialog");
  function historyLink(input) { return input.closest("td").querySelector("a.cell-history"); }
  function openHistory(input) {
    var link = historyLink(input);
    if (!link || !historyDialog) return;
    fetch(link.href, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var table = page.querySelector("#history table");
      var body = document.getElementById("history-body");
      body.textContent = "";
      var title = document.createElement("p");
      title.textContent = input.getAttribute("aria-label");
      body.appendChild(title);
      if (table) body.appendChild(document.importNode(table, true));
      historyDialog.showModal();
      historyDialog.querySelector("button").focus();
    });
    historyDialog.onclose = function () { focusCell(input); };
  }

  root.addEventListener("click", function (e) {
    var button = e.target.closest("button.cell-comment");
    if (button) { openComment(button.closest("td").querySelector(".cell-input")); return; }
    var link = e.target.closest("a.cell-history");
    if (link && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
      e.preventDefault();
      openHistory(link.closest("td").querySelector(".cell-input"));
    }
  });
})();
