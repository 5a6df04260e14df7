// Verifies a contest-draw/1 bundle in the visitor's browser, trusting only mathematics and
// the log's public key: the same checks as `contest verify` (contest/draw/verify.py), written
// from docs/PROTOCOL.md. SHA-256 and Ed25519 come from the browser's Web Crypto; the BLS12-381
// pairing that checks a drand round comes from @noble/curves, built into vendor/ at install.
//
// A failed check throws CheckFailed(check, code, params); the page turns the code into a
// sentence in the visitor's language.

import { bls12_381 } from "../vendor/bls12-381.js";

export const PROTOCOL = "contest-draw/1";
export const CHECKS = ["format", "rules", "tickets", "entries_root", "randomness", "seed",
  "winners", "checkpoint", "log", "replacements", "witnesses"];

const TICKET = /^[0-9a-f]{32}$/;
const DRAND_DST = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";
const DRAND_CHAINS = {
  "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971": {
    name: "quicknet",
    publicKey: "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c" +
      "8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb" +
      "5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a",
    genesisTime: 1692803367,
    periodSeconds: 3,
  },
};
const MIN_SECRET_BYTES = 16;
// Digests hashed at once: enough to keep Web Crypto's threads busy, few enough for memory.
const BATCH = 65536;

export class CheckFailed extends Error {
  constructor(check, code, params = {}) {
    super(`${check}: ${code} ${JSON.stringify(params)}`);
    this.check = check;
    this.code = code;
    this.params = params;
  }
}

// --- bytes ---------------------------------------------------------------------------------

const encoder = new TextEncoder();

export function fromHex(text) {
  if (typeof text !== "string" || text.length % 2 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new TypeError(`not hex: ${String(text).slice(0, 80)}`);
  }
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.substr(i * 2, 2), 16);
  return bytes;
}

