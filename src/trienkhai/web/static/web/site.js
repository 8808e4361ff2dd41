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

// Unit pickers (web.forms.UnitInput): as one types a name (accents optional), the
// suggestions become the units the API finds that the user may see, "Name (CODE)".
// Without the script the field still takes a name or a code.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-units]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      var text = input.value.trim();
      clearTimeout(timer);
      if (text.length < 2 || /\([^()\s]+\)$/.test(text) || text === asked) return;
      timer = setTimeout(function () {
        asked = text;
        var url = input.dataset.units + "?limit=15&q=" + encodeURIComponent(text);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (units) {
            if (asked !== text || !units.length) return;
            list.replaceChildren.apply(list, units.map(function (unit) {
              var option = document.createElement("option");
              option.value = unit.name + " (" + unit.code + ")";
              return option;
            }));
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
