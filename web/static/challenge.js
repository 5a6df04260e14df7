// The public forms' proof-of-work challenge (web/templates/public/_challenge.html): the ALTCHA
// widget in the page's language, its SHA-256 worker loaded from this site, and each change
// of its state said in words in an aria-live region, for screen readers.
import "./vendor/altcha.js";

const messages = JSON.parse(document.getElementById("challenge-messages").textContent);
const { states, ...widgetWords } = messages;
const language = document.documentElement.lang || "en";
const altcha = globalThis.$altcha;
altcha.i18n.set(language, { ...altcha.i18n.get("en"), ...widgetWords });
altcha.algorithms.set("SHA-256", () => new Worker(new URL("./vendor/altcha-sha.js", import.meta.url)));

for (const widget of document.querySelectorAll("altcha-widget")) {
  const said = document.getElementById(widget.dataset.state);
  widget.addEventListener("statechange", (event) => {
    said.textContent = states[event.detail.state] || "";
  });
}
