// The "verify this draw" page: fetches the bundle (or reads one the visitor chose), runs
// checks.js on it in this browser, and shows each check as it passes or fails, in the page's
// language (sentences come from the server's catalog in #verify-messages; the verdict does not).

import { CheckFailed, CHECKS, verifyBundle } from "./checks.js";

const root = document.getElementById("verifier");
const messages = JSON.parse(document.getElementById("verify-messages").textContent);
const startButton = document.getElementById("verify-start");
const fileInput = document.getElementById("bundle-file");
const keyInput = document.getElementById("verifier-key");
const witnessInput = document.getElementById("witness-keys");
const verdict = document.getElementById("verdict");
const cosigners = document.getElementById("cosignatures");

function sentence(code, params) {
  const template = messages[code] || code;
  return template.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

function row(check) {
  return root.querySelector(`[data-check="${check}"]`);
}

function show(check, state, detail) {
  const item = row(check);
  if (!item) return;
  item.dataset.state = state;
  const status = item.querySelector(".state");
  if (state === "running" && typeof detail === "number") {
    status.textContent = `${messages.state_running} ${Math.floor(detail * 100)}%`;
  } else {
    status.textContent = messages[`state_${state}`];
  }
}

function reset() {
  for (const check of CHECKS) show(check, "pending");
  verdict.className = "verdict";
  verdict.textContent = "";
  cosigners.replaceChildren();
}

// "2026-12-07 13:00:00 UTC": the moment a witness says it cosigned.
function utc(timestamp) {
  return `${new Date(timestamp * 1000).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

function showCosigners(cosignatures) {
  const items = cosignatures.length
    ? cosignatures.map((c) => sentence("cosigned_by", { witness: c.witness, moment: utc(c.timestamp) }))
    : [messages.no_witnesses];
  cosigners.replaceChildren(...items.map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  }));
}

async function run(loadBundle) {
  reset();
  startButton.disabled = true;
  fileInput.disabled = true;
  verdict.textContent = messages.working;
  try {
    const bundle = await loadBundle();
    const result = await verifyBundle(bundle, {
      verifierKey: keyInput.value.trim() || null,
      witnessKeys: witnessInput.value.split("\n").map((line) => line.trim()).filter((line) => line),
      report: show,
    });
    showCosigners(result.cosignatures);
    verdict.className = "verdict ok";
    verdict.textContent = sentence("verified", {
      winners: result.winners.length, contest: result.contest, size: result.treeSize,
    });
  } catch (error) {
    const failure = error instanceof CheckFailed ? error
      : new CheckFailed("format", "unreadable", { details: String(error && error.message || error) });
    show(failure.check, "failed");
    verdict.className = "verdict failed";
    verdict.textContent = `${messages.not_verified} ${messages[`check_${failure.check}`] || failure.check}: ${sentence(failure.code, failure.params)}`;
  } finally {
    startButton.disabled = false;
    fileInput.disabled = false;
  }
}

async function fromServer() {
  const response = await fetch(root.dataset.bundleUrl, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new CheckFailed("format", "download", { status: response.status });
  return response.json();
}

function fromFile(file) {
  return async () => {
    try {
      return JSON.parse(await file.text());
    } catch (error) {
      throw new CheckFailed("format", "unreadable", { details: error.message });
    }
  };
}

startButton.addEventListener("click", () => run(fromServer));
fileInput.addEventListener("change", () => {
  if (fileInput.files.length) run(fromFile(fileInput.files[0]));
});
startButton.disabled = false;
fileInput.disabled = false;
root.dataset.ready = "true";
