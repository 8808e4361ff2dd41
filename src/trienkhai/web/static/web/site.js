// A little help for keyboard users; every page works without it.
// After a refused submission, put the cursor in the first field that needs fixing.
document.addEventListener("DOMContentLoaded", function () {
  var invalid = document.querySelector("form [aria-invalid=true]");
  if (invalid) { invalid.focus(); return; }
  var errors = document.querySelector(".errors[role=alert]");
  if (errors) {
    var first = errors.closest("form") && errors.closest("form").querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }
});

// Unit pickers (web.forms.UnitInput): a combobox. A list under the field offers units,
// each named with where it sits ("Xã Tân Hòa — Huyện Vĩnh Thuận, Tỉnh Kiên Giang"), with
// until when it lived if it has ended ("Xã Tân Hòa (đến 30/06/2025) — …"), and its code
// in small type: the user's own units (the page's datalist) as one starts, then the
// units the API finds that the user may see (accents optional). Up and Down move,
// Enter or a click writes "Name (CODE)" in the field, Escape closes. Without the script
// the datalist offers the user's own units and the field still takes a name or a code.
document.addEventListener("DOMContentLoaded", function () {
  var english = document.documentElement.lang === "en";
  var say = english
    ? function (n) { return n ? n + (n === 1 ? " unit offered" : " units offered") : "No unit found"; }
    : function (n) { return n ? n + " đơn vị gợi ý" : "Không tìm thấy đơn vị nào"; };
  var written = /^(.*?)\s*\(([^()\s]+)\)\s*$/;
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
  }

  document.querySelectorAll("input[data-units]").forEach(function (input, n) {
    var datalist = document.getElementById(input.getAttribute("list"));
    var own = datalist ? Array.prototype.map.call(datalist.options, function (option) {
      var match = written.exec(option.value) || [null, option.value, ""];
      var when = option.dataset.when || "";
      var context = when ? option.dataset.context : option.getAttribute("label");
      return { name: match[1], code: match[2], context: context || "", when: when };
    }) : [];
    var listbox = document.createElement("ul");
    listbox.id = (input.id || "unit-picker-" + n) + "-options";
    listbox.className = "unit-options";
    listbox.setAttribute("role", "listbox");
    // Named apart from the field: a name holding the field's label would be found by it.
    listbox.setAttribute("aria-label", english ? "Suggestions" : "Gợi ý");
    listbox.hidden = true;
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.removeAttribute("list");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.insertAdjacentElement("afterend", listbox);
    listbox.insertAdjacentElement("afterend", status);
    var offered = [];
    var active = -1;
    var timer = null;

    function open(yes) {
      listbox.hidden = !yes;
      input.setAttribute("aria-expanded", yes ? "true" : "false");
      if (!yes) { active = -1; input.removeAttribute("aria-activedescendant"); }
    }
    function show(units, announce) {
      offered = units;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      listbox.replaceChildren.apply(listbox, units.map(function (unit, i) {
        var item = document.createElement("li");
        item.id = listbox.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "unit-name";
        name.textContent = unit.name;
        item.appendChild(name);
        if (unit.when) {
          var when = document.createElement("span");
          when.className = "unit-when";
          when.textContent = " (" + unit.when + ")";
          item.appendChild(when);
        }
        if (unit.context) {
          var where = document.createElement("span");
          where.className = "unit-context";
          where.textContent = " — " + unit.context;
          item.appendChild(where);
        }
        var code = document.createElement("small");
        code.className = "unit-code";
        code.textContent = " " + unit.code;
        item.appendChild(code);
        item.addEventListener("click", function () { choose(unit); });
        return item;
      }));
      open(units.length > 0);
      if (announce || units.length) status.textContent = say(units.length);
    }
    function move(step) {
      if (!offered.length) return;
      var items = listbox.children;
      if (active >= 0) items[active].setAttribute("aria-selected", "false");
      active = (active + step + offered.length) % offered.length;
      items[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }
    function choose(unit) {
      input.value = unit.name + " (" + unit.code + ")";
      open(false);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      input.focus();
    }
    function ownMatching(text) {
      var words = fold(text).split(" ").filter(Boolean);
      return own.filter(function (unit) {
        var key = fold(unit.name + " " + unit.code);
        return words.every(function (word) { return key.indexOf(word) >= 0; });
      });
    }

    // A click on the list keeps the focus in the field (the list closes when it leaves).
    listbox.addEventListener("mousedown", function (e) { e.preventDefault(); });
    input.addEventListener("blur", function () { open(false); });
    input.addEventListener("keydown", function (e) {
      var shown = !listbox.hidden;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (!shown) { show(offered.length ? offered : ownMatching(input.value)); return; }
        move(e.key === "ArrowDown" ? 1 : -1);
      } else if (e.key === "Enter" && shown && active >= 0) {
        // The option, not the form (nor the form designer's "add this unit").
        e.preventDefault();
        e.stopImmediatePropagation();
        choose(offered[active]);
      } else if (e.key === "Escape" && shown) {
        e.preventDefault();
        open(false);
      }
    });
    input.addEventListener("input", function () {
      var text = input.value.trim();
      clearTimeout(timer);
      if (!text || written.test(text)) { open(false); offered = []; return; }
      show(ownMatching(text));
      if (text.length < 2) return;
      timer = setTimeout(function () {
        var url = input.dataset.units + "?limit=15&q=" + encodeURIComponent(text);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (units) {
            if (input.value.trim() !== text || document.activeElement !== input) return;
            show(units, true);
          })
          .catch(function () {});
      }, 200);
    });
  });
});

