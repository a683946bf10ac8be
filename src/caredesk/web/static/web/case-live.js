// Keeps an open page current without a reload. The page names a small version answer
// (data-live-url, data-live-version on one element); while the page is visible it asks
// for the version now and then, and when it moved, fetches the page again and swaps in
// each [data-live-region] by name, except a region holding a form someone is filling in.
// Nothing is asked while the page is hidden. Without this script the page works as is.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-url]");
  if (!root || !window.fetch || !window.DOMParser) {
    return;
  }
  var url = root.getAttribute("data-live-url");
  var version = root.getAttribute("data-live-version");
  var every = parseInt(root.getAttribute("data-live-every") || "15", 10) * 1000;
  var timer = null;

  function beingFilled(region) {
    var active = document.activeElement;
    if (active && active !== document.body && region.contains(active) && active.form) {
      return true;
    }
    var fields = region.querySelectorAll("textarea, input[type=text], input:not([type]), input[type=tel]");
    for (var i = 0; i < fields.length; i += 1) {
      if (fields[i].value !== fields[i].defaultValue) {
        return true;
      }
    }
    return false;
  }

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    document.querySelectorAll("[data-live-region]").forEach(function (region) {
      var name = region.getAttribute("data-live-region");
      var next = fresh.querySelector('[data-live-region="' + name + '"]');
      if (next && !beingFilled(region)) {
        region.replaceWith(document.importNode(next, true));
      }
    });
    var status = document.querySelector("[data-live-message]");
    if (status) {
      status.textContent = status.getAttribute("data-live-message");
    }
  }

  function schedule() {
    if (timer === null && document.visibilityState === "visible") {
      timer = window.setTimeout(poll, every);
    }
  }

  function poll() {
    timer = null;
    if (document.visibilityState !== "visible") {
      return;
    }
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (answer) {
        if (!answer || answer.version === version) {
          return null;
        }
        version = answer.version;
        return fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
          .then(function (page) { return page.ok ? page.text() : null; })
          .then(function (html) { if (html) { swap(html); } });
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ })
      .then(schedule);
  }

  document.addEventListener("visibilitychange", function () {
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
    if (document.visibilityState === "visible") {
      poll();
    }
  });
  schedule();
}());
