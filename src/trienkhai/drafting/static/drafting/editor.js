// The draft editor for people who never saw a placeholder (issue 14; decision 0048).
//
// Each narrative text shows as it will print: its words editable, each figure a chip
// that cannot be typed into, showing what it prints now and saying what it is (on
// hover, beside the text when the cursor reaches it, and to screen readers). "Chèn số
// liệu" opens a list of the figures in words, searched without accents. Left and Right
// step over a chip, Backspace and Delete remove it whole; Tab leaves the text for its
// "Chèn số liệu" button.
//
// What is saved does not change: the text boxes stay in the form, hidden, and hold the
// template text ("{so_ban_dang_ky} bản"), written back on every change; the chips are
// only a way of showing it. Without this script, or for a text whose braces do not
// match, the text box itself is the editor, with the legend beside it.
//
// A text is kept as a list of items, one per character or chip; every change that
// involves a chip (insert, delete, a line break, paste, undo) is made on that list and
// drawn again, so the page never holds formatting that the saved text cannot say.
(function () {
  "use strict";

  var form = document.getElementById("draft-editor");
  var data = document.getElementById("draft-figures");
  var picker = document.getElementById("figure-picker");
  if (!form || !data || !picker || typeof picker.showModal !== "function") return;

  var words = form.dataset;
  var figures = JSON.parse(data.textContent);
  var byName = {};
  figures.forEach(function (figure) { byName[figure.name] = figure; });
  var status = document.getElementById("editor-status");
  var CLIPBOARD = "text/x-trienkhai-template";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function say(text) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  // The template text -------------------------------------------------------------

  // Items of a template text as reports.fill reads it (Python's str.format): "{{" and
  // "}}" are braces, "{name}" or "{name:02}" a placeholder; null if a brace is unmatched.
  function parse(text) {
    var items = [];
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if ((c === "{" || c === "}") && text[i + 1] === c) { items.push(c); i++; continue; }
      if (c === "}") return null;
      if (c !== "{") { items.push(c); continue; }
      var depth = 1, j = i + 1;
      for (; j < text.length && depth; j++) {
        if (text[j] === "{") depth++;
        else if (text[j] === "}") depth--;
      }
      if (depth) return null;
      items.push({ field: text.slice(i + 1, j - 1) });
      i = j - 1;
    }
    return items;
  }

  function serialize(items) {
    return items.map(function (item) {
      if (typeof item !== "string") return "{" + item.field + "}";
      return item === "{" ? "{{" : item === "}" ? "}}" : item;
    }).join("");
  }

  // Plain text from elsewhere: its words as they are, a known "{name}" as its figure.
  var PLACEHOLDER = /\{([a-z_][a-z0-9_]*)(:0[1-9])?\}/g;
  function fromPlain(text) {
    var items = [], last = 0, match;
    text = text.replace(/\r\n?/g, "\n");
    PLACEHOLDER.lastIndex = 0;
    while ((match = PLACEHOLDER.exec(text))) {
      if (!byName[match[1]]) continue;
      items.push.apply(items, text.slice(last, match.index).split(""));
      items.push({ field: match[0].slice(1, -1) });
      last = match.index + match[0].length;
    }
    items.push.apply(items, text.slice(last).split(""));
    return items;
  }

  function nameOf(field) { return field.split(/[!:[.]/)[0]; }
  function specOf(field) {
    var colon = field.indexOf(":");
    return colon >= 0 && field.indexOf("!") < 0 ? field.slice(colon + 1) : "";
  }

  // What a chip says: [shown, in words, what it prints in words]. A chip printing nothing
  // shows "(không in gì)" and says no more of it: its words say when it prints.
  function described(field) {
    var figure = byName[nameOf(field)];
    if (!figure) return ["{" + field + "}", words.unknown, ""];
    var printed = specOf(field) in figure.prints ? figure.prints[specOf(field)] : figure.prints[""];
    if (figure.missing) return ["…", figure.meaning, words.missing];
    if (printed === "") return ["(" + words.empty + ")", figure.meaning, ""];
    return [printed, figure.meaning, printed];
  }

  function printedText(items) {
    return items.map(function (item) {
      if (typeof item === "string") return item;
      var figure = byName[nameOf(item.field)];
      if (!figure) return "";
      return figure.missing ? "…" : (figure.prints[specOf(item.field)] || figure.prints[""]);
    }).join("");
  }

  function chip(field) {
    var about = described(field);
    var span = document.createElement("span");
    span.className = "chip";
    span.contentEditable = "false";
    span.dataset.field = field;
    var figure = byName[nameOf(field)];
    if (!figure) span.classList.add("chip-unknown");
    else if (figure.missing) span.classList.add("chip-missing");
    else if (about[0] === "(" + words.empty + ")") span.classList.add("chip-empty");
    var shown = document.createElement("span");
    shown.className = "chip-value";
    shown.textContent = about[0];
    span.appendChild(shown);
    // Read by screen readers with the text; hidden from the eye (the title says it).
    var heard = document.createElement("span");
    heard.className = "visually-hidden";
    heard.textContent = " (" + words.figure + ": " + about[1] +
      (figure && about[2] && about[2] !== about[0] ? "; " + about[2] : "") + ")";
    span.appendChild(heard);
    span.title = about[1] + (about[2] ? " — " + words.prints + ": " + about[2] : "");
    return span;
  }

  // One editor -------------------------------------------------------------------------

  function isChip(node) { return node.nodeType === 1 && node.classList.contains("chip"); }

  function enhance(textarea) {
    var items = parse(textarea.value);
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    if (items === null || !label) return; // the text box says what is wrong with it
    var editor = document.createElement("div");
    editor.className = "draft-text";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    label.id = label.id || textarea.id + "-label";
    label.removeAttribute("for");
    label.addEventListener("click", function () { editor.focus(); });
    editor.setAttribute("aria-labelledby", label.id);
    var notes = ["chips-help"].concat((textarea.getAttribute("aria-describedby") || "").split(" "));
    editor.setAttribute("aria-describedby", notes.filter(Boolean).join(" "));
    if (textarea.getAttribute("aria-invalid")) {
      editor.setAttribute("aria-invalid", "true");
      textarea.removeAttribute("aria-invalid");
    }
    var bar = document.createElement("div");
    bar.className = "chip-bar";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "insert-figure";
    button.textContent = words.insert;
    var where = document.createElement("span");
    where.className = "visually-hidden";
    where.textContent = " (" + label.textContent.trim() + ")";
    button.appendChild(where);
    var info = document.createElement("p");
    info.className = "chip-info";
    bar.appendChild(button);
    bar.appendChild(info);
    textarea.hidden = true;
    textarea.insertAdjacentElement("afterend", editor);
    editor.insertAdjacentElement("afterend", bar);

    var done = [], undone = [], typing = null, saved = null;

    // The DOM as items, and where the given points ([node, offset]) fall among them.
    function scan(points) {
      var found = [], at = points.map(function () { return -1; });
      function mark(node, offset) {
        points.forEach(function (p, k) {
          if (at[k] < 0 && p[0] === node && p[1] === offset) at[k] = found.length;
        });
      }
      function walk(parent) {
        var kids = parent.childNodes;
        for (var i = 0; i < kids.length; i++) {
          mark(parent, i);
          var child = kids[i];
          if (child.nodeType === 3) {
            points.forEach(function (p, k) {
              if (at[k] < 0 && p[0] === child) at[k] = found.length + p[1];
            });
            found.push.apply(found, child.data.split(""));
          } else if (isChip(child)) {
            found.push({ field: child.dataset.field });
            points.forEach(function (p, k) {
              if (at[k] < 0 && child.contains(p[0])) at[k] = found.length;
            });
          } else if (child.nodeName === "BR") {
            if (child !== editor.lastChild) found.push("\n");
          } else if (child.nodeType === 1) {
            // a line the browser made a block of: a line break before it
            if (/^(DIV|P)$/.test(child.nodeName) && found.length && found[found.length - 1] !== "\n") found.push("\n");
            walk(child);
          }
        }
        mark(parent, kids.length);
      }
      walk(editor);
      return { items: found, at: at };
    }

    function selection() {
      var picked = window.getSelection();
      if (!picked.rangeCount) return null;
      var range = picked.getRangeAt(0);
      if (!editor.contains(range.startContainer) || !editor.contains(range.endContainer)) return null;
      var read = scan([[range.startContainer, range.startOffset], [range.endContainer, range.endOffset]]);
      var start = read.at[0] < 0 ? read.items.length : read.at[0];
      var end = read.at[1] < 0 ? start : read.at[1];
      return { items: read.items, start: Math.min(start, end), end: Math.max(start, end) };
    }

    function draw(list) {
      var parts = document.createDocumentFragment(), text = "";
      function flush() {
        if (text) parts.appendChild(document.createTextNode(text));
        text = "";
      }
      list.forEach(function (item) {
        if (typeof item === "string") { text += item; return; }
        flush();
        parts.appendChild(chip(item.field));
      });
      flush();
      // pre-wrap gives a last line break no line of its own, nor the cursor a place on it
      if (list.length && list[list.length - 1] === "\n") parts.appendChild(document.createElement("br"));
      editor.replaceChildren(parts);
    }

    function flat() {
      return Array.prototype.every.call(editor.childNodes, function (node) {
        return node.nodeType === 3 || isChip(node) || (node.nodeName === "BR" && node === editor.lastChild);
      });
    }

    // Put the cursor at item ``n`` (drawn flat: text nodes, chips, a final <br>).
    function place(n) {
      var kids = editor.childNodes, count = 0, node = editor, offset = kids.length;
      for (var i = 0; i < kids.length; i++) {
        var kid = kids[i];
        if (kid.nodeType === 3) {
          if (n <= count + kid.data.length) { node = kid; offset = n - count; break; }
          count += kid.data.length;
        } else {
          if (n <= count) { offset = i; break; }
          if (isChip(kid)) count += 1;
        }
      }
      var range = document.createRange();
      range.setStart(node, offset);
      range.collapse(true);
      var picked = window.getSelection();
      picked.removeAllRanges();
      picked.addRange(range);
      saved = n;
      explain();
    }

    function sync(list) { textarea.value = serialize(list || scan([]).items); }

    function state() {
      var now = selection();
      if (now) return { items: now.items, at: now.start };
      return { items: scan([]).items, at: saved === null ? 0 : saved };
    }

    function remember() {
      done.push(state());
      if (done.length > 200) done.shift();
      undone = [];
    }

    // Replace items [start, end) by ``added`` (the one change that touches chips).
    function change(start, end, added, list) {
      remember();
      typing = null;
      var next = (list || scan([]).items).slice();
      next.splice.apply(next, [start, end - start].concat(added));
      draw(next);
      place(start + added.length);
      sync(next);
    }

    function back(from, to) {
      if (!from.length) return;
      to.push(state());
      var then = from.pop();
      draw(then.items);
      place(then.at);
      sync(then.items);
    }

    // What the chip beside the cursor is, under the text.
    function explain() {
      editor.querySelectorAll(".chip.is-current").forEach(function (c) { c.classList.remove("is-current"); });
      var now = selection();
      var item = null, node = null;
      if (now && now.start === now.end) {
        if (typeof now.items[now.start - 1] === "object") item = now.start - 1;
        else if (typeof now.items[now.start] === "object") item = now.start;
      }
      if (item !== null) {
        node = editor.querySelectorAll(".chip")[now.items.slice(0, item).filter(function (x) {
          return typeof x === "object";
        }).length];
      }
      if (!node) { info.textContent = words.hint; return; }
      node.classList.add("is-current");
      var about = described(node.dataset.field);
      info.textContent = words.figure + ": " + about[1] + (about[2] ? " — " + words.prints + ": " + about[2] : "");
    }

    editor.addEventListener("keydown", function (event) {
      var key = event.key;
      var plain = !event.ctrlKey && !event.metaKey && !event.altKey;
      if ((event.ctrlKey || event.metaKey) && !event.altKey && (key === "z" || key === "Z" || key === "y")) {
        event.preventDefault();
        if (key === "y" || event.shiftKey) back(undone, done);
        else back(done, undone);
        return;
      }
      if (!plain || event.isComposing) return;
      var now = selection();
      if (!now) return;
      var items = now.items;
      if (key === "Tab") saved = now.start;
      if ((key === "ArrowLeft" || key === "ArrowRight") && !event.shiftKey && now.start === now.end) {
        var step = key === "ArrowLeft" ? -1 : 1;
        var beside = items[key === "ArrowLeft" ? now.start - 1 : now.start];
        if (typeof beside === "object") { event.preventDefault(); place(now.start + step); }
        return;
      }
      if ((key === "Backspace" || key === "Delete") && remove(now, key === "Backspace")) {
        event.preventDefault();
      }
    });

    // Backspace or Delete by a chip, or over a selection holding one: the chips go
    // whole, and are named as they go. False when only words go (the browser's work).
    function remove(now, backward) {
      var items = now.items, start = now.start, end = now.end;
      if (start === end) {
        if (backward) start -= 1; else end += 1;
        if (start < 0 || typeof items[start] !== "object") return false;
      }
      var gone = items.slice(start, end).filter(function (x) { return typeof x === "object"; });
      if (!gone.length) return false;
      change(start, end, [], items);
      say(words.deleted.replace("__what__", gone.map(function (x) { return described(x.field)[1]; }).join("; ")));
      return true;
    }

    editor.addEventListener("beforeinput", function (event) {
      var kind = event.inputType;
      if (/^format/.test(kind) || kind === "insertFromDrop" || kind === "deleteByDrag") {
        event.preventDefault();
      } else if (kind === "historyUndo" || kind === "historyRedo") {
        event.preventDefault();
        back(kind === "historyUndo" ? done : undone, kind === "historyUndo" ? undone : done);
      } else if (kind === "deleteContentBackward" || kind === "deleteContentForward") {
        // a phone's keyboard sends no Backspace key, only this
        var here = selection();
        if (here && remove(here, kind === "deleteContentBackward")) event.preventDefault();
        else if (!typing) remember();
      } else if (kind === "insertParagraph" || kind === "insertLineBreak") {
        event.preventDefault();
        var now = selection();
        if (now) change(now.start, now.end, ["\n"], now.items);
      } else if (!typing) {
        remember(); // the first key of a run of typing: one undo step for the run
      }
      if (/^(insert|delete)/.test(kind) && !event.defaultPrevented) {
        window.clearTimeout(typing);
        typing = window.setTimeout(function () { typing = null; }, 1000);
      }
    });

    editor.addEventListener("input", function (event) {
      if (event.isComposing) return;
      tidy(event.inputType === "insertText" && event.data === "}");
    });
    editor.addEventListener("compositionend", function () { tidy(false); });

    // After the browser's own change: keep the drawing flat, and take a typed "{name}"
    // (the old way, still understood) for its figure, or for a chip saying there is no
    // such figure.
    function tidy(closed) {
      var now = selection();
      var items = now ? now.items : scan([]).items;
      var at = now ? now.start : items.length;
      if (closed) {
        var open = at - 1;
        while (open >= 0 && at - open < 40 && items[open] !== "{" && typeof items[open] === "string") open--;
        var typed = items.slice(Math.max(open, 0), at);
        if (items[open] === "{" && typed.every(function (x) { return typeof x === "string"; })) {
          var match = /^\{([a-z_][a-z0-9_]*)(:0[1-9])?\}$/.exec(typed.join(""));
          if (match) { // an unknown name too: its chip says so, and saving refuses it
            items.splice(open, at - open, { field: typed.join("").slice(1, -1) });
            draw(items);
            place(open + 1);
            sync(items);
            return;
          }
        }
      }
      if (!flat()) { draw(items); place(at); }
      sync(items);
      explain();
    }

    function copied(event, cut) {
      var now = selection();
      if (!now || now.start === now.end) return;
      var part = now.items.slice(now.start, now.end);
      event.clipboardData.setData("text/plain", printedText(part));
      event.clipboardData.setData(CLIPBOARD, serialize(part));
      event.preventDefault();
      if (cut) change(now.start, now.end, [], now.items);
    }
    editor.addEventListener("copy", function (event) { copied(event, false); });
    editor.addEventListener("cut", function (event) { copied(event, true); });
    editor.addEventListener("paste", function (event) {
      event.preventDefault();
      var now = selection();
      if (!now) return;
      var template = event.clipboardData.getData(CLIPBOARD);
      var added = (template && parse(template)) || fromPlain(event.clipboardData.getData("text/plain"));
      change(now.start, now.end, added, now.items);
    });
    editor.addEventListener("dragstart", function (event) { event.preventDefault(); });

    editor.addEventListener("click", function (event) {
      var hit = event.target.closest && event.target.closest(".chip");
      if (!hit) return;
      var before = 0;
      for (var node = hit.previousSibling; node; node = node.previousSibling) {
        before += node.nodeType === 3 ? node.data.length : isChip(node) ? 1 : 0;
      }
      place(before + 1);
    });
    editor.addEventListener("focus", explain);
    // Where "Chèn số liệu" will put its figure: the cursor's last place in the text
    // (the selection stays there when Tab takes the focus to the button; its last
    // change may be told after that).
    document.addEventListener("selectionchange", function () {
      var now = selection();
      if (now) saved = now.start;
      if (document.activeElement === editor) explain();
    });
    editor.addEventListener("blur", function () {
      editor.querySelectorAll(".chip.is-current").forEach(function (c) { c.classList.remove("is-current"); });
      info.textContent = "";
    });

    var api = {
      editor: editor,
      label: label.textContent.trim(),
      insert: function (field) {
        var items = scan([]).items;
        var at = saved === null ? items.length : Math.min(saved, items.length);
        editor.focus();
        change(at, at, [{ field: field }], items);
      },
      sync: function () { sync(); },
      focusAt: function () {
        editor.focus();
        if (saved !== null) place(Math.min(saved, scan([]).items.length));
      },
    };
    button.addEventListener("click", function () {
      if (saved === null) saved = scan([]).items.length;
      openPicker(api);
    });
    draw(items);
    sync(items);
    return api;
  }

  // The picker ---------------------------------------------------------------------------

  var search = document.getElementById("figure-search");
  var list = document.getElementById("figure-options");
  var count = document.getElementById("figure-count");
  var target = null, offered = [], active = -1, chosen = false;

  function wordsOf(text) { return fold(text).split(/[^a-z0-9]+/).filter(Boolean); }

  // How well a figure's name answers what was typed, best first: the name itself, a name
  // starting with the typed words, one holding each of them as a word, then the rest
  // (the words found anywhere in its description). Being used already ranks no higher.
  function rank(figure, typed) {
    var name = wordsOf(figure.label), said = typed.join(" "), whole = name.join(" ");
    if (whole === said) return 0;
    if (whole.indexOf(said) === 0) return 1;
    if (typed.every(function (word) { return name.indexOf(word) >= 0; })) return 2;
    return 3;
  }

  function show() {
    var wanted = fold(search.value).split(" ").filter(Boolean);
    var typed = wordsOf(search.value);
    offered = figures.map(function (figure, i) {
      var key = fold(figure.meaning + " " + figure.label + " " + figure.name + " " + figure.prints[""]);
      if (!wanted.every(function (word) { return key.indexOf(word) >= 0; })) return null;
      return { figure: figure, rank: typed.length ? rank(figure, typed) : 0, at: i };
    }).filter(Boolean).sort(function (a, b) {
      return a.rank - b.rank || a.at - b.at;
    }).map(function (found) { return found.figure; });
    list.replaceChildren.apply(list, offered.map(function (figure, i) {
      var item = document.createElement("li");
      item.id = "figure-option-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      var what = document.createElement("span");
      what.className = "fig-meaning";
      what.textContent = figure.meaning;
      var notes = [];
      if (figure.missing) notes.push(words.missing);
      if (figure.used_in.length) {
        notes.push(list.dataset.used.replace("__where__", figure.used_in.map(function (label) {
          return /^\d/.test(label) ? list.dataset.paragraph + " " + label : label;
        }).join(", ")));
      }
      if (notes.length) {
        var used = document.createElement("span");
        used.className = "fig-used";
        used.textContent = " " + notes.join(" · ");
        what.appendChild(used);
      }
      var value = document.createElement("span");
      value.className = "fig-value";
      var about = described(figure.name);
      value.textContent = about[0];
      item.appendChild(what);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(value);
      item.addEventListener("click", function () { choose(figure); });
      return item;
    }));
    active = -1;
    search.removeAttribute("aria-activedescendant");
    if (offered.length) move(1);
    count.textContent = offered.length ? count.dataset.some.replace("__n__", offered.length) : count.dataset.none;
  }

  function move(step) {
    if (!offered.length) return;
    var items = list.children;
    if (active >= 0) items[active].setAttribute("aria-selected", "false");
    active = active < 0 ? 0 : (active + step + offered.length) % offered.length;
    items[active].setAttribute("aria-selected", "true");
    search.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  function choose(figure) {
    chosen = true;
    picker.close();
    target.insert(figure.name);
    say(words.inserted.replace("__what__", figure.meaning));
  }

  function openPicker(editor) {
    target = editor;
    chosen = false;
    search.value = "";
    show();
    picker.showModal();
    search.focus();
  }

  search.addEventListener("input", show);
  search.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Home" && event.ctrlKey) {
      event.preventDefault(); active = -1; move(1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (active >= 0) choose(offered[active]);
    } else if (event.key === "Escape") {
      // a search box with words in it takes the first Esc to empty itself
      event.preventDefault();
      picker.close();
    }
  });
  picker.querySelector(".close-picker").addEventListener("click", function () { picker.close(); });
  picker.addEventListener("close", function () {
    if (!chosen && target) target.focusAt();
  });

  // The page -------------------------------------------------------------------------------

  var boxes = form.querySelectorAll("textarea[data-figures]");
  var editors = Array.prototype.map.call(boxes, enhance).filter(Boolean);
  if (!editors.length) return;
  document.getElementById("chips-help").hidden = false;
  // The chips say what the legend said, and the text takes its width; a text still in
  // its box (a brace unmatched) keeps the legend.
  var legend = form.querySelector(".legend");
  if (legend && editors.length === boxes.length) {
    legend.hidden = true;
    legend.closest(".content-grid").classList.add("chips-on");
  }
  form.addEventListener("submit", function () {
    editors.forEach(function (e) { e.sync(); });
  });
})();
