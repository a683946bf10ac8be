// Keeps a case list current without a reload: while the page is visible it asks the server
// for its rows every data-poll seconds (the fragment answers 304 when nothing changed) and
// swaps them in, with the banner of new Severity 1 cases on Care's consoles. A hidden page
// asks for nothing; it asks again as soon as it is shown.
(function () {
  "use strict";
  var live = document.getElementById("live-list");
  if (!live || !window.fetch || !window.DOMParser) { return; }
  var since = live.dataset.since;
  var etag = null;
  var seconds = parseInt(live.dataset.poll, 10) || 30;
  var timer = null;

  function url() {
    var query = live.dataset.query;
    return live.dataset.fragment + "?" + (query ? query + "&" : "") +
      "since=" + encodeURIComponent(since);
  }

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    ["case-rows", "live-alerts", "list-pages"].forEach(function (id) {
      var now = document.getElementById(id);
      var next = fresh.getElementById(id);
      if (now && next) { now.replaceWith(document.adoptNode(next)); }
    });
    if (window.caredeskCountdown) { window.caredeskCountdown(); }
  }

  function poll() {
    if (document.visibilityState !== "visible") { return; }
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url(), { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status !== 200) { return null; }
        etag = response.headers.get("ETag");
        return response.text();
      })
      .then(function (html) { if (html) { swap(html); } })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  function schedule() {
    clearInterval(timer);
    timer = null;
    if (document.visibilityState === "visible") { timer = setInterval(poll, seconds * 1000); }
  }

  // Dismissing the banner: only Severity 1 cases newer than what it showed come back.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-dismiss]");
    if (!button) { return; }
    var alerts = document.getElementById("live-alerts");
    since = alerts.dataset.now || since;
    etag = null;
    button.parentNode.remove();
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { poll(); }
    schedule();
  });
  schedule();
})();
