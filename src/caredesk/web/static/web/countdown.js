// Keeps each <time data-countdown> of a case list saying how long until its instant ("in
// 2 h 05 min", "overdue by 3 d 4 h"), in the page's language: the table carries the same
// patterns the server wrote the text with, so the page reads the same without this script.
(function () {
  "use strict";

  function fill(pattern, values) {
    return pattern.replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); });
  }

  function span(patterns, millis) {
    var minutes = Math.floor(millis / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var rest = minutes % 60;
    if (days) { return fill(patterns.days, { d: days, h: hours }); }
    if (hours) { return fill(patterns.hours, { h: hours, m: (rest < 10 ? "0" : "") + rest }); }
    return fill(patterns.minutes, { m: rest });
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("table[data-ahead]").forEach(function (table) {
      var patterns = table.dataset;
      table.querySelectorAll("time[data-countdown]").forEach(function (time) {
        var due = Date.parse(time.getAttribute("datetime"));
        if (isNaN(due)) { return; }
        time.textContent = due >= now
          ? fill(patterns.ahead, { span: span(patterns, due - now) })
          : fill(patterns.overdue, { span: span(patterns, now - due) });
      });
    });
  }

  window.caredeskCountdown = tick;  // the live list calls it after swapping rows in
  tick();
  setInterval(tick, 15000);
})();
