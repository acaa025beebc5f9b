/* The edition's small enhancements; every page works without them.
   - the view switch on changed texts (Edition / Changes marked / As
     scraped), remembered between pages;
   - a long margin note opened on a phone reads whole (its text copied in
     from the notes in full);
   - one tooltip for the page: a change's scraped reading, a name's short
     description, an abbreviation's meaning, on hover, focus or tap;
   - Enter opens and closes a margin note, as Space does;
   - accessible names Material's search dialog and progress bar lack;
   - the palette toggle (light or dark), in place of Material's;
   - no link previews where nothing can hover (phones). */
(function () {
  "use strict";

  /* Material shows a link's preview (data-preview) on hover only, but sets
     every such link up when the page loads, which on a phone is work for
     nothing (a text page has up to a hundred, most in the notes in full).
     Where no pointer can hover, the links lose the attribute before
     Material looks (this script runs before its DOMContentLoaded work) and
     stay plain links. */
  if (window.matchMedia && !window.matchMedia("(any-hover: hover)").matches) {
    var previews = document.querySelectorAll("a[data-preview]");
    for (var p = 0; p < previews.length; p++) previews[p].removeAttribute("data-preview");
  }
  var KEY = "edition.view";
  var VIEWS = ["clean", "marked", "scraped"];

  function stored() {
    try {
      var v = window.localStorage.getItem(KEY);
      if (VIEWS.indexOf(v) >= 0) return v;
      if (window.localStorage.getItem("edition.as-scraped") === "1") return "scraped";
    } catch (e) { /* storage blocked */ }
    return "clean";
  }
  function store(view) {
    try { window.localStorage.setItem(KEY, view); } catch (e) { /* private mode */ }
  }
  function apply() {
    var view = stored();
    var root = document.documentElement;
    root.classList.toggle("ed-marked", view === "marked");
    root.classList.toggle("ed-scraped", view === "scraped");
    var marks = document.querySelectorAll(".md-content .chg");
    for (var i = 0; i < marks.length; i++) {
      var m = marks[i];
      if (view === "scraped") {
        if (!m.hasAttribute("data-corr")) m.setAttribute("data-corr", m.textContent);
        m.textContent = m.getAttribute("data-sic") || "";
      } else if (m.hasAttribute("data-corr")) {
        m.textContent = m.getAttribute("data-corr");
        m.removeAttribute("data-corr");
      }
    }
    var buttons = document.querySelectorAll(".view-switch [data-view]");
    for (var j = 0; j < buttons.length; j++) {
      buttons[j].setAttribute("aria-pressed", buttons[j].getAttribute("data-view") === view ? "true" : "false");
      buttons[j].closest(".view-switch").hidden = false;
    }
  }

  /* ---- the tooltip ---- */
  var tip = null, host = null, shownAt = 0, shownBy = "";
  /* a change's reason, from its class (the renderer's KIND_LABEL) */
  var WHY = { spin: "Spin restored", typo: "Typo", censor: "Censor artefact", encoding: "Encoding" };
  function reason(el) {
    var m = /(?:^|\s)chg-(\w+)/.exec(el.className.replace(/chg-uncertain/, ""));
    var label = m ? WHY[m[1]] || m[1] : "";
    return label + (el.classList.contains("chg-uncertain") ? " \u00b7 uncertain" : "");
  }
  /* a name's description: its link's title, or that of the page's first
     link to the same name (only the first carries it) */
  function described(el) {
    var t = el.getAttribute("title") || el.getAttribute("data-title");
    if (t || !el.classList.contains("ent")) return t;
    var links = document.querySelectorAll(".md-content a.ent");
    var href = el.getAttribute("href");
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("href") === href) {
        t = links[i].getAttribute("title") || links[i].getAttribute("data-title");
        if (t) return t;
      }
    }
    return null;
  }
  function tipText(el) {
    if (el.classList.contains("chg")) {
      var view = stored();
      if (view === "clean") return null;
      var why = reason(el);
      if (view === "scraped") {
        return ["Edition: ", el.getAttribute("data-corr") || "", why];
      }
      return ["Scraped: ", el.getAttribute("data-sic") || "", why];
    }
    var t = described(el);
    return t ? [null, t, ""] : null;
  }
  function show(el, how) {
    shownBy = how;
    if (el === host) return;
    var parts = tipText(el);
    if (!parts) return;
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "ed-tip";
      tip.id = "ed-tip";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      document.body.appendChild(tip);
    }
    hide();
    tip.textContent = "";
    if (parts[0]) {
      tip.appendChild(document.createTextNode(parts[0]));
      var b = document.createElement("b");
      b.textContent = parts[1] === "" ? "(nothing)" : "\u201c" + parts[1].replace(/\n/g, " \u21b5 ") + "\u201d";
      tip.appendChild(b);
      if (parts[2]) tip.appendChild(document.createTextNode(" \u00b7 " + parts[2]));
    } else {
      tip.textContent = parts[1];
    }
    if (el.hasAttribute("title")) {           /* no second, native tooltip */
      el.setAttribute("data-title", el.getAttribute("title"));
      el.removeAttribute("title");
    }
    el.setAttribute("aria-describedby", "ed-tip");
    host = el;
    shownAt = Date.now();
    tip.hidden = false;
    var r = el.getBoundingClientRect();
    var w = tip.offsetWidth, vw = document.documentElement.clientWidth;
    var left = Math.max(4, Math.min(r.left, vw - w - 4));
    tip.style.left = (left + window.scrollX) + "px";
    tip.style.top = (r.bottom + window.scrollY + 4) + "px";
  }
  function hide() {
    if (!host) return;
    if (host.hasAttribute("data-title")) {
      host.setAttribute("title", host.getAttribute("data-title"));
      host.removeAttribute("data-title");
    }
    host.removeAttribute("aria-describedby");
    host = null;
    if (tip) tip.hidden = true;
  }
  var TIPPED = ".md-content .chg, .md-content a.ent, .md-content abbr[title]";
  function tipped(target) { return target && target.closest ? target.closest(TIPPED) : null; }
  document.addEventListener("mouseover", function (ev) {
    var el = tipped(ev.target);
    if (el && el !== host) show(el, "hover");
    else if (!el && host && shownBy === "hover") hide();
  });
  document.addEventListener("focusin", function (ev) {
    var el = tipped(ev.target);
    if (el) show(el, "focus");
  });
  document.addEventListener("focusout", function (ev) { if (ev.target === host) hide(); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") hide();
    /* a margin note's toggle is a checkbox: Space works without script, Enter with it */
    if (ev.key === "Enter" && ev.target.classList && ev.target.classList.contains("sn-toggle")) {
      ev.preventDefault();
      ev.target.click();
    }
  });

  /* ---- a long note opened on a narrow screen ----
     The margin holds a long note's first words and a link to it under
     "Notes in full", where its whole text is (once on the page).  Opened by
     its number, the note gets a copy of that text, so it reads whole under
     its line; the short form stays for wide screens and print. */
  function fillNote(toggle) {
    var note = toggle.nextElementSibling;
    if (!note || !note.classList.contains("sn-long") || note.classList.contains("sn-filled")) return;
    var kind = note.querySelector(".sn-kind"), more = note.querySelector("a.sn-more");
    var full = more && document.getElementById(decodeURIComponent(more.hash.slice(1)));
    if (!kind || !full) return;
    var short = document.createElement("span"), rest = document.createElement("span");
    short.className = "sn-short";
    rest.className = "sn-rest";
    while (kind.nextSibling) short.appendChild(kind.nextSibling);
    for (var n = full.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 1 && (n.classList.contains("en-kind") || n.classList.contains("en-back"))) continue;
      var copy = n.cloneNode(true);
      if (copy.nodeType === 1 && copy.classList.contains("en-src")) copy.className = "sn-src";
      rest.appendChild(copy);
    }
    note.appendChild(short);
    note.appendChild(rest);
    note.classList.add("sn-filled");
  }
  document.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t.checked && t.classList && t.classList.contains("sn-toggle")) fillNote(t);
  });

  document.addEventListener("click", function (event) {
    var t = event.target;
    var button = t.closest && t.closest(".view-switch [data-view]");
    if (button) {
      hide();
      store(button.getAttribute("data-view"));
      apply();
      return;
    }
    var mark = t.closest && t.closest(".md-content .chg");
    /* a tap: shows the reading; a second tap hides it (a touch screen's tap
       also sends mouseover just before, which has shown it already) */
    if (mark) {
      if (mark !== host || Date.now() - shownAt < 500) show(mark, "tap"); else hide();
      return;
    }
    /* a change table opened by the reader is printed; Material opens every
       table for printing, and the print styles leave out the others */
    var summary = t.closest && t.closest("details > summary");
    if (summary) {
      var d = summary.parentNode;
      setTimeout(function () { d.classList.toggle("ed-opened", d.open); }, 0);
    }
    if (host && !tipped(t)) hide();
  });
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(function () { hide(); apply(); });   /* Material's instant navigation */
  } else {
    document.addEventListener("DOMContentLoaded", apply);
  }

  /* ---- the palette toggle ----
     Material's markup (overrides/partials/palette.html) without Material's
     script, which on every load marks the body "switching", sets the palette
     the inline script has already set and reads the header's computed style:
     three restyles of the whole page.  Here the page is touched only when
     the palette differs from the one on the body: the reader's choice, or on
     a first visit the system's light or dark setting.  The choice is kept
     where Material keeps it (__palette), so its inline script applies it
     before the first paint of the next page. */
  function palette() {
    var form = document.querySelector("form[data-ed-palette]");
    if (!form || form.hasAttribute("data-ed-on")) return;
    form.setAttribute("data-ed-on", "");
    var inputs = form.querySelectorAll("input.md-option");
    if (!inputs.length) return;
    var KEYS = ["media", "scheme", "primary", "accent"];   /* media first */
    var get = window.__md_get, put = window.__md_set, current = 0;
    function colours(input) {
      var c = {};
      for (var k = 0; k < KEYS.length; k++) c[KEYS[k]] = input.getAttribute("data-md-color-" + KEYS[k]);
      return c;
    }
    function themeColour() {              /* the browser's bar takes the header's colour, as with Material */
      var header = document.querySelector("[data-md-component=header]");
      if (!header) return;
      var style = window.getComputedStyle(header);
      var rgb = (style.backgroundColor.match(/\d+/g) || []).slice(0, 3);
      var meta = document.querySelector("meta[name=theme-color]") || document.head.appendChild(document.createElement("meta"));
      meta.name = "theme-color";
      meta.content = "#" + rgb.map(function (v) { return (+v).toString(16).padStart(2, "0"); }).join("");
    }
    function choose(index) {
      var body = document.body, c = colours(inputs[index]), changed = false;
      /* the media query is only a record (no style reads it): it does not count as a change */
      for (var k = 1; k < KEYS.length; k++) {
        if (body.getAttribute("data-md-color-" + KEYS[k]) !== c[KEYS[k]]) changed = true;
      }
      body.setAttribute("data-md-color-media", c.media);
      if (changed) {
        body.setAttribute("data-md-color-switching", "");    /* Material's styles: no colour transitions */
        for (var j = 0; j < KEYS.length; j++) body.setAttribute("data-md-color-" + KEYS[j], c[KEYS[j]]);
        themeColour();
        setTimeout(function () { body.removeAttribute("data-md-color-switching"); }, 0);
      }
      for (var i = 0; i < inputs.length; i++) {
        var label = inputs[i].nextElementSibling;
        if (label && label.tagName === "LABEL") label.hidden = i !== index;
      }
      current = index;
      if (put) put("__palette", { index: index, color: c });
    }
    var saved = null;
    try { saved = get ? get("__palette") : null; } catch (e) { /* storage blocked */ }
    var index = saved && typeof saved.index === "number" ? saved.index : -1;
    if (index < 0) {
      for (var i = 0; i < inputs.length && index < 0; i++) {
        var media = inputs[i].getAttribute("data-md-color-media");
        if (media && window.matchMedia && window.matchMedia(media).matches) index = i;
      }
    }
    choose(Math.max(0, Math.min(index, inputs.length - 1)));
    later(themeColour);
    for (var n = 0; n < inputs.length; n++) {
      inputs[n].addEventListener("change", choose.bind(null, n));
    }
    form.addEventListener("keydown", function (ev) {   /* Enter on the focused toggle: the next palette */
      if (ev.key !== "Enter") return;
      ev.preventDefault();
      var next = inputs[(current + 1) % inputs.length];
      next.click();
      next.focus();
    });
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
  /* measuring the tables waits until the page is idle: reading sizes
     while the page is being set up would force a layout */
  function later(fn) {
    if (window.requestIdleCallback) window.requestIdleCallback(fn, { timeout: 2000 });
    else setTimeout(fn, 200);
  }
  /* a page with margin notes is measured when idle (its layout is costly);
     any other page (the change tables, the index pages) at once, so its
     wide tables can be scrolled by keyboard from the start */
  function enhance() {
    palette();
    label();
    if (document.querySelector(".md-typeset .sidenote")) later(scrollers);
    else scrollers();
  }
  enhance();
  document.addEventListener("DOMContentLoaded", enhance);
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(enhance);
  window.addEventListener("resize", function () { later(scrollers); });
  document.addEventListener("toggle", function () { later(scrollers); }, true);   /* <details> opened */
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
