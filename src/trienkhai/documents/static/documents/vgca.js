// Hands the document to VGCA's signing service when the site loads vgcaplugin.js
// (settings.VGCA_PLUGIN_URL): vgca_sign_approved(argument, callback), as e-office
// systems call it. The service downloads the PDF itself and posts it back signed to
// the one-time upload URL; the page then goes back to the document.
(function () {
  "use strict";
  var source = document.getElementById("vgca-argument");
  var status = document.getElementById("vgca-status");
  if (!source || typeof window.vgca_sign_approved !== "function") {
    return;
  }
  var argument = JSON.parse(source.textContent);
  window.vgca_sign_approved(JSON.stringify(argument), function (answer) {
    var back = document.querySelector("nav.crumbs a");
    if (status) {
      status.textContent = typeof answer === "string" ? answer : JSON.stringify(answer);
    }
    if (back) {
      window.location.href = back.getAttribute("href") + "#signatures";
    }
  });
})();
