// The rules wizard's prizes step: the prize advisor's word on a prize as the marketer types
// its name (the page says the same after each save, without this script).
"use strict";
(function () {
  const WAIT_MS = 400;
  for (const input of document.querySelectorAll("input[data-advice]")) {
    const said = document.getElementById(input.id.replace(/\.name$/, ".advice"));
    if (!said) continue;
    let timer = null;
    let asked = 0;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const number = ++asked;
        const url = new URL(input.dataset.advice, window.location.href);
        url.searchParams.set("prize", input.value);
        try {
          const answer = await fetch(url, { headers: { Accept: "application/json" } });
          if (!answer.ok || number !== asked) return;
          const advice = await answer.json();
          said.textContent = advice.text;
          said.className = "advice" + (advice.level ? " " + advice.level : "");
        } catch (_) {
          // Offline or signed out: the advice comes with the next save instead.
        }
      }, WAIT_MS);
    });
  }
})();
