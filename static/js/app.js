// Small enhancements; every page works without them. No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  // Ask before a destructive submit: <form data-confirm="Delete this buyer?">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();

// <select class="js-autosubmit"> submits its form when it changes (the dashboard's year).
document.addEventListener("change", function (event) {
  if (event.target.classList && event.target.classList.contains("js-autosubmit") && event.target.form) {
    event.target.form.submit();
  }
});
