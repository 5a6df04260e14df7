// The draw desk's countdown: each <time data-countdown="seconds"> counts down from the
// seconds the server gave (the server's clock, not this browser's); at zero the sentence
// around it (data-done) says the time has come and what waited only for it
// (data-until-countdown) is removed. Each button with data-enable-in="seconds" is enabled
// when they have passed. Without JavaScript the page shows the time left as the server
// wrote it.
"use strict";

(function () {
  const started = performance.now();

  function left(element, name) {
    const seconds = Number(element.getAttribute(name));
    return Math.max(0, Math.ceil(seconds - (performance.now() - started) / 1000));
  }

  function clock(seconds) {
    const hours = Math.floor(seconds / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    const rest = seconds % 60;
    const two = (n) => String(n).padStart(2, "0");
    return (hours ? hours + ":" + two(minutes) : String(minutes)) + ":" + two(rest);
  }

  function tick() {
    let waiting = false;
    document.querySelectorAll("time[data-countdown]").forEach((element) => {
      const seconds = left(element, "data-countdown");
      if (seconds) {
        element.textContent = clock(seconds);
        waiting = true;
        return;
      }
      // The time has come: the sentence says so, and what waited only for it is gone.
      const sentence = element.closest("[data-done]");
      if (sentence) {
        sentence.textContent = sentence.getAttribute("data-done");
      }
      element.removeAttribute("data-countdown");
      document.querySelectorAll("[data-until-countdown]").forEach((gone) => gone.remove());
    });
    document.querySelectorAll("button[data-enable-in]").forEach((button) => {
      if (left(button, "data-enable-in") === 0) {
        button.disabled = false;
        button.removeAttribute("data-enable-in");
      } else {
        waiting = true;
      }
    });
    if (waiting) {
      window.setTimeout(tick, 1000);
    }
  }

  document.addEventListener("DOMContentLoaded", tick);
})();
