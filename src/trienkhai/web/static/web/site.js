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