// The menu on a phone: folded behind its button (site.css, below 600 px), which says
// whether it is open (aria-expanded). Escape closes it and gives the focus back to the
// button. Without the script the button stays hidden and the menu is a plain list.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector("header.top .menu-toggle");
  var menu = document.getElementById("site-menu");
  if (!button || !menu) return;
  var header = button.closest("header");
  button.hidden = false;
  header.classList.add("menu-ready");
  function setOpen(open) { button.setAttribute("aria-expanded", open ? "true" : "false"); }
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    setOpen(open);
    if (open) {
      var first = menu.querySelector("a, button");
      if (first) first.focus();
    }
  });
  menu.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && button.getAttribute("aria-expanded") === "true" && button.offsetParent !== null) {
      setOpen(false);
      button.focus();
    }
  });
});

// Unit pickers, browsed as a tree: a button beside each picker opens a dialog listing
// the top of what the user may see (their own units first), each unit with a button to
// choose it and one to open the units under it (GET /api/v1/units?parent=CODE). Choosing
// fills the picker with "Name (CODE)", as typing would. Keyboard: Tab between buttons,
// Enter or Space to open or choose, Escape closes. Without the script, no button.
document.addEventListener("DOMContentLoaded", function () {
  var english = document.documentElement.lang === "en";
  var words = english
    ? { browse: "Browse the tree", title: "Choose a unit", choose: "Choose", open: "Units under", none: "No units under it", close: "Close", failed: "The units could not be loaded." }
    : { browse: "Chọn trong cây", title: "Chọn đơn vị", choose: "Chọn", open: "Đơn vị trực thuộc", none: "Không có đơn vị trực thuộc", close: "Đóng", failed: "Không tải được danh sách đơn vị." };

  function load(url, into) {
    into.setAttribute("aria-busy", "true");
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .finally(function () { into.removeAttribute("aria-busy"); });
  }

  function branch(input, dialog, units) {
    var list = document.createElement("ul");
    list.className = "unit-tree";
    units.forEach(function (unit) {
      var item = document.createElement("li");
      var toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "tree-toggle";
      toggle.textContent = "▸";
      toggle.setAttribute("aria-expanded", "false");
      toggle.setAttribute("aria-label", words.open + ": " + unit.name);
      var choose = document.createElement("button");
      choose.type = "button";
      choose.className = "link";
      choose.textContent = unit.name;
      choose.setAttribute("aria-label", words.choose + ": " + unit.name);
      var code = document.createElement("span");
      code.className = "muted";
      code.textContent = " " + unit.code;
      choose.addEventListener("click", function () {
        input.value = unit.name + " (" + unit.code + ")";
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
        dialog.close();
        input.focus();
      });
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") === "true";
        var below = item.querySelector(":scope > ul, :scope > p");
        if (open) {
          if (below) below.hidden = true;
          toggle.setAttribute("aria-expanded", "false");
          toggle.textContent = "▸";
          return;
        }
        toggle.setAttribute("aria-expanded", "true");
        toggle.textContent = "▾";
        if (below) { below.hidden = false; return; }
        load(input.dataset.units + "?limit=200&parent=" + encodeURIComponent(unit.code), item)
          .then(function (children) {
            if (children.length) { item.appendChild(branch(input, dialog, children)); return; }
            var none = document.createElement("p");
            none.className = "muted";
            none.textContent = words.none;
            item.appendChild(none);
          })
          .catch(function () {
            var failed = document.createElement("p");
            failed.className = "errors";
            failed.textContent = words.failed;
            item.appendChild(failed);
          });
      });
      item.append(toggle, " ", choose, code);
      list.appendChild(item);
    });
    return list;
  }

  document.querySelectorAll("input[data-units]").forEach(function (input, n) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "unit-browse";
    button.textContent = words.browse;
    button.setAttribute("aria-haspopup", "dialog");
    var dialog = document.createElement("dialog");
    dialog.className = "unit-tree-dialog";
    dialog.setAttribute("aria-labelledby", "unit-tree-title-" + n);
    var title = document.createElement("h2");
    title.id = "unit-tree-title-" + n;
    title.textContent = words.title;
    var body = document.createElement("div");
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = words.close;
    close.addEventListener("click", function () { dialog.close(); button.focus(); });
    dialog.append(title, body, close);
    // The button on the input's line (site.css .unit-picker-row), the list of suggestions
    // under both. Moving a focused input takes its focus away: it is given back.
    var focused = document.activeElement === input;
    var row = document.createElement("span");
    row.className = "unit-picker-row";
    input.insertAdjacentElement("beforebegin", row);
    row.append(input, button);
    row.insertAdjacentElement("afterend", dialog);
    if (focused) input.focus();
    button.addEventListener("click", function () {
      dialog.showModal();
      if (body.childElementCount) return;
      load(input.dataset.units + "?limit=200", body)
        .then(function (units) { body.appendChild(branch(input, dialog, units)); })
        .catch(function () { body.textContent = words.failed; });
    });
  });
});

