// Keeps each <time data-countdown> inside an element carrying the patterns (a case list,
// the confirmation of a new case) saying how long until its instant ("in
// 2 h 5 min", "overdue by 3 d 4 h"), in the page's language: the table carries the same
// patterns the server wrote the text with, so the page reads the same without this script.
(function () {
  "use strict";

  function fill(pattern, values) {
    return pattern.replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); });
  }

  // The shapes of core/clock_words.py span_phrase: minutes dropped from a day on, a zero
  // part left out, "less than a minute" below one.
  function span(patterns, millis) {
    var minutes = Math.floor(millis / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var rest = minutes % 60;
    if (minutes < 1) { return patterns.underMinute; }
    if (days) {
      return hours
        ? fill(patterns.daysHours, { days: days, hours: hours })
        : fill(patterns.days, { days: days });
    }
    if (hours) {
      return rest
        ? fill(patterns.hoursMinutes, { hours: hours, minutes: rest })
        : fill(patterns.hours, { hours: hours });
    }
    return fill(patterns.minutes, { minutes: rest });
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-ahead]").forEach(function (table) {
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
