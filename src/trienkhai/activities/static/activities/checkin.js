// Check-in from a phone that keeps working offline (decision 0045; no build step, no
// library, no service worker).
//
// Each check-in goes first into a queue in localStorage, with an id this phone makes,
// and is shown at once; the queue is sent when the browser says it is online again,
// every 20 seconds while something waits, and whenever the page is opened. Each answer
// (counted, present already, refused) takes its check-in out of the queue. The server
// counts one attendance per person and session whatever is sent again.
//
// Two pages: the secretary's list (mode "secretary": ticks and new people, sent in a
// batch to the session's sync address) and the participant's form (mode
// "participant": one check-in, sent to the page's own address with the page's pass).
(function () {
  "use strict";
  var data = document.getElementById("checkin-data");
  if (!data) return;
  var C = JSON.parse(data.textContent);
  var T = C.text;
  var RETRY = 20000;
  var sending = false;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return values[key]; });
  }

  // 128 random bits as hex: crypto.randomUUID needs HTTPS, getRandomValues does not.
  function newId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function load() {
    try {
      var found = JSON.parse(window.localStorage.getItem(C.key) || "[]");
      return Array.isArray(found) ? found : [];
    } catch (e) {
      return [];
    }
  }

  function save(queue) {
    if (queue.length) window.localStorage.setItem(C.key, JSON.stringify(queue));
    else window.localStorage.removeItem(C.key);  // nothing typed stays behind once sent
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // {status, body}: status 0 when the network failed, body null when not JSON.
  function post(body) {
    return fetch(C.url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body)
    }).then(function (response) {
      // Sent to log in (the session ended): not followed, said as 401.
      if (response.type === "opaqueredirect") return { status: 401, body: null };
      return response.json().then(
        function (json) { return { status: response.status, body: json }; },
        function () { return { status: response.status || 401, body: null }; }
      );
    }, function () {
      return { status: 0, body: null };
    });
  }

  function say(element, text) {
    element.textContent = text;
    element.hidden = !text;
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase()
      .replace(/\s+/g, " ").trim();
  }

  // A form's check-in refused: what was typed, and the message -------------------------------
  //
  // A refusal keeps what was typed (or puts it back, if the form was emptied while it
  // waited offline) and says why at the field it is about (C.fields: the refusal's code
  // → the field), as the page served without the script does; the focus goes there.
  var FIELDS = ["name", "unit", "position", "audience"];

  function isEmpty(form) {
    return FIELDS.every(function (name) { return !form.elements[name].value.trim(); });
  }

  function holds(form, item) {
    return FIELDS.every(function (name) { return form.elements[name].value.trim() === (item[name] || ""); });
  }

  function clearRefusal(form) {
    Array.prototype.forEach.call(form.querySelectorAll(".js-error"), clearOne);
  }

  // A field typed in again loses its message.
  function clearOnInput(form) {
    form.addEventListener("input", function (event) {
      var field = event.target.closest(".field");
      var error = field && field.querySelector(".js-error");
      if (error) clearOne(error);
    });
  }

  function clearOne(element) {
    var field = element.closest(".field");
    var input = field && field.querySelector("input, select");
    if (input) {
      input.removeAttribute("aria-invalid");
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && id !== element.id; });
      if (described.length) input.setAttribute("aria-describedby", described.join(" "));
      else input.removeAttribute("aria-describedby");
    }
    if (field) field.classList.remove("has-error");
    element.remove();
  }

  // True when the message was put at a field; false when it is about none of them.
  function showRefusal(form, item, code, message) {
    clearRefusal(form);
    FIELDS.forEach(function (name) { if (!form.elements[name].value.trim()) form.elements[name].value = item[name] || ""; });
    var name = (C.fields || {})[code];
    var input = name && form.elements[name];
    if (!input) return false;
    var field = input.closest(".field");
    var box = document.createElement("div");
    box.id = input.id + "_js_error";
    box.className = "js-error";
    box.setAttribute("role", "alert");
    var list = document.createElement("ul");
    list.className = "errorlist";
    var line = document.createElement("li");
    line.textContent = message;
    list.appendChild(line);
    box.appendChild(list);
    field.appendChild(box);
    field.classList.add("has-error");
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + box.id).trim());
    input.focus();
    return true;
  }

  // The unit field -------------------------------------------------------------------------
  //
  // A list under the field offers the session's units by name as one types, accents
  // optional ("yen thinh": Đảng ủy xã Yên Thịnh), each with the unit above it in small
  // type: from the page's datalist, so it works offline; when the session reaches more
  // units than the page carries (U.search), the server finds the rest. Up and Down
  // move, Enter or a tap writes the name in the field, Escape closes. Without the
  // script the browser offers the datalist as it is.
  function offerUnits(U) {
    var input = U && document.getElementById(U.field);
    if (!input) return;
    var datalist = document.getElementById(input.getAttribute("list"));
    var carried = datalist ? Array.prototype.map.call(datalist.options, function (option) {
      return { value: option.value, context: option.getAttribute("label") || "", key: fold(option.value) };
    }) : [];
    function made(tag, attributes) {
      var element = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) { element.setAttribute(name, attributes[name]); });
      return element;
    }
    var box = made("ul", { id: input.id + "-options", "class": "unit-options", role: "listbox", "aria-label": U.label, hidden: "" });
    var told = made("span", { "class": "visually-hidden", role: "status" });
    input.removeAttribute("list");
    [["role", "combobox"], ["aria-autocomplete", "list"], ["aria-expanded", "false"], ["aria-controls", box.id]]
      .forEach(function (pair) { input.setAttribute(pair[0], pair[1]); });
    input.after(box, told);
    var offered = [];
    var active = -1;
    var timer = null;

    function pick(n) {
      if (active >= 0) box.children[active].setAttribute("aria-selected", "false");
      active = n;
      if (n < 0) { input.removeAttribute("aria-activedescendant"); return; }
      box.children[n].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", box.children[n].id);
      box.children[n].scrollIntoView({ block: "nearest" });
    }

    function offer(units) {
      offered = units;
      pick(-1);
      box.replaceChildren.apply(box, units.map(function (unit, i) {
        var item = made("li", { id: box.id + "-" + i, role: "option", "aria-selected": "false" });
        item.append(made("span", { "class": "unit-name" }), made("span", { "class": "unit-context" }));
        item.children[0].textContent = unit.value;
        item.children[1].textContent = unit.context ? " — " + unit.context : "";
        return item;
      }));
      box.hidden = !units.length;
      input.setAttribute("aria-expanded", units.length ? "true" : "false");
      told.textContent = units.length ? fill(U.found, { n: units.length }) : U.none;
    }

    function choose(unit) {
      input.value = unit.value;
      offer([]);
      told.textContent = "";
      input.focus();
    }

    // Those whose name holds every word typed, an abbreviation ("ĐU", "HU", "UBND": the
    // page's U.short) as typed or spelt out ("đảng ủy"): starting with them first, then
    // with a word starting with them, then the rest, each in the page's order.
    var short = U.short || {};
    function matching(text) {
      var words = fold(text).split(" ").filter(Boolean);
      var phrases = [words.map(function (word) { return short[word] || word; }).join(" "), words.join(" ")];
      function tierOf(key) {
        return Math.min.apply(null, phrases.map(function (phrase) {
          return key.indexOf(phrase) === 0 ? 0 : (" " + key).indexOf(" " + phrase) >= 0 ? 1 : 2;
        }));
      }
      return carried.filter(function (unit) {
        return words.every(function (word) {
          return unit.key.indexOf(word) >= 0 || (short[word] && unit.key.indexOf(short[word]) >= 0);
        });
      }).map(function (unit, order) {
        return { unit: unit, rank: tierOf(unit.key) * 100000 + order };
      }).sort(function (a, b) { return a.rank - b.rank; }).slice(0, 15).map(function (found) { return found.unit; });
    }

    // A tap on the list keeps the focus in the field (the list closes when it leaves).
    box.addEventListener("mousedown", function (event) { event.preventDefault(); });
    box.addEventListener("click", function (event) {
      var item = event.target.closest("li");
      if (item) choose(offered[Array.prototype.indexOf.call(box.children, item)]);
    });
    input.addEventListener("blur", function () { box.hidden = true; input.setAttribute("aria-expanded", "false"); });
    input.addEventListener("keydown", function (event) {
      var open = !box.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!open) { offer(matching(input.value)); return; }
        if (offered.length) pick((active + (event.key === "ArrowDown" ? 1 : -1) + offered.length) % offered.length);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();  // the unit, not the form
        choose(offered[active]);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        offer([]);
      }
    });
    input.addEventListener("input", function () {
      var text = input.value.trim();
      window.clearTimeout(timer);
      offer(text ? matching(text) : []);
      if (!U.search || text.length < 2 || !navigator.onLine) return;
      timer = window.setTimeout(function () {
        fetch(U.search + "?q=" + encodeURIComponent(text), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (found) {
            if (!found || input.value.trim() !== text || document.activeElement !== input) return;
            offer(found.units);
          })
          .catch(function () {});
      }, 250);
    });
  }

  // The secretary's list --------------------------------------------------------------------

  function secretary() {
    // What only the script does (keeping ticks offline, the search) is said once it runs.
    Array.prototype.forEach.call(document.querySelectorAll("[data-with-script]"), function (el) {
      el.hidden = false;
    });
    var roster = document.getElementById("roster");
    var state = document.getElementById("queue-state");
    var count = document.getElementById("present-count");
    var refused = document.getElementById("refused");
    var form = document.getElementById("new-person");
    var find = document.getElementById("find");
    var empty = document.getElementById("roster-empty");
    var server = parseInt(count.textContent.replace(/\./g, ""), 10) || 0;

    function rowOf(item) {
      if (item.person) return roster.querySelector('li[data-person="' + item.person + '"]');
      return roster.querySelector('li[data-client="' + item.id + '"]');
    }

    function mark(li, kind) {
      var old = li.querySelector(".mark, .state");
      var span = document.createElement("span");
      span.className = "state is-" + kind;
      span.textContent = kind === "present" ? T.present : kind === "pending" ? T.pending : T.refused;
      if (old) old.replaceWith(span); else li.appendChild(span);
    }

    // A row marked present gets the page's "Bỏ" form (take the attendance back), as
    // the rows present when the page was served have it.
    var undoForm = document.getElementById("undo-form");
    function undoable(li) {
      if (!undoForm || !li.dataset.person || li.querySelector("form.undo")) return;
      var form = undoForm.content.firstElementChild.cloneNode(true);
      form.elements.nguoi.value = li.dataset.person;
      form.querySelector("button").setAttribute("aria-label", fill(T.undo, { name: li.dataset.name || "" }));
      li.appendChild(form);
    }

    function show(item) {
      var li = rowOf(item);
      if (!li) {
        li = document.createElement("li");
        li.dataset.client = item.id;
        li.dataset.name = item.name;
        var who = document.createElement("span");
        who.className = "who";
        var name = document.createElement("strong");
        name.textContent = item.name;
        var where = document.createElement("span");
        where.className = "muted";
        where.textContent = " " + item.unit;
        who.appendChild(name);
        who.appendChild(where);
        li.appendChild(who);
        roster.insertBefore(li, roster.firstChild);
        if (empty) empty.hidden = true;
      }
      mark(li, "pending");
    }

    // What waits (sending, offline, or waiting for the next try), or ``note`` once
    // everything is sent; the count is the server's and the check-ins waiting.
    function status(queue, note) {
      var text = note || "";
      if (queue.length) text = fill(sending ? T.sending : navigator.onLine ? T.waiting : T.offline, { n: queue.length });
      if (queue.length || note !== undefined) say(state, text);
      count.textContent = String(server + queue.length).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    }

    function flush() {
      var queue = load();
      if (sending || !queue.length) return;
      sending = true;
      status(queue);
      var batch = queue.slice(0, 200);
      var body = batch.map(function (item) {
        return { client_id: item.id, person: item.person || null, name: item.name || "", unit: item.unit || "", position: item.position || "", audience: item.audience || "" };
      });
      post({ check_ins: body }).then(function (reply) {
        sending = false;
        var left = load();
        if (reply.status === 200 && reply.body && reply.body.results) {
          var answered = {};
          var already = 0;
          reply.body.results.forEach(function (answer) {
            answered[answer.client_id] = answer;
            var item = batch.filter(function (b) { return b.id === answer.client_id; })[0];
            var li = item && rowOf(item);
            var typed = item && !item.person && (isEmpty(form) || holds(form, item));
            if (answer.status === "refused") {
              // Someone written in and refused: back in the form, said at the field.
              if (typed && showRefusal(form, item, answer.code, answer.message)) {
                if (li && li.dataset.client) li.remove();
                return;
              }
              if (li) mark(li, "refused");
              var note = document.createElement("li");
              note.textContent = fill(T.refused_item, { name: item ? item.name || item.label : "", message: answer.message });
              refused.appendChild(note);
            } else {
              if (answer.status === "already") already += 1;
              if (li) {
                mark(li, "present");
                if (answer.person) { li.dataset.person = answer.person; }
                undoable(li);
              }
              if (typed && holds(form, item)) nextPerson();
            }
          });
          left = left.filter(function (item) { return !answered[item.id]; });
          save(left);
          server = reply.body.attendances;
          status(left, T.sent + (already ? " " + fill(T.already, { n: already }) : ""));
          if (left.length) window.setTimeout(flush, 0);
          return;
        }
        if (reply.status === 0) {
          status(left);
          // Kept on the phone: the form is free for the next person.
          if (batch.some(function (item) { return !item.person && holds(form, item); })) nextPerson();
          return;
        }
        var message = reply.body && reply.body.error ? reply.body.error.message : fill(T.failed, { status: reply.status });
        if (reply.status === 401 || !reply.body) message = fill(T.login, { n: left.length });
        say(state, message);
      });
    }

    function add(item) {
      var queue = load();
      item.id = newId();
      queue.push(item);
      save(queue);
      show(item);
      status(queue);
      flush();
    }

    function nextPerson() {
      form.reset();
      clearRefusal(form);
      form.elements.name.focus();
    }

    // After a tick the focus goes where the next person starts: the name searched, to
    // type the next one over it; else the next row still to tick.
    function afterTick(li) {
      if (find && find.value.trim()) { find.focus(); find.select(); return; }
      var rows = Array.prototype.filter.call(roster.children, function (other) {
        return !other.hidden && other.querySelector("button.mark");
      });
      var after = rows.filter(function (other) {
        return li.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING;
      });
      var next = after[0] || rows[rows.length - 1];
      if (next) next.querySelector("button.mark").focus();
      else (find || form.elements.name).focus();
    }

    roster.addEventListener("click", function (event) {
      var button = event.target.closest("button.mark");
      if (!button) return;
      event.preventDefault();  // queued here; the plain form is for pages without the script
      var li = button.closest("li");
      say(li.querySelector(".row-note") || document.createElement("span"), "");
      add({ person: parseInt(li.dataset.person, 10), name: li.dataset.name });
      afterTick(li);
    });

    // "Bỏ": the attendance taken back through the API, said in the row (the plain
    // form, without the script, reloads the page at the list).
    var said = document.getElementById("roll-said");
    function rowNote(li, text, isError) {
      var note = li.querySelector(".row-note");
      if (!note) {
        note = document.createElement("span");
        note.className = "row-note";
        li.querySelector(".who").appendChild(note);
      }
      note.classList.toggle("error", !!isError);
      say(note, text);
      say(said, text);
    }

    function unmark(li) {
      var old = li.querySelector(".state");
      var undo = li.querySelector("form.undo");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "mark";
      button.textContent = T.present;
      button.setAttribute("aria-label", fill(T.mark, { name: li.dataset.name || "" }));
      if (old) old.replaceWith(button); else li.appendChild(button);
      if (undo) undo.remove();
      return button;
    }

    roster.addEventListener("submit", function (event) {
      var undo = event.target.closest("form.undo");
      if (!undo || !C.undo) return;
      event.preventDefault();
      var li = undo.closest("li");
      var person = undo.elements.nguoi.value;
      var button = undo.querySelector("button");
      button.disabled = true;
      fetch(C.undo.replace(/0$/, person), {
        method: "DELETE",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
      }).then(function (response) {
        if (response.type === "opaqueredirect") return { status: 401, body: null };
        return response.json().then(
          function (json) { return { status: response.status, body: json }; },
          function () { return { status: response.status, body: null }; }
        );
      }, function () { return { status: 0, body: null }; }).then(function (reply) {
        button.disabled = false;
        var name = li.dataset.name || "";
        var code = reply.body && reply.body.error ? reply.body.error.code : "";
        if (reply.status === 200 || code === "not_found") {
          if (reply.body && typeof reply.body.attendances === "number") server = reply.body.attendances;
          status(load());
          var again = unmark(li);
          rowNote(li, fill(reply.status === 200 ? T.undone : T.not_present, { name: name }), false);
          again.focus();
          return;
        }
        var text = reply.status === 0 ? T.undo_offline
          : reply.status === 401 ? T.undo_login
          : T["undo_" + code] ? fill(T["undo_" + code], { name: name })
          : reply.body && reply.body.error ? reply.body.error.message
          : fill(T.failed, { status: reply.status });
        rowNote(li, text, true);
        button.focus();
      });
    });

    clearOnInput(form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearRefusal(form);
      var error = document.getElementById("new-error");
      var name = form.elements.name.value.trim();
      var unit = form.elements.unit.value.trim();
      if (!name || !unit) {
        say(error, T.missing);
        (name ? form.elements.unit : form.elements.name).focus();
        return;
      }
      say(error, "");
      // Kept in the form until the server has it (or the phone keeps it offline): a
      // refusal leaves it there to put right.
      add({ name: name, unit: unit, position: form.elements.position.value.trim(), audience: form.elements.audience.value });
    });

    if (find) {
      find.addEventListener("input", function () {
        var key = fold(find.value.trim());
        Array.prototype.forEach.call(roster.children, function (li) {
          li.hidden = !!key && fold(li.dataset.name || "").indexOf(key) < 0;
        });
      });
    }

    load().forEach(show);
    window.addEventListener("online", flush);
    window.addEventListener("offline", function () { status(load()); });
    window.setInterval(function () { if (load().length) flush(); }, RETRY);
    flush();
  }

  // The participant's form ------------------------------------------------------------------

  function participant() {
    // The form is gone once the code has closed; what this phone queued before is
    // still sent (its pass says when the page was served).
    var form = document.getElementById("check-in");
    var state = document.getElementById("check-in-state");

    function refused(item, reply) {
      var error = reply.body && reply.body.error;
      var message = error ? error.message : fill(T.failed, { status: reply.status });
      // What was typed stays (or comes back, if the form was emptied while it waited
      // offline), with the message at the field it is about.
      var shown = form && (isEmpty(form) || holds(form, item.body)) && showRefusal(form, item.body, error ? error.code : "", message);
      state.classList.toggle("error", !shown);
      say(state, shown ? "" : message);
    }

    function flush() {
      var queue = load();
      if (sending || !queue.length) return;
      sending = true;
      var item = queue[0];
      say(state, T.sending);
      post(item.body).then(function (reply) {
        sending = false;
        if (reply.status === 0) {
          say(state, T.offline);
          // Kept on the phone: the form is free for the next person.
          if (form && holds(form, item.body)) { form.reset(); form.elements.name.focus(); }
          return;
        }
        if (reply.status >= 500 || reply.status === 429 || !reply.body) {  // kept: tried again later
          say(state, reply.body && reply.body.error ? reply.body.error.message : fill(T.failed, { status: reply.status }));
          return;
        }
        var left = load().filter(function (other) { return other.id !== item.id; });
        save(left);
        if (reply.status >= 400) refused(item, reply);
        else {
          state.classList.remove("error");
          say(state, fill(reply.status === 201 ? T.counted : T.already, { name: item.body.name }));
          // The next person starts at the name (a phone passed round at the door).
          if (form && holds(form, item.body)) { form.reset(); form.elements.name.focus(); }
        }
        if (left.length) window.setTimeout(flush, 0);
      });
    }

    if (form) clearOnInput(form);
    if (form) form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearRefusal(form);
      if (!form.checkValidity()) {  // the browser says what is missing
        form.reportValidity();
        return;
      }
      var body = {
        client_id: newId(),
        name: form.elements.name.value.trim(),
        unit: form.elements.unit.value.trim(),
        position: form.elements.position.value.trim(),
        audience: form.elements.audience.value,
        pass: C.pass,
        session: C.session
      };
      var queue = load();
      queue.push({ id: body.client_id, body: body });
      save(queue);
      state.classList.remove("error");
      flush();
    });

    window.addEventListener("online", flush);
    window.setInterval(function () { if (load().length) flush(); }, RETRY);
    flush();
  }

  offerUnits(C.units);
  if (C.mode === "secretary") secretary();
  else participant();
})();
