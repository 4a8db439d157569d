// The minutes left before the units held for the payment go back on sale, counted down
// next to the time the page states (which stays right without this script). The
// visible count changes once a minute; screen readers hear it only at 5 and 1 minute
// left and when the hold lapses, through a polite live region.
(function () {
  "use strict";

  var notice = document.querySelector("[data-reservation-seconds]");
  if (!notice) {
    return;
  }
  var data = notice.dataset;
  var left = notice.querySelector("[data-reservation-left]");
  var announce = notice.querySelector("[data-reservation-announce]");
  var endsAt = Date.now() + Number(data.reservationSeconds) * 1000;
  var ANNOUNCED = [5, 1, 0];
  var shown = null;
  var timer = null;

  function text(minutes) {
    if (minutes <= 0) {
      return data.lapsed;
    }
    return minutes === 1 ? data.minutesOne : data.minutesMany.replace("{n}", minutes);
  }

  function update() {
    if (!notice.isConnected) {
      window.clearInterval(timer);
      return;
    }
    var minutes = Math.max(Math.ceil((endsAt - Date.now()) / 60000), 0);
    if (minutes === shown) {
      return;
    }
    shown = minutes;
    left.textContent = text(minutes);
    if (ANNOUNCED.indexOf(minutes) !== -1) {
      announce.textContent = text(minutes);
    }
    if (minutes === 0) {
      window.clearInterval(timer);
    }
  }

  update();
  timer = window.setInterval(update, 5000);
})();
