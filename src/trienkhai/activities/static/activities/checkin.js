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

    // Those whose name holds every word typed: starting with them first, then with a
    // word starting with them, then the rest, each in the page's order.
    function matching(text) {
      var words = fold(text).split(" ").filter(Boolean);
      var phrase = words.join(" ");
      return carried.filter(function (unit) {
        return words.every(function (word) { return unit.key.indexOf(word) >= 0; });
      }).map(function (unit, order) {
        var tier = unit.key.indexOf(phrase) === 0 ? 0 : (" " + unit.key).indexOf(" " + phrase) >= 0 ? 1 : 2;
        return { unit: unit, rank: tier * 100000 + order };
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
            if (answer.status === "refused") {
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
            }
          });
          left = left.filter(function (item) { return !answered[item.id]; });
          save(left);
          server = reply.body.attendances;
          status(left, T.sent + (already ? " " + fill(T.already, { n: already }) : ""));
          if (left.length) window.setTimeout(flush, 0);
          return;
        }
        if (reply.status === 0) { status(left); return; }
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

    roster.addEventListener("click", function (event) {
      var button = event.target.closest("button.mark");
      if (!button) return;
      var li = button.closest("li");
      add({ person: parseInt(li.dataset.person, 10), name: li.dataset.name });
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var error = document.getElementById("new-error");
      var name = form.elements.name.value.trim();
      var unit = form.elements.unit.value.trim();
      if (!name || !unit) {
        say(error, T.missing);
        (name ? form.elements.unit : form.elements.name).focus();
        return;
      }
      say(error, "");
      add({ name: name, unit: unit, position: form.elements.position.value.trim(), audience: form.elements.audience.value });
      form.reset();
      form.elements.name.focus();
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

    function flush() {
      var queue = load();
      if (sending || !queue.length) return;
      sending = true;
      var item = queue[0];
      say(state, T.sending);
      post(item.body).then(function (reply) {
        sending = false;
        if (reply.status === 0) { say(state, T.offline); return; }
        if (reply.status >= 500 || reply.status === 429 || !reply.body) {  // kept: tried again later
          say(state, reply.body && reply.body.error ? reply.body.error.message : fill(T.failed, { status: reply.status }));
          return;
        }
        var left = load().filter(function (other) { return other.id !== item.id; });
        save(left);
        state.classList.toggle("error", reply.status >= 400);
        if (reply.status === 201) say(state, fill(T.counted, { name: item.body.name }));
        else if (reply.status === 200) say(state, fill(T.already, { name: item.body.name }));
        else say(state, reply.body && reply.body.error ? reply.body.error.message : fill(T.failed, { status: reply.status }));
        if (left.length) window.setTimeout(flush, 0);
      });
    }

    if (form) form.addEventListener("submit", function (event) {
      event.preventDefault();
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
      form.reset();
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
