// Share links: the "Copy" button next to a link shown once. No inline scripts
// (the Content-Security-Policy forbids them).
(function () {
  "use strict";

  function copied(button, ok) {
    var status = button.parentNode.querySelector("[data-copy-status]");
    var text = button.getAttribute(ok ? "data-copied" : "data-copy-failed");
    if (status) status.textContent = text;
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("[data-copy]") : null;
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input) return;
    input.focus();
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(
        function () { copied(button, true); },
        function () { copied(button, document.execCommand && document.execCommand("copy")); });
    } else {
      copied(button, document.execCommand && document.execCommand("copy"));
    }
  });
})();
