"""Steps for features/run_draw.feature and features/public_verifies_draw.feature."""

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from flask import Flask
from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session

from contest.cli import main
from contest.draw.service import find_draw, freeze, make_draw, replace_winner, take_randomness
from contest.models import Contest
from contest.randomness.drand import QUICKNET
from contest.rules.publishing import find_contest
from tests.draw.builders import DUE, FREEZE, ROUND, closed_contest, tampered
from tests.fixtures import Browser, Clock

scenarios("run_draw.feature", "public_verifies_draw.feature")


@given("a contest that closed with 30 entries, 3 of them under age",
       target_fixture="contest")
def contest(db: Session, clock: Clock) -> Contest:
    clock.now = FREEZE
    return closed_contest(db)


def _signer(app: Flask) -> Any:
    return app.extensions["contest.signer"]


@when("the marketer freezes the entries")
def marketer_freezes(app: Flask, db: Session, contest: Contest) -> None:
    freeze(db, contest=contest, now=FREEZE, signer=_signer(app))
    db.commit()


@then(parsers.parse("the freeze names drand round {number:d}, which is not yet due"))
def freeze_names_round(db: Session, contest: Contest, number: int) -> None:
    record = find_draw(db, contest)
    assert record is not None
    plan = json.loads(record.randomness_plan_json)
    assert plan["round"] == number
    assert QUICKNET.round_time(number) > record.frozen_at


@then(parsers.parse('{count:d} tickets are excluded with the reason "{reason}"'))
def excluded(db: Session, contest: Contest, count: int, reason: str) -> None:
    record = find_draw(db, contest)
    assert record is not None
    assert [item.reasons for item in record.excluded] == [(reason,)] * count


@when("the drand round arrives and the marketer draws")
def round_arrives(app: Flask, db: Session, contest: Contest, clock: Clock) -> None:
    clock.now = DUE + timedelta(seconds=10)
    take_randomness(db, contest=contest, now=clock.now, signer=_signer(app),
                    proof={"chain_hash": QUICKNET.hash, "round": ROUND["round"],
                           "signature": ROUND["signature"]})
    make_draw(db, contest=contest, now=clock.now, signer=_signer(app))
    db.commit()


@given("the contest is drawn")
def contest_is_drawn(app: Flask, db: Session, contest: Contest, clock: Clock) -> None:
    marketer_freezes(app, db, contest)
    round_arrives(app, db, contest, clock)


def _winner_rows(client: Browser, slug: str) -> list[tuple[str, str]]:
    html = client.get(f"/contests/{slug}/results").get_data(as_text=True)
    return re.findall(r'<td>\d+</td><td>([^<]*)</td><td><code class="ticket">([0-9a-f]{32})',
                      html)


@then(parsers.parse("the results page shows {count:d} winners as masked names with their "
                    "tickets"))
def results_show(client: Browser, contest: Contest, count: int) -> None:
    rows = _winner_rows(client, contest.slug)
    assert len(rows) == count
    assert all(re.fullmatch(r"Anna S\., United States", name) for name, _ in rows), rows


@when(parsers.parse('the auditor disqualifies the first winner as "{reason}"'),
      target_fixture="before")
def disqualify(app: Flask, db: Session, contest: Contest, client: Browser,
               clock: Clock, reason: str) -> list[tuple[str, str]]:
    before = _winner_rows(client, contest.slug)
    replace_winner(db, contest=find_contest(db, contest.slug), ticket=before[0][1],
                   reason=reason, now=clock.now + timedelta(days=1), signer=_signer(app))
    db.commit()
    return before


@then("the first alternate takes that place on the results page")
def alternate_takes_place(db: Session, contest: Contest, client: Browser,
                          before: list[tuple[str, str]]) -> None:
    record = find_draw(db, contest)
    assert record is not None and record.alternates
    after = _winner_rows(client, contest.slug)
    assert after[0][1] == record.alternates[0]
    assert after[1:] == before[1:]


@then(parsers.parse('the public log records the replacement with the reason "{reason}"'))
def log_records(client: Browser, before: list[tuple[str, str]], reason: str) -> None:
    size = int(client.get("/log/checkpoint").get_data(as_text=True).split("\n")[1])
    leaf = client.get(f"/log/entries?start={size - 1}&end={size}").get_json()["entries"][0]
    event = json.loads(leaf["leaf"])
    assert (event["type"], event["ticket"], event["reason"]) == (
        "winner.replaced", before[0][1], reason)


@when("a visitor downloads the bundle from the results page", target_fixture="bundle")
def download(client: Browser, contest: Contest) -> dict[str, Any]:
    html = client.get(f"/contests/{contest.slug}/results").get_data(as_text=True)
    link = re.search(r'href="([^"]+/draw\.json)"', html)
    assert link, "the results page links no bundle"
    data: dict[str, Any] = client.get(link.group(1)).get_json()
    return data


TAMPERING = {"changes a ticket": "ticket", "swaps two tickets": "order",
             "changes the seed": "seed", "puts an alternate among the winners": "winner",
             "forges the checkpoint signature": "signature"}


@when(parsers.parse("someone {tampers} in it"))
def tamper(bundle: dict[str, Any], tampers: str) -> None:
    changed = tampered(bundle, TAMPERING[tampers])
    bundle.clear()
    bundle.update(changed)


@when('checks it with "contest verify" and the published log key', target_fixture="verdict")
def check(client: Browser, bundle: dict[str, Any], tmp_path: Path) -> Any:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    key = client.get("/log/key").get_data(as_text=True).strip()
    return CliRunner().invoke(main, ["verify", str(path), "--key", key])


@then("it says VERIFIED with the winners the results page shows")
def verified(verdict: Any, client: Browser, contest: Contest) -> None:
    assert verdict.exit_code == 0, verdict.output
    tickets = [ticket for _, ticket in _winner_rows(client, contest.slug)]
    assert verdict.stdout.startswith(f"VERIFIED {contest.slug}: winners {', '.join(tickets)};")


@then(parsers.parse('it says NOT VERIFIED because of the "{check}" check'))
def not_verified(verdict: Any, check: str) -> None:
    assert verdict.exit_code == 1
    assert verdict.stderr.startswith(f"NOT VERIFIED: {check}:"), verdict.stderr
