/* The edition's small enhancements; every page works without them.
   - the "as scraped" switch on restored texts, remembered between pages. */
(function () {
  "use strict";
  var KEY = "edition.as-scraped";

  function stored() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function store(on) {
    try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
  }
  function apply() {
    var on = stored();
    document.documentElement.classList.toggle("as-scraped", on);
    var buttons = document.querySelectorAll(".as-scraped-toggle");
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i];
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.textContent = on ? "Show the restored text" : "Show the text as scraped";
      b.parentNode.hidden = false;
    }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".as-scraped-toggle");
    if (!button) return;
    store(!stored());
    apply();
  });
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(apply);      /* Material's instant navigation */
  } else {
    document.addEventListener("DOMContentLoaded", apply);
  }
})();
