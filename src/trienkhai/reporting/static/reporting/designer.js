// The form designer (issue 14 item 3). Every part works without this script: the
// check boxes post in page order, the "lên"/"xuống" buttons of a form's layout post one
// move each, the count shows after a post. With it: search the indicators by name
// (accents optional), order the chosen ones, drag or move rows with the keyboard, add
// units one by one, and see "n đơn vị báo cáo" change as one chooses.
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function say(status, text) {
    if (!status) return;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  // A new form's code: the one the server makes from the name when the box is left
  // empty (services.short_code: the same rule), said under the box as the name is typed.
  var PERIOD_WORDS = ["nam", "quy", "thang", "tuan"];
  function shortCode(name) {
    var words = fold(name).match(/[a-z0-9]+/g) || [];
    var marks = words.map(function (w) { return /^[0-9]+$/.test(w) ? w : w.charAt(0).toUpperCase(); });
    var cut = 0;
    for (var n = 1; n < Math.min(words.length, 4); n++) {
      if (PERIOD_WORDS.indexOf(words[n]) >= 0) { cut = n + 1; break; }
    }
    var head = marks.slice(0, cut).join(""), tail = marks.slice(cut).join("");
    var code = head && tail ? head + "-" + tail : head + tail;
    return code.slice(0, 20).replace(/-+$/, "") || "BIEU";
  }
  function codeSuggestion(form) {
    var name = form.querySelector("input[name=name]");
    var code = form.querySelector("input[name=code]");
    var said = document.getElementById("code-suggestion");
    if (!name || !code || !said) return;
    function show() {
      var empty = code.value.trim() === "";
      said.hidden = !empty || name.value.trim() === "";
      if (!said.hidden) said.textContent = said.dataset.template.replace("__code__", shortCode(name.value));
      code.placeholder = name.value.trim() ? shortCode(name.value) : "";
    }
    name.addEventListener("input", show);
    code.addEventListener("input", show);
    show();
  }

  // Indicators of a new form: search, pick, order ------------------------------------
  function indicatorPicker(box) {
    // Two lists (typed or computed; counted from the registers), each ordered on its own.
    var lists = Array.prototype.slice.call(box.querySelectorAll(".indicator-list"));
    var search = box.querySelector("#indicator-search");
    var counter = box.querySelector(".picked-count");
    box.querySelector(".search-field").hidden = false;
    box.querySelectorAll(".order-buttons").forEach(function (b) { b.hidden = false; });

    function rows(list) {
      if (list) return Array.prototype.slice.call(list.children);
      return lists.reduce(function (all, l) { return all.concat(rows(l)); }, []);
    }
    function picked(li) { var c = li.querySelector("input[type=checkbox]"); return c && c.checked; }
    function place(li) {
      // Chosen rows stay first in the order chosen; the others go back by name.
      var list = li.parentNode;
      list.removeChild(li);
      var others = rows(list);
      if (picked(li)) {
        var firstFree = others.find(function (o) { return !picked(o); });
        list.insertBefore(li, firstFree || null);
      } else {
        var after = others.find(function (o) {
          return !picked(o) && Number(o.dataset.index) > Number(li.dataset.index);
        });
        list.insertBefore(li, after || null);
      }
    }
    function count() {
      var n = rows().filter(picked).length;
      counter.textContent = counter.dataset.template.replace("__n__", n);
    }
    function filter() {
      var wanted = fold(search.value);
      lists.forEach(function (list) {
        var shown = 0;
        rows(list).forEach(function (li) {
          li.hidden = !picked(li) && wanted !== "" && (li.dataset.search || "").indexOf(wanted) < 0;
          if (!li.hidden) shown++;
        });
        // A group none of whose rows matches goes, heading and all.
        var group = list.closest(".indicator-group");
        if (group) group.hidden = shown === 0 && rows(list).length > 0;
      });
    }
    lists.forEach(function (list) {
      list.addEventListener("change", function (event) {
        var li = event.target.closest("li");
        if (!li) return;
        place(li);
        event.target.focus();
        count();
        filter();
      });
      list.addEventListener("click", function (event) {
        var button = event.target.closest("button.move");
        if (!button) return;
        var li = button.closest("li");
        if (!picked(li)) { say(counter, box.dataset.pickFirst || ""); return; }
        if (button.classList.contains("up")) {
          var before = li.previousElementSibling;
          if (before) list.insertBefore(li, before);
        } else {
          var next = li.nextElementSibling;
          if (next && picked(next)) list.insertBefore(next, li);
        }
        button.focus();
      });
    });
    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();  // searching is not sending
    });
    box.querySelector("#pick-shown").addEventListener("click", function () {
      rows().forEach(function (li) {
        var c = li.querySelector("input[type=checkbox]");
        if (c && !li.hidden && !c.checked) { c.checked = true; place(li); }
      });
      count();
    });
  }

  // Reporting units: one by one, and the count ----------------------------------------
  var FORM_FIELDS = ["period_type", "calendar", "deadline_days"];
  function unitsChooser(box) {
    var form = box.closest("form");
    var picker = box.querySelector("input[data-units]");
    var add = box.querySelector(".add-unit");
    var picked = box.querySelector("ul.picked");
    var output = box.querySelector(".unit-count output");
    var warnings = box.querySelector(".live-warnings");
    var names = box.querySelector(".unit-names");
    var owner = form.querySelector("input[name=owner]");
    var timer = null;
    var said = !!document.getElementById("warnings");
    add.hidden = false;

    function field(name) { return box.querySelector("[name$='" + name + "']"); }
    function recount() {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var params = new URLSearchParams();
        params.set("owner", box.dataset.owner || (owner ? owner.value : ""));
        if (!params.get("owner")) return;
        picked.querySelectorAll("input:checked").forEach(function (c) { params.append("units", c.value); });
        // Several kinds: each checked box is one more "kind=" (any of them reports).
        box.querySelectorAll("input[type=checkbox][name$='kind']:checked").forEach(function (c) {
          params.append("kind", c.value);
        });
        // The period, calendar and deadline too, where the page has them (a new form):
        // a start day in the past makes its periods overdue at once, said live.
        ["level", "valid_from"].concat(FORM_FIELDS).forEach(function (name) {
          var input = field(name) || form.querySelector("[name$='" + name + "']");
          if (input && input.value) params.set(name, input.value);
        });
        fetch(box.dataset.countUrl + "?" + params.toString(), {
          credentials: "same-origin", headers: { Accept: "application/json" }
        })
          .then(function (response) { return response.json(); })
          .then(function (answer) {
            box.dataset.answered = "yes";  // for a test to know the count came back
            if (answer.error) { output.textContent = answer.error.message; return; }
            output.textContent = answer.text;
            if (names) names.textContent = answer.names || "";
            // A refused create already lists these warnings above its button: said once.
            if (said) { said = false; return; }
            warnings.replaceChildren.apply(warnings, answer.warnings.map(function (w) {
              var li = document.createElement("li");
              li.textContent = w;
              return li;
            }));
          })
          .catch(function () {});
      }, 250);
    }
    function addUnit() {
      var match = /^(.*)\(([^()\s]+)\)\s*$/.exec(picker.value.trim());
      if (!match) { picker.focus(); return; }
      var exists = Array.prototype.some.call(picked.querySelectorAll("input"), function (c) {
        return c.value === match[2];
      });
      if (!exists) {
        var li = document.createElement("li");
        var label = document.createElement("label");
        var check = document.createElement("input");
        check.type = "checkbox";
        check.name = picked.dataset.name;
        check.value = match[2];
        check.checked = true;
        label.append(check, " " + picker.value.trim());
        li.append(label);
        picked.append(li);
      }
      picker.value = "";
      picker.focus();
      recount();
    }
    add.addEventListener("click", addUnit);
    picker.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); addUnit(); }
    });
    box.addEventListener("change", function (event) {
      if (event.target !== picker) recount();
    });
    if (owner) owner.addEventListener("change", recount);
    ["valid_from"].concat(FORM_FIELDS).forEach(function (name) {
      var input = form.querySelector("[name$='" + name + "']");
      if (input && !box.contains(input)) input.addEventListener("change", recount);
    });
    recount();
  }

  // A form's layout: drag, or "lên"/"xuống" with the keyboard --------------------------
  function layoutEditor(list) {
    var status = list.parentNode.querySelector(".layout-status");
    var dragged = null;

    function isSection(li) { return li.classList.contains("layout-section"); }
    function label(li) { return li.dataset.label; }
    function block(li) {
      // A section moves with the indicators under it.
      var rows = [li];
      if (!isSection(li)) return rows;
      var next = li.nextElementSibling;
      while (next && !isSection(next)) { rows.push(next); next = next.nextElementSibling; }
      return rows;
    }
    function move(li, up) {
      var rows = block(li);
      if (up) {
        var before = li.previousElementSibling;
        if (!before) return false;
        if (isSection(li)) {
          while (before && !isSection(before)) before = before.previousElementSibling;
          if (!before) return false;
        }
        rows.forEach(function (row) { list.insertBefore(row, before); });
      } else {
        var after = rows[rows.length - 1].nextElementSibling;
        if (!after) return false;
        if (isSection(li)) {
          if (!isSection(after)) return false;
          var tail = block(after);
          after = tail[tail.length - 1];
        }
        var anchor = after.nextElementSibling;
        rows.forEach(function (row) { list.insertBefore(row, anchor); });
      }
      return true;
    }
    function position(li) { return Array.prototype.indexOf.call(list.children, li) + 1; }

    list.addEventListener("click", function (event) {
      var button = event.target.closest("button.move");
      if (!button) return;
      event.preventDefault();
      var li = button.closest("li");
      var up = button.classList.contains("up");
      if (move(li, up)) {
        say(status, (up ? list.dataset.movedUp : list.dataset.movedDown)
          .replace("__name__", label(li)).replace("__n__", position(li)));
      } else {
        say(status, list.dataset.cannot.replace("__name__", label(li)));
      }
      button.focus();
    });
    list.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("li");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.dataset.token);
    });
    list.addEventListener("dragover", function (event) {
      var over = event.target.closest("li");
      if (!dragged || !over || over === dragged) return;
      event.preventDefault();
      var box = over.getBoundingClientRect();
      var below = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, below ? over.nextElementSibling : over);
    });
    list.addEventListener("drop", function (event) {
      event.preventDefault();
      if (dragged) say(status, list.dataset.dropped.replace("__name__", label(dragged)).replace("__n__", position(dragged)));
      dragged = null;
    });
    list.addEventListener("dragend", function () { dragged = null; });
  }

  // A new form refused for its warnings (an owner that has ended, nobody reports it):
  // the page comes back with them and their tick box beside the button; the focus goes
  // there, not to the top of a long page (site.js put it on the tick box alone).
  function showWarnings() {
    var warned = document.getElementById("warnings");
    if (!warned) return;
    warned.focus();
    warned.scrollIntoView({ block: "center" });
  }

  document.addEventListener("DOMContentLoaded", function () {
    showWarnings();
    var designer = document.getElementById("designer");
    if (designer) codeSuggestion(designer);
    var picker = document.getElementById("indicator-picker");
    if (picker) indicatorPicker(picker);
    document.querySelectorAll(".units-chooser").forEach(unitsChooser);
    var layout = document.getElementById("layout");
    if (layout) layoutEditor(layout);
  });
})();