// The browser's own words for a missing field or a file picker are in the browser's
// language ("Please fill out this field", "Choose File"), not the page's. Say them in the
// page's language: the message of an empty required field, and a file picker made of a
// button and the chosen file's name (the native input stays, visually hidden, focusable
// and labelled, so the keyboard and screen readers use it as before).
document.addEventListener("DOMContentLoaded", function () {
  var english = document.documentElement.lang === "en";
  var words = english
    ? { fill: "Please fill in this field.", pick: "Please choose an option.", file: "Please choose a file.", choose: "Choose a file…", none: "No file chosen" }
    : { fill: "Hãy điền vào ô này.", pick: "Hãy chọn một mục.", file: "Hãy chọn một tệp.", choose: "Chọn tệp…", none: "Chưa chọn tệp nào" };

  document.addEventListener("invalid", function (e) {
    var field = e.target;
    if (!field.validity || !field.validity.valueMissing) return;
    field.setCustomValidity(field.type === "file" ? words.file : field.tagName === "SELECT" || field.type === "radio" || field.type === "checkbox" ? words.pick : words.fill);
  }, true);
  function clear(e) { if (e.target.setCustomValidity) e.target.setCustomValidity(""); }
  document.addEventListener("input", clear, true);
  document.addEventListener("change", clear, true);

  document.querySelectorAll("input[type=file]").forEach(function (input) {
    var wrap = document.createElement("span");
    wrap.className = "file-picker";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = words.choose;
    button.setAttribute("aria-hidden", "true");
    button.tabIndex = -1;
    var name = document.createElement("span");
    name.className = "file-name";
    name.setAttribute("aria-hidden", "true");
    name.textContent = words.none;
    input.classList.add("file-native");
    input.insertAdjacentElement("beforebegin", wrap);
    wrap.append(input, button, " ", name);
    button.addEventListener("click", function () { input.click(); });
    input.addEventListener("change", function () {
      name.textContent = input.files.length
        ? Array.prototype.map.call(input.files, function (f) { return f.name; }).join(", ")
        : words.none;
    });
    input.addEventListener("focus", function () { wrap.classList.add("focused"); });
    input.addEventListener("blur", function () { wrap.classList.remove("focused"); });
  });
});

// Long lists of checkboxes (fieldset[data-search], such as the analytics pages'
// indicators): a search field above them keeps the options whose name or code holds all
// the words typed (accents optional), ticked ones always shown, and a group's heading
// only while something under it shows. Without the script the whole list shows.
document.addEventListener("DOMContentLoaded", function () {
  var english = document.documentElement.lang === "en";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
  }
  document.querySelectorAll("fieldset[data-search]").forEach(function (fieldset, n) {
    var options = Array.prototype.map.call(fieldset.querySelectorAll("input[type=checkbox]"), function (box) {
      var label = box.closest("label") || box.parentNode;
      var row = label.parentNode;
      // Django's grouped choices: <div><label>Group</label><div><label><input> …
      var group = row.parentNode.querySelector(":scope > label:not(:has(input))") ? row.parentNode : null;
      return { box: box, row: row, group: group, key: fold(label.textContent + " " + box.value) };
    });
    var groups = options.map(function (o) { return o.group; }).filter(function (g, i, all) {
      return g && all.indexOf(g) === i;
    });
    var field = document.createElement("input");
    field.type = "search";
    field.id = "list-search-" + n;
    field.className = "list-search";
    field.placeholder = english ? "Type a few letters of the name" : "Gõ vài chữ của tên, không cần dấu";
    field.setAttribute("aria-label", fieldset.dataset.search);
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    fieldset.querySelector("legend").insertAdjacentElement("afterend", field);
    field.insertAdjacentElement("afterend", status);
    function filter() {
      var words = fold(field.value).split(" ").filter(Boolean);
      var shown = 0;
      options.forEach(function (o) {
        var show = o.box.checked || words.every(function (w) { return o.key.indexOf(w) >= 0; });
        o.row.hidden = !show;
        if (show) shown += 1;
      });
      groups.forEach(function (group) {
        group.hidden = !options.some(function (o) { return o.group === group && !o.row.hidden; });
      });
      status.textContent = words.length ? (english ? shown + " shown" : "Hiện " + shown + " mục") : "";
    }
    field.addEventListener("input", filter);
    field.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();  // searching is not sending
    });
  });
});
