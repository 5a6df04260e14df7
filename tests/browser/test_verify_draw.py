"""A visitor re-checks a draw in their own browser: every check of `contest verify`, redone by
static/verify/checks.js with Web Crypto and @noble/curves, against real bundles."""

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page
from sqlmodel import Session

from contest.canonical import canonical_json
from contest.draw.service import replace_winner
from contest.ledger.note import Signer
from contest.randomness import RandomnessSource
from contest.randomness.rfc3797 import canonical_key
from tests.builders import rules_document
from tests.draw.builders import DUE, LOTTERY, TAMPERING, drawn, tampered
from tests.fixtures import Browser

VECTORS = Path(__file__).parents[1] / "ledger" / "vectors"
CHECKS = ["format", "rules", "tickets", "entries_root", "randomness", "seed", "winners",
          "checkpoint", "log", "replacements", "witnesses"]


@pytest.fixture
def signer(app: Flask) -> Signer:
    """The app's own log key, so that the bundle the server serves is signed by it."""
    value: Signer = app.extensions["contest.signer"]
    return value


def open_verifier(page: Page, base: str, slug: str) -> None:
    page.goto(f"{base}/contests/{slug}/verify")
    page.wait_for_selector("#verifier[data-ready=true]")


def verdict(page: Page) -> tuple[str, dict[str, str]]:
    page.wait_for_selector("#verdict.ok, #verdict.failed", timeout=60_000)
    states = page.eval_on_selector_all(
        "ol.checks li", "items => Object.fromEntries(items.map(i => [i.dataset.check, "
                        "i.dataset.state]))")
    return page.inner_text("#verdict"), states


@pytest.mark.parametrize("source", list(RandomnessSource))
def test_a_visitor_verifies_the_draw_in_the_browser(db: Session, signer: Signer, page: Page,
                                                     live_server: str,
                                                     source: RandomnessSource) -> None:
    contest = drawn(db, signer, source)
    open_verifier(page, live_server, contest.slug)
    page.click("#verify-start")
    text, states = verdict(page)
    assert text.startswith("VERIFIED in your browser: the winners of "), text
    assert "(drawn: 3)" in text
    assert states == dict.fromkeys(CHECKS, "ok")


@pytest.mark.parametrize(("change", "check"), TAMPERING.items())
def test_a_tampered_bundle_fails_in_the_browser_naming_the_check(
        db: Session, signer: Signer, client: Browser, page: Page, live_server: str,
        tmp_path: Path, change: str, check: str) -> None:
    contest = drawn(db, signer)
    bundle = client.get(f"/contests/{contest.slug}/draw.json").get_json()
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(tampered(bundle, change)))
    open_verifier(page, live_server, contest.slug)
    page.set_input_files("#bundle-file", str(path))
    text, states = verdict(page)
    failed = [name for name, state in states.items() if state == "failed"]
    assert text.startswith("NOT VERIFIED."), text
    assert len(failed) == 1 and failed[0] in check.split("|"), states
    assert all(states[name] == "ok" for name in CHECKS[:CHECKS.index(failed[0])])


def test_replaced_winners_are_checked_in_the_browser_too(
        db: Session, signer: Signer, client: Browser, page: Page, live_server: str,
        tmp_path: Path) -> None:
    contest = drawn(db, signer)
    first = client.get(f"/contests/{contest.slug}/draw.json").get_json()["winners"][0]
    replace_winner(db, contest=contest, ticket=first, reason="employee",
                   now=DUE + timedelta(days=1), signer=signer)
    db.commit()
    open_verifier(page, live_server, contest.slug)
    page.click("#verify-start")
    text, states = verdict(page)
    assert text.startswith("VERIFIED"), text
    assert states == dict.fromkeys(CHECKS, "ok")

    bundle = client.get(f"/contests/{contest.slug}/draw.json").get_json()
    bundle["replacements"][0]["replacement"] = bundle["alternates"][1]
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    open_verifier(page, live_server, contest.slug)
    page.set_input_files("#bundle-file", str(path))
    text, states = verdict(page)
    assert states["replacements"] == "failed"
    assert "replacement 0 brings in" in text and "the next unused alternate is" in text


