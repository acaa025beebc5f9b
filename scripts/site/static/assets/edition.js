/* The edition's small enhancements; every page works without them.
   - the "as scraped" switch on restored texts, remembered between pages;
   - accessible names Material's search dialog and progress bar lack. */
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

  /* Material's search overlay has role="dialog" but no name; its
     instant-navigation progress bar (role="progressbar") and the tooltips
     it keeps at the end of <body> sit outside every landmark.  Name the
     dialog; hide the purely visual bar and tooltips from assistive
     technology (a tooltip's text is its host's title or description). */
  function label() {
    var search = document.querySelector(".md-search[role=dialog]");
    if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search the edition");
    var visual = document.querySelectorAll(".md-progress, body > .md-tooltip2");
    for (var i = 0; i < visual.length; i++) {
      if (visual[i].matches(".md-progress") && !visual[i].hasAttribute("aria-label")) {
        visual[i].setAttribute("aria-label", "Loading the page");
      }
      visual[i].setAttribute("aria-hidden", "true");
    }
  }

  /* A table wider than the screen scrolls sideways in its wrapper; make
     such a wrapper focusable and named, so a keyboard can scroll it. */
  function scrollers() {
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
    for (var i = 0; i < wraps.length; i++) {
      var w = wraps[i];
      var wide = w.scrollWidth > w.clientWidth + 1;
      if (wide && !w.hasAttribute("tabindex")) {
        w.setAttribute("tabindex", "0");
        w.setAttribute("role", "region");
        /* named after its <details> summary or the heading above it, and
           numbered: landmarks need names of their own */
        var summary = w.closest("details") && w.closest("details").querySelector("summary");
        var heading = null;
        for (var el = w; el && !heading; el = el.previousElementSibling || el.parentElement) {
          if (/^H[1-4]$/.test(el.tagName)) heading = el;
          if (el.classList && el.classList.contains("md-content")) break;
        }
        var what = summary ? summary.textContent : heading ? heading.textContent.replace(/¶$/, "") : "";
        w.setAttribute("aria-label", "Table " + (i + 1) + (what ? " (" + what.trim() + ")" : "") + ", scrolls sideways");
      } else if (!wide && w.getAttribute("role") === "region") {
        w.removeAttribute("tabindex");
        w.removeAttribute("role");
        w.removeAttribute("aria-label");
      }
    }
  }
  function enhance() { label(); scrollers(); }
  enhance();
  document.addEventListener("DOMContentLoaded", enhance);
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(enhance);
  window.addEventListener("resize", scrollers);
  document.addEventListener("toggle", scrollers, true);       /* <details> opened */
  if (window.MutationObserver) {
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        for (var j = 0; j < records[i].addedNodes.length; j++) {
          var n = records[i].addedNodes[j];
          if (n.nodeType === 1 && (n.matches(".md-progress, .md-search, .md-tooltip2") ||
                                   n.querySelector(".md-progress, .md-search"))) {
            label();
            return;
          }
        }
      }
    }).observe(document.body || document.documentElement, { childList: true, subtree: true });
  }
})();
