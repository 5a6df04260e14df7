"""Steps for features/run_draw.feature and features/public_verifies_draw.feature.

The staff act on the draw desk as they would in the browser, and what they did is read back
from the public pages and the public log, as anyone would read it."""

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session

from contest.accounts import create_user
from contest.cli import main
from contest.models import Contest
from contest.randomness.drand import QUICKNET
from tests.draw.builders import DUE, FREEZE, ROUND, closed_contest, tampered
from tests.fixtures import Browser, Clock

scenarios("run_draw.feature", "public_verifies_draw.feature")

PASSWORD = "a long password"
MARKETER, AUDITOR = "marketer@brand.example", "auditor@brand.example"


@given("a contest that closed with 30 entries, 3 of them under age",
       target_fixture="contest")
def contest(db: Session, clock: Clock) -> Contest:
    clock.now = FREEZE
    for email, role in ((MARKETER, "marketer"), (AUDITOR, "auditor")):
        create_user(db, email=email, name=role, role=role, password=PASSWORD, actor_id=None,
                    now=clock.now)
    return closed_contest(db)


def _desk(contest: Contest) -> str:
    return f"/manage/contests/{contest.slug}/draw"


def _act_as(client: Browser, email: str) -> None:
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    assert client.sign_in(email, PASSWORD).status_code == 302


def _done(client: Browser, url: str, data: dict[str, str] | None = None) -> None:
    page = client.submit(url, data, follow_redirects=True).get_data(as_text=True)
    assert "Done: the step is recorded on the public log." in page, page


def _public_events(client: Browser, kind: str) -> list[dict[str, Any]]:
    """The public log's events of type ``kind``, oldest first, read as anyone reads them."""
    size = int(client.get("/log/checkpoint").get_data(as_text=True).split("\n")[1])
    leaves = client.get(f"/log/entries?start=0&end={size}").get_json()["entries"]
    events = [json.loads(leaf["leaf"]) for leaf in leaves]
    return [event for event in events if event["type"] == kind]


@when("the marketer freezes the entries")
def marketer_freezes(client: Browser, contest: Contest, clock: Clock) -> None:
    clock.now = FREEZE
    _act_as(client, MARKETER)
    _done(client, f"{_desk(contest)}/freeze")


@then(parsers.parse("the freeze names drand round {number:d}, which is not yet due"))
def freeze_names_round(client: Browser, number: int) -> None:
    [frozen] = _public_events(client, "entries.frozen")
    assert frozen["randomness"]["round"] == number
    assert QUICKNET.round_time(number) > datetime.fromisoformat(frozen["at"])


@then(parsers.parse('{count:d} tickets are excluded with the reason "{reason}"'))
def excluded(client: Browser, count: int, reason: str) -> None:
    [frozen] = _public_events(client, "entries.frozen")
    assert [item["reason"] for item in frozen["excluded"]] == [reason] * count


@when("the drand round arrives and the marketer draws")
def round_arrives(client: Browser, contest: Contest, clock: Clock) -> None:
    clock.now = DUE + timedelta(seconds=10)
    _act_as(client, MARKETER)
    pasted = json.dumps({"round": ROUND["round"], "signature": ROUND["signature"],
                         "randomness": ROUND["randomness"]})
    _done(client, f"{_desk(contest)}/randomness", {"round_json": pasted})
    _done(client, f"{_desk(contest)}/run")


@given("the contest is drawn")
def contest_is_drawn(client: Browser, contest: Contest, clock: Clock) -> None:
    marketer_freezes(client, contest, clock)
    round_arrives(client, contest, clock)


def _winner_rows(client: Browser, slug: str) -> list[tuple[str, str]]:
    html = client.get(f"/contests/{slug}/results").get_data(as_text=True)
    winners = html[html.index('<table class="winners">'):]
    rows = re.findall(r'<tr><td>\d+</td><td[^>]*>[^<]*</td>\s*<td>([^<]*)(?:<small>[^<]*'
                      r'</small>)?</td><td><code class="ticket">([0-9a-f]{32})',
                      winners[:winners.index("</table>")])
    return [(name.strip(), ticket) for name, ticket in rows]


@then(parsers.parse("the results page shows {count:d} winners as masked names with their "
                    "tickets"))
def results_show(client: Browser, contest: Contest, count: int) -> None:
    rows = _winner_rows(client, contest.slug)
    assert len(rows) == count
    assert all(re.fullmatch(r"Anna S\., United States", name) for name, _ in rows), rows


@when(parsers.parse('the auditor disqualifies the first winner as "{reason}"'),
      target_fixture="before")
def disqualify(client: Browser, contest: Contest, clock: Clock,
               reason: str) -> list[tuple[str, str]]:
    before = _winner_rows(client, contest.slug)
    clock.now += timedelta(days=1)
    _act_as(client, AUDITOR)
    _done(client, f"{_desk(contest)}/replace", {"ticket": before[0][1], "reason": reason})
    return before


@then("the first alternate takes that place on the results page")
def alternate_takes_place(client: Browser, contest: Contest,
                          before: list[tuple[str, str]]) -> None:
    [drawn] = _public_events(client, "draw.made")
    after = _winner_rows(client, contest.slug)
    assert after[0][1] == drawn["alternates"][0]
    assert after[1:] == before[1:]


@then(parsers.parse('the public log records the replacement with the reason "{reason}"'))
def log_records(client: Browser, before: list[tuple[str, str]], reason: str) -> None:
    size = int(client.get("/log/checkpoint").get_data(as_text=True).split("\n")[1])
    leaf = client.get(f"/log/entries?start={size - 1}&end={size}").get_json()["entries"][0]
    event = json.loads(leaf["leaf"])
    assert (event["type"], event["ticket"], event["reason"]) == (
        "winner.replaced", before[0][1], reason)


@then(parsers.parse('the results page shows the replaced ticket with the reason "{words}" '
                    "and no name"))
def results_show_replacement(client: Browser, contest: Contest, before: list[tuple[str, str]],
                             words: str) -> None:
    html = client.get(f"/contests/{contest.slug}/results").get_data(as_text=True)
    replaced = html[html.index('id="replacements"'):]
    row = replaced[:replaced.index("</tr>", replaced.index("<tbody>"))]
    assert before[0][1] in row and words in row
    assert "Anna" not in row


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