def test_a_key_obtained_elsewhere_that_did_not_sign_is_refused(db: Session, signer: Signer,
                                                                page: Page,
                                                                live_server: str) -> None:
    contest = drawn(db, signer)
    other = Signer.generate(signer.name)
    open_verifier(page, live_server, contest.slug)
    page.fill("#verifier-key", other.verifier_key())
    page.click("#verify-start")
    text, states = verdict(page)
    assert states["checkpoint"] == "failed"
    assert f"has no signature by {other.name}+{other.key_id.hex()}" in text


def test_a_file_that_is_not_json_is_named_unreadable(db: Session, signer: Signer, page: Page,
                                                     live_server: str, tmp_path: Path) -> None:
    contest = drawn(db, signer)
    path = tmp_path / "bundle.json"
    path.write_text("{not json")
    open_verifier(page, live_server, contest.slug)
    page.set_input_files("#bundle-file", str(path))
    text, states = verdict(page)
    assert states["format"] == "failed"
    assert "the bundle is not readable JSON" in text


def test_the_page_speaks_the_visitors_language(db: Session, signer: Signer, page: Page,
                                               live_server: str) -> None:
    contest = drawn(db, signer)
    page.goto(f"{live_server}/contests/{contest.slug}/verify")
    page.click("button[lang=ru]")
    page.wait_for_selector("html[lang=ru] #verifier[data-ready=true]")
    page.click("#verify-start")
    text, _ = verdict(page)
    assert text.startswith("ПРОВЕРЕНО"), text


# --- the verifier's building blocks against the published vectors --------------------------

def run_module(page: Page, base: str, script: str, argument: Any) -> Any:
    page.goto(f"{base}/")
    return page.evaluate(
        f"async (argument) => {{ const v = await import('/static/verify/checks.js'); {script} }}",
        argument)


def test_merkle_roots_and_inclusion_proofs_match_rfc_6962(page: Page, live_server: str) -> None:
    vectors = json.loads((VECTORS / "rfc6962.json").read_text())
    roots = run_module(page, live_server, """
        const leaves = argument.leaves_hex.map(v.fromHex);
        const roots = {};
        for (let n = 0; n <= leaves.length; n++) {
          roots[n] = v.toHex(await v.merkleRoot(leaves.slice(0, n)));
        }
        const proofs = [];
        for (const p of argument.inclusion_proofs) {
          const leaf = await v.leafHash(leaves[p.leaf_index]);
          const root = v.fromHex(argument.roots[String(p.tree_size)]);
          const good = p.proof.map(v.fromHex);
          proofs.push(await v.verifyInclusion(leaf, p.leaf_index, p.tree_size, good, root));
          const bad = p.proof.map(v.fromHex);
          if (bad.length) bad[0][0] ^= 1;
          const problem = await v.verifyInclusion(leaf, p.leaf_index, p.tree_size, bad, root);
          proofs.push(problem ? problem.code : null);
        }
        return {roots, proofs};
    """, vectors)
    expected_roots = {"0": vectors["empty_root"], **vectors["roots"]}
    assert roots["roots"] == expected_roots
    good = roots["proofs"][0::2]
    bad = roots["proofs"][1::2]
    assert good == [None] * len(vectors["inclusion_proofs"])
    assert bad == ["inclusion_root" if p["proof"] else None for p in vectors["inclusion_proofs"]]


def test_canonical_json_and_the_rfc_3797_key_match_the_python_ones(page: Page,
                                                                   live_server: str) -> None:
    rules = rules_document(language="ru").to_data()
    rules["title"] = "Зимний розыгрыш \u2028 \"quoted\" \\ \U0001f381"
    results = run_module(page, live_server, """
        return {json: v.canonicalJson(argument.rules), key: v.rfc3797Key(argument.lottery)};
    """, {"rules": rules, "lottery": LOTTERY})
    assert results["json"].encode("utf-8") == canonical_json(rules)
    assert results["key"] == canonical_key(LOTTERY) == "9319./2.5.8.10.12./9.18.26.34.41.45./"