export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function equalBytes(a, b) {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

// Strict standard base64 (RFC 4648 §4): padding required, canonical.
function fromBase64(text) {
  if (typeof text !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4) {
    throw new TypeError("not base64");
  }
  const binary = atob(text);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  if (btoa(binary) !== text) throw new TypeError("non-canonical base64");
  return bytes;
}

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

// --- RFC 8785 canonical JSON -------------------------------------------------------------

// Keys sorted by UTF-16 code units (JavaScript's own string order), no whitespace, strings
// and numbers as ECMAScript's JSON.stringify writes them: exactly RFC 8785 for the integers,
// strings, booleans and nulls a rules document holds.
export function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

// --- RFC 6962 Merkle trees ---------------------------------------------------------------

const LEAF = Uint8Array.of(0);
const NODE = Uint8Array.of(1);

export function leafHash(data) {
  return sha256(concat(LEAF, data));
}

export function nodeHash(left, right) {
  return sha256(concat(NODE, left, right));
}

async function hashAll(inputs, progress, done, total) {
  const out = new Array(inputs.length);
  for (let start = 0; start < inputs.length; start += BATCH) {
    const batch = inputs.slice(start, start + BATCH);
    const digests = await Promise.all(batch.map((bytes) => sha256(bytes)));
    for (let i = 0; i < digests.length; i++) out[start + i] = digests[i];
    if (progress) progress((done + start + batch.length) / total);
  }
  return out;
}

// The Merkle Tree Hash over leaves (byte arrays): pair neighbours level by level and carry an
// odd last node up unchanged, which is RFC 6962's recursive split for a left-filled tree.
export async function merkleRoot(leaves, progress) {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  const total = 2 * leaves.length - 1;
  let level = await hashAll(leaves.map((leaf) => concat(LEAF, leaf)), progress, 0, total);
  let done = leaves.length;
  while (level.length > 1) {
    const pairs = [];
    for (let i = 0; i + 1 < level.length; i += 2) pairs.push(concat(NODE, level[i], level[i + 1]));
    const upper = await hashAll(pairs, progress, done, total);
    done += pairs.length;
    if (level.length % 2) upper.push(level[level.length - 1]);
    level = upper;
  }
  return level[0];
}

function bitLength(n) {
  return n === 0 ? 0 : Math.floor(Math.log2(n)) + 1;
}

function bitCount(n) {
  let count = 0;
  for (; n > 0; n = Math.floor(n / 2)) count += n % 2;
  return count;
}

export function inclusionProofLength(index, size) {
  const inner = bitLength(Number(BigInt(index) ^ BigInt(size - 1)));
  return inner + bitCount(Math.floor(index / 2 ** inner));
}

// RFC 9162 §2.1.3.2. Throws a TypeError-free {code, params} description on failure.
export async function verifyInclusion(leafHashValue, index, size, proof, root) {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    return { code: "inclusion_index", params: { index, size } };
  }
  const expected = inclusionProofLength(index, size);
  if (proof.length !== expected) {
    return { code: "inclusion_length", params: { got: proof.length, expected } };
  }
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r = leafHashValue;
  for (const p of proof) {
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      while (fn !== 0n && (fn & 1n) === 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (!equalBytes(r, root)) {
    return { code: "inclusion_root", params: { computed: toHex(r), expected: toHex(root) } };
  }
  return null;
}

// --- contest-draw/1 ----------------------------------------------------------------------

export function drawSeed(rulesSha256, entriesRoot, value) {
  return sha256(concat(encoder.encode(PROTOCOL), rulesSha256, entriesRoot, value));
}

// The stream of unsigned 64-bit integers: four per block SHA-256(seed || uint64_be(j)).
async function* integers(seed) {
  for (let j = 0n; ; j++) {
    const counter = new Uint8Array(8);
    new DataView(counter.buffer).setBigUint64(0, j);
    const block = await sha256(concat(seed, counter));
    const view = new DataView(block.buffer);
    for (let offset = 0; offset < 32; offset += 8) yield view.getBigUint64(offset);
  }
}

const TWO_64 = 1n << 64n;

async function uniform(stream, n) {
  const big = BigInt(n);
  const limit = TWO_64 - (TWO_64 % big);
  for (;;) {
    const { value } = await stream.next();
    if (value < limit) return Number(value % big);
  }
}

export async function draw(tickets, seed, winners, alternates) {
  const order = tickets.slice();
  const stream = integers(seed);
  const places = Math.min(winners + alternates, order.length);
  for (let k = 0; k < places; k++) {
    const j = k + await uniform(stream, order.length - k);
    [order[k], order[j]] = [order[j], order[k]];
  }
  return { winners: order.slice(0, Math.min(winners, places)), alternates: order.slice(winners, places) };
}

// --- randomness --------------------------------------------------------------------------

function roundTime(chain, round) {
  return new Date((chain.genesisTime + (round - 1) * chain.periodSeconds) * 1000);
}

async function drandValue(proof) {
  const chain = DRAND_CHAINS[String(proof.chain_hash).toLowerCase()];
  if (!chain) throw new CheckFailed("randomness", "drand_chain", { got: String(proof.chain_hash) });
  if (proof.public_key !== undefined &&
      String(proof.public_key).toLowerCase() !== chain.publicKey) {
    throw new CheckFailed("randomness", "drand_public_key", { chain: chain.name });
  }
  const round = proof.round;
  if (!Number.isSafeInteger(round) || round < 1) {
    throw new CheckFailed("randomness", "drand_round", { got: JSON.stringify(round) });
  }
  let signature;
  try {
    signature = fromHex(proof.signature);
  } catch {
    throw new CheckFailed("randomness", "drand_signature", { round, chain: chain.name });
  }
  const counter = new Uint8Array(8);
  new DataView(counter.buffer).setBigUint64(0, BigInt(round));
  const scheme = bls12_381.shortSignatures;
  let valid = false;
  try {
    const message = scheme.hash(await sha256(counter), DRAND_DST);
    valid = scheme.verify(signature, message, fromHex(chain.publicKey));
  } catch {
    valid = false; // not a point, or not in the prime-order subgroup
  }
  if (!valid) throw new CheckFailed("randomness", "drand_signature", { round, chain: chain.name });
  const value = await sha256(signature);
  if (proof.randomness !== undefined && proof.randomness !== toHex(value)) {
    throw new CheckFailed("randomness", "drand_randomness",
      { round, got: String(proof.randomness), expected: toHex(value) });
  }
  return value;
}

async function commitRevealValue(proof) {
  const commitments = Array.isArray(proof.commitments) ? proof.commitments : null;
  const reveals = Array.isArray(proof.reveals) ? proof.reveals : null;
  if (!commitments || !reveals || commitments.length === 0) {
    throw new CheckFailed("randomness", "commit_malformed", {});
  }
  const secrets = new Map();
  for (const reveal of reveals) {
    let secret;
    try {
      secret = fromHex(reveal.secret);
    } catch {
      throw new CheckFailed("randomness", "commit_malformed", {});
    }
    if (secret.length < MIN_SECRET_BYTES || secrets.has(reveal.party)) {
      throw new CheckFailed("randomness", "commit_malformed", {});
    }
    secrets.set(reveal.party, secret);
  }
  const committed = new Map(commitments.map((c) => [c.party, String(c.digest).toLowerCase()]));
  for (const party of secrets.keys()) {
    if (!committed.has(party)) throw new CheckFailed("randomness", "commit_stranger", { party });
  }
  const waiting = [...committed.keys()].filter((party) => !secrets.has(party));
  if (waiting.length) {
    throw new CheckFailed("randomness", "commit_waiting", { parties: waiting.join(", ") });
  }
  for (const [party, digest] of committed) {
    const got = toHex(await sha256(secrets.get(party)));
    if (got !== digest) throw new CheckFailed("randomness", "commit_mismatch", { party, got, expected: digest });
  }
  return sha256(concat(...[...committed.keys()].map((party) => secrets.get(party))));
}

// The RFC 3797 key: each source's numbers sorted, each followed by ".", the source by "/".
export function rfc3797Key(sources) {
  if (!Array.isArray(sources) || sources.length === 0) {
    throw new CheckFailed("randomness", "rfc3797_sources", {});
  }
  return sources.map((source) => {
    const tokens = String(source).split(/[\s,]+/).filter((t) => t);
    if (!tokens.length || tokens.some((t) => !/^[0-9]+$/.test(t))) {
      throw new CheckFailed("randomness", "rfc3797_sources", {});
    }
    const numbers = tokens.map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `${numbers.map((n) => `${n}.`).join("")}/`;
  }).join("");
}

async function randomnessValue(randomness) {
  const proof = randomness.proof;
  const plan = randomness.plan || {};
  if (proof === null || typeof proof !== "object" || Array.isArray(proof)) {
    throw new CheckFailed("randomness", "proof_malformed", {});
  }
  let value;
  switch (randomness.source) {
    case "drand":
      if (proof.round !== plan.round || proof.chain_hash !== plan.chain_hash) {
        throw new CheckFailed("randomness", "drand_not_planned",
          { expected: String(plan.round), got: String(proof.round) });
      }
      value = await drandValue(proof);
      break;
    case "commit-reveal":
      if (canonicalJson(proof.commitments) !== canonicalJson(plan.commitments)) {
        throw new CheckFailed("randomness", "commit_not_planned", {});
      }
      value = await commitRevealValue(proof);
      break;
    case "rfc3797":
      value = await sha256(encoder.encode(rfc3797Key(proof.sources)));
      break;
    default:
      throw new CheckFailed("randomness", "source_unknown", { got: String(randomness.source) });
  }
  if (toHex(value) !== randomness.value) {
    throw new CheckFailed("randomness", "value_mismatch",
      { computed: toHex(value), claimed: String(randomness.value) });
  }
  return value;
}

// --- C2SP signed notes and checkpoints ---------------------------------------------------

function validKeyName(name) {
  return name.length > 0 && !name.includes("+") && !/\s/u.test(name);
}

// A verifier key `name+hex8(key ID)+base64(type || Ed25519 public key)`: type 0x01 for the
// log's key, 0x04 for a witness's cosignature key (C2SP tlog-cosignature); the key ID is
// SHA-256(name || 0x0A || type || public key)[:4].
async function parseKey(text, type, check, malformed, wrongId) {
  const key = String(text).trim();
  const [name, idHex, ...rest] = key.split("+");
  const encoded = rest.join("+"); // base64 may itself hold "+"
  let raw;
  try {
    raw = fromBase64(encoded);
  } catch {
    raw = new Uint8Array(0);
  }
  if (!validKeyName(name || "") || !/^[0-9a-f]{8}$/.test(idHex || "") || raw.length !== 33 || raw[0] !== type) {
    throw new CheckFailed(check, malformed, { key });
  }
  const id = (await sha256(concat(encoder.encode(`${name}\n`), raw))).slice(0, 4);
  if (toHex(id) !== idHex) throw new CheckFailed(check, wrongId, { key, expected: toHex(id) });
  return { name, id, publicKey: raw.slice(1), text: key };
}

export function parseWitnessKey(text) {
  return parseKey(text, 4, "witnesses", "witness_key_malformed", "witness_key_id");
}

// A verifier key `name+hex8(key ID)+base64(0x01 || Ed25519 public key)`.
export async function parseVerifierKey(text) {
  return parseKey(text, 1, "checkpoint", "key_malformed", "key_id");
}

async function ed25519Verify(publicKey, signature, message) {
  let key;
  try {
    key = await crypto.subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
  } catch {
    throw new CheckFailed("checkpoint", "browser_no_ed25519", {});
  }
  try {
    return await crypto.subtle.verify({ name: "Ed25519" }, key, signature, message);
  } catch {
    return false;
  }
}

// The signed text of a note once the verifier's signature on it checks out.
export async function openNote(note, verifier) {
  if (typeof note !== "string" || /[\u0000-\u0009\u000b-\u001f\u007f]/.test(note)) {
    throw new CheckFailed("checkpoint", "note_malformed", {});
  }
  const split = note.lastIndexOf("\n\n");
  if (split < 0 || !note.endsWith("\n")) throw new CheckFailed("checkpoint", "note_malformed", {});
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split("\n");
  const found = [];
  for (const line of lines) {
    if (!line.startsWith("\u2014 ")) throw new CheckFailed("checkpoint", "note_malformed", {});
    const [name, ...words] = line.slice(2).split(" ");
    const encoded = words.join(" ");
    let raw;
    try {
      raw = fromBase64(encoded);
    } catch {
      throw new CheckFailed("checkpoint", "note_malformed", {});
    }
    if (raw.length < 5) throw new CheckFailed("checkpoint", "note_malformed", {});
    if (name !== verifier.name || !equalBytes(raw.slice(0, 4), verifier.id)) {
      found.push(`${name}+${toHex(raw.slice(0, 4))}`);
      continue;
    }
    if (!await ed25519Verify(verifier.publicKey, raw.slice(4), encoder.encode(text))) {
      throw new CheckFailed("checkpoint", "signature_invalid", { key: `${name}+${toHex(verifier.id)}` });
    }
    return text;
  }
  throw new CheckFailed("checkpoint", "signature_missing",
    { expected: `${verifier.name}+${toHex(verifier.id)}`, found: found.join(", ") || "—" });
}

// The text of a note that `openNote` accepted and its signature lines: name, key ID, the rest.
function noteSignatures(note) {
  const split = note.lastIndexOf("\n\n");
  const text = note.slice(0, split + 1);
  const signatures = note.slice(split + 2, -1).split("\n").map((line) => {
    const [name, ...words] = line.slice(2).split(" ");
    let raw;
    try {
      raw = fromBase64(words.join(" "));
    } catch {
      raw = new Uint8Array(0);
    }
    if (!line.startsWith("\u2014 ") || raw.length < 5) {
      throw new CheckFailed("witnesses", "note_malformed", {});
    }
    return { name, id: raw.slice(0, 4), rest: raw.slice(4) };
  });
  return { text, signatures };
}

const COSIGNATURE_BYTES = 8 + 64; // u64 timestamp, Ed25519 signature
const MAX_TIMESTAMP = (1n << 63n) - 1n;

// C2SP tlog-cosignature: each witness must have a signature line on the checkpoint note
// whose bytes after the key ID are a big-endian u64 timestamp and the Ed25519 signature of
// "cosignature/v1\ntime <timestamp>\n" followed by the checkpoint's text. Lines by other keys
// are ignored; a line by a named witness that does not verify fails. Resolves to
// [{witness, timestamp}] in the witnesses' order.
export async function verifyCosignatures(note, witnesses) {
  const { text, signatures } = noteSignatures(note);
  const found = [];
  for (const witness of witnesses) {
    const label = `${witness.name}+${toHex(witness.id)}`;
    const mine = signatures.filter((s) => s.name === witness.name && equalBytes(s.id, witness.id));
    if (!mine.length) throw new CheckFailed("witnesses", "cosignature_missing", { witness: label });
    let newest = null;
    for (const { rest } of mine) {
      const timestamp = rest.length === COSIGNATURE_BYTES
        ? new DataView(rest.buffer, rest.byteOffset, 8).getBigUint64(0) : 0n;
      const message = encoder.encode(`cosignature/v1\ntime ${timestamp}\n${text}`);
      if (timestamp < 1n || timestamp > MAX_TIMESTAMP ||
          !await ed25519Verify(witness.publicKey, rest.slice(8), message)) {
        throw new CheckFailed("witnesses", "cosignature_invalid", { witness: label });
      }
      if (newest === null || timestamp > newest) newest = timestamp;
    }
    found.push({ witness: witness.name, keyId: toHex(witness.id), timestamp: Number(newest) });
  }
  return found;
}

export function parseCheckpoint(text) {
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3 || !/^(0|[1-9][0-9]*)$/.test(lines[1])) {
    throw new CheckFailed("checkpoint", "checkpoint_malformed", {});
  }
  let root;
  try {
    root = fromBase64(lines[2]);
  } catch {
    throw new CheckFailed("checkpoint", "checkpoint_malformed", {});
  }
  const size = Number(lines[1]);
  if (root.length !== 32 || !Number.isSafeInteger(size)) {
    throw new CheckFailed("checkpoint", "checkpoint_malformed", {});
  }
  return { origin: lines[0], size, root };
}

// --- the whole bundle --------------------------------------------------------------------

function field(bundle, name, kind) {
  const value = bundle[name];
  const ok = kind === "array" ? Array.isArray(value)
    : kind === "object" ? value !== null && typeof value === "object" && !Array.isArray(value)
      : typeof value === kind;
  if (!ok) throw new CheckFailed("format", "field_type", { field: name, expected: kind });
  return value;
}

function short(value) {
  const text = JSON.stringify(value === undefined ? null : value);
  return text.length <= 80 ? text : `${text.slice(0, 77)}...`;
}

async function loggedEvent(bundle, name, checkpoint) {
  const item = bundle[name];
  if (!item || typeof item.leaf !== "string" || !Number.isSafeInteger(item.leaf_index) ||
      !Array.isArray(item.inclusion_proof)) {
    throw new CheckFailed("log", "event_malformed", { event: name });
  }
  let proof;
  try {
    proof = item.inclusion_proof.map(fromHex);
  } catch {
    throw new CheckFailed("log", "event_malformed", { event: name });
  }
  const problem = await verifyInclusion(await leafHash(encoder.encode(item.leaf)),
    item.leaf_index, checkpoint.size, proof, checkpoint.root);
  if (problem) throw new CheckFailed("log", problem.code, { event: name, ...problem.params });
  return JSON.parse(item.leaf);
}

// Checks `bundle`; `verifierKey` pins the log key (default: the one the bundle names); each of
// `witnessKeys` must have cosigned the bundle's checkpoint.
// `report(check, state, detail)` is told when each check starts ("running", with a progress
// fraction for the long ones) and passes ("ok"). Resolves to the winners and the witnesses'
// cosignatures; throws CheckFailed.
export async function verifyBundle(bundle, { verifierKey = null, witnessKeys = [], report = () => {} } = {}) {
  if (!globalThis.crypto || !crypto.subtle) throw new CheckFailed("format", "browser_no_crypto", {});
  report("format", "running");
  if (bundle === null || typeof bundle !== "object" || Array.isArray(bundle)) {
    throw new CheckFailed("format", "field_type", { field: "bundle", expected: "object" });
  }
  if (bundle.protocol !== PROTOCOL) {
    throw new CheckFailed("format", "protocol", { expected: PROTOCOL, got: String(bundle.protocol) });
  }
  const contest = field(bundle, "contest", "string");
  const rules = field(bundle, "rules", "object");
  const rulesSha256 = field(bundle, "rules_sha256", "string");
  const tickets = field(bundle, "tickets", "array");
  const excluded = field(bundle, "excluded", "array");
  const randomness = field(bundle, "randomness", "object");
  field(bundle, "winners", "array");
  field(bundle, "alternates", "array");
  field(bundle, "checkpoint", "string");
  report("format", "ok");

  report("rules", "running");
  const computedRules = toHex(await sha256(encoder.encode(canonicalJson(rules))));
  if (computedRules !== rulesSha256) {
    throw new CheckFailed("rules", "rules_hash", { computed: computedRules, claimed: rulesSha256 });
  }
  report("rules", "ok");

  report("tickets", "running");
  for (let position = 0; position < tickets.length; position++) {
    const ticket = tickets[position];
    if (typeof ticket !== "string" || !TICKET.test(ticket)) {
      throw new CheckFailed("tickets", "ticket_format", { position, got: short(ticket) });
    }
    if (position && !(ticket > tickets[position - 1])) {
      throw new CheckFailed("tickets", "ticket_order",
        { position, ticket, previous: position - 1, previous_ticket: tickets[position - 1] });
    }
  }
  const eligible = new Set(tickets);
  const both = excluded.filter((item) => item && eligible.has(item.ticket)).map((item) => item.ticket).sort();
  if (both.length) throw new CheckFailed("tickets", "ticket_excluded", { ticket: both[0] });
  report("tickets", "ok");

  report("entries_root", "running", 0);
  const root = await merkleRoot(tickets.map((t) => encoder.encode(t)),
    (share) => report("entries_root", "running", share));
  if (toHex(root) !== bundle.entries_root) {
    throw new CheckFailed("entries_root", "root_mismatch",
      { computed: toHex(root), claimed: String(bundle.entries_root) });
  }
  report("entries_root", "ok");

  report("randomness", "running");
  const value = await randomnessValue(randomness);
  report("randomness", "ok");

  report("seed", "running");
  const seed = await drawSeed(fromHex(rulesSha256), root, value);
  if (toHex(seed) !== bundle.seed) {
    throw new CheckFailed("seed", "seed_mismatch", { computed: toHex(seed), claimed: String(bundle.seed) });
  }
  report("seed", "ok");

  report("winners", "running");
  if (!Number.isSafeInteger(rules.winners) || !Number.isSafeInteger(rules.alternates)) {
    throw new CheckFailed("rules", "rules_counts", {});
  }
  const result = await draw(tickets, seed, rules.winners, rules.alternates);
  for (const name of ["winners", "alternates"]) {
    if (canonicalJson(result[name]) !== canonicalJson(bundle[name])) {
      throw new CheckFailed("winners", "winners_mismatch",
        { name, computed: short(result[name]), claimed: short(bundle[name]) });
    }
  }
  report("winners", "ok");

  report("checkpoint", "running");
  const keyText = verifierKey || (bundle.log || {}).verifier_key;
  if (typeof keyText !== "string" || !keyText.trim()) throw new CheckFailed("checkpoint", "key_missing", {});
  const verifier = await parseVerifierKey(keyText);
  const checkpoint = parseCheckpoint(await openNote(bundle.checkpoint, verifier));
  report("checkpoint", "ok");

  report("log", "running");
  const freeze = await loggedEvent(bundle, "freeze_event", checkpoint);
  const made = await loggedEvent(bundle, "draw_event", checkpoint);
  if (bundle.freeze_event.leaf_index >= bundle.draw_event.leaf_index) {
    throw new CheckFailed("log", "event_order", {});
  }
  const expected = [
    ["freeze", freeze, { type: "entries.frozen", contest, rules_sha256: rulesSha256,
      entries_root: toHex(root), eligible: tickets.length, excluded, randomness: randomness.plan }],
    ["draw", made, { type: "draw.made", contest, protocol: PROTOCOL, rules_sha256: rulesSha256,
      entries_root: toHex(root), value: toHex(value), seed: toHex(seed),
      winners: result.winners, alternates: result.alternates }],
  ];
  for (const [name, event, want] of expected) {
    for (const [key, wanted] of Object.entries(want)) {
      if (canonicalJson(event[key] === undefined ? null : event[key]) !==
          canonicalJson(wanted === undefined ? null : wanted)) {
        throw new CheckFailed("log", "event_field",
          { event: name, field: key, got: short(event[key]), expected: short(wanted) });
      }
    }
  }
  if (randomness.source === "drand") {
    const chain = DRAND_CHAINS[randomness.plan.chain_hash];
    const due = roundTime(chain, randomness.plan.round);
    const frozenAt = new Date(freeze.at);
    if (!(due > frozenAt)) {
      throw new CheckFailed("randomness", "drand_too_early",
        { round: randomness.plan.round, due: due.toISOString(), frozen_at: String(freeze.at) });
    }
  }
  report("log", "ok");

  report("replacements", "running");
  await checkReplacements(bundle, contest, result, checkpoint);
  report("replacements", "ok");

  report("witnesses", "running");
  const witnesses = [];
  for (const key of witnessKeys) witnesses.push(await parseWitnessKey(key));
  const cosignatures = await verifyCosignatures(bundle.checkpoint, witnesses);
  report("witnesses", "ok");
  return { contest, winners: result.winners, alternates: result.alternates, treeSize: checkpoint.size,
    verifierKey: verifier.text, cosignatures };
}

// Each replacement is logged after the draw and the one before it, replaces a winner of that
// moment with the next unused alternate (null once none is left: the place is dropped), and
// applying them in order gives current_winners.
async function checkReplacements(bundle, contest, result, checkpoint) {
  const replacements = field(bundle, "replacements", "array");
  const current = [...result.winners];
  let used = 0;
  let previous = bundle.draw_event.leaf_index;
  for (const [position, item] of replacements.entries()) {
    const name = `replacement ${position}`;
    if (!item || typeof item !== "object") {
      throw new CheckFailed("replacements", "replacement_malformed", { position });
    }
    const event = await loggedEvent({ [name]: item }, name, checkpoint);
    if (item.leaf_index <= previous) {
      throw new CheckFailed("replacements", "replacement_order",
        { position, got: item.leaf_index, previous });
    }
    previous = item.leaf_index;
    if (!current.includes(item.ticket)) {
      throw new CheckFailed("replacements", "replacement_not_winner",
        { position, ticket: String(item.ticket) });
    }
    const expected = used < result.alternates.length ? result.alternates[used] : null;
    if (item.replacement !== expected) {
      throw new CheckFailed("replacements", "replacement_alternate",
        { position, got: String(item.replacement), expected: String(expected) });
    }
    const want = { type: "winner.replaced", contest, ticket: item.ticket,
      reason: item.reason === undefined ? null : item.reason, replacement: expected };
    for (const [key, wanted] of Object.entries(want)) {
      if (canonicalJson(event[key] === undefined ? null : event[key]) !== canonicalJson(wanted)) {
        throw new CheckFailed("log", "event_field",
          { event: name, field: key, got: short(event[key]), expected: short(wanted) });
      }
    }
    const spot = current.indexOf(item.ticket);
    if (expected === null) current.splice(spot, 1);
    else { current[spot] = expected; used += 1; }
  }
  const claimed = field(bundle, "current_winners", "array");
  if (canonicalJson(claimed) !== canonicalJson(current)) {
    throw new CheckFailed("replacements", "current_winners",
      { computed: short(current), claimed: short(claimed) });
  }
}
