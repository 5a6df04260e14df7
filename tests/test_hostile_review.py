"""A hostile review of issue 15 ("Nobody bends a contest after the fact").

Each test plays a dishonest marketer, a dishonest auditor or an outsider who tries to change
who wins, learn who was excluded for what, or make the app answer 500, after the fact; through
the real web app (Flask's test client) and the real command line. A test that FAILS names a
problem found; the ones that pass hold the line as regression tests.
"""

import dataclasses
import hashlib
import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from contest.accounts import create_user
from contest.canonical import canonical_json
from contest.draw.protocol import draw, draw_seed, entries_root
from contest.draw.service import find_draw, freeze, make_draw, take_randomness
from contest.fraud.review import Decision, decide, flag_queue, scan_contest
from contest.models import Channel, Contest, Entry, FraudFlag, RulesVersion, StaffMember
from contest.randomness import RandomnessSource
from contest.rules.document import Selection
from contest.rules.versions import PublishedContest, find_published
from contest.rules.wizard import step_of
from tests.builders import SIGNER, log_publication, make_contest, make_entry, rules_document
from tests.draw.builders import CLOSES, DUE, FREEZE, ROUND, SCANNED, closed_contest, drawn
from tests.fixtures import Browser, Clock
from tests.web.import_page import press, upload

PASSWORD = "a long password"


# --- helpers ---------------------------------------------------------------------------------

def _staff(db: Session, clock: Clock, role: str) -> str:
    email = f"{role}@brand.example"
    create_user(db, email=email, name=role.title(), role=role, password=PASSWORD,
                actor_id=None, now=clock.now)
    db.commit()
    return email


def _as(client: Browser, db: Session, clock: Clock, role: str) -> None:
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    email = f"{role}@brand.example"
    from contest.models import User
    if db.exec(select(User).where(User.email == email)).first() is None:
        _staff(db, clock, role)
    answer = client.sign_in(email, PASSWORD)
    assert answer.status_code in (302, 303), answer.get_data(as_text=True)[:500]


def _rules_form(client: Browser, slug: str, step: str | None = None) -> dict[str, str]:
    """The editor's form (the wizard's first step, or ``step``) as the browser would send
    it back, unchanged."""
    query = f"?step={step}" if step else ""
    page = client.get(f"/manage/contests/{slug}/rules{query}").get_data(as_text=True)
    values: dict[str, str] = {}
    for match in re.finditer(r'<input[^>]*\bname="([^"]+)"[^>]*>', page):
        tag, name = match.group(0), match.group(1)
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                values[name] = re.search(r'value="([^"]*)"', tag).group(1) if 'value="' in tag \
                    else "on"
            continue
        value = re.search(r'\bvalue="([^"]*)"', tag)
        values[name] = _unescape(value.group(1)) if value else ""
    for match in re.finditer(r'<textarea[^>]*\bname="([^"]+)"[^>]*>(.*?)</textarea>', page,
                             re.S):
        values[match.group(1)] = _unescape(match.group(2))
    for match in re.finditer(r'<select[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', match.group(2))
        values[match.group(1)] = chosen.group(1) if chosen else ""
    values.pop("csrf_token", None)
    return values


def _unescape(text: str) -> str:
    import html
    return html.unescape(text)


def _public_text(client: Browser, slug: str) -> str:
    """Everything an outsider can read about ``slug``: its pages, bundle and the whole log."""
    parts = []
    for path in (f"/contests/{slug}", f"/contests/{slug}/rules", f"/contests/{slug}/results",
                 f"/contests/{slug}/complaints", f"/contests/{slug}/draw.json",
                 f"/contests/{slug}/verify", "/", "/api/contests", f"/api/contests/{slug}"):
        answer = client.get(path)
        assert answer.status_code < 500, (path, answer.status_code)
        parts.append(answer.get_data(as_text=True))
    size = json.loads(client.get("/log/entries?start=0&end=1000").get_data(as_text=True))
    parts.append(json.dumps(size, ensure_ascii=False))
    return "\n".join(parts)


def _eligible_tickets(db: Session, contest: Contest) -> list[str]:
    return sorted(db.exec(select(Entry.ticket).where(
        Entry.contest_id == contest.id, Entry.eligible == True)).all())  # noqa: E712


# --- (a) a dishonest marketer ----------------------------------------------------------------

def test_a_marketer_alone_cannot_choose_the_winner_of_a_commit_reveal_draw(
    client: Browser, db: Session, clock: Clock
) -> None:
    """After the close the ticket list is known. A marketer who may commit for any role
    ("auditor", "notary"…) picks a secret offline so that the ticket of their choice wins,
    commits its digest as the only party, freezes and reveals."""
    contest = closed_contest(db, source=RandomnessSource.COMMIT_REVEAL)
    found = find_published(db, contest)
    assert found is not None
    version, rules = found.version, found.rules
    tickets = _eligible_tickets(db, contest)
    target = tickets[7]
    root = entries_root(tickets)
    for attempt in range(10_000):
        secret = attempt.to_bytes(16, "big")
        seed = draw_seed(bytes.fromhex(version.sha256), root, hashlib.sha256(secret).digest())
        if draw(tickets, seed, rules.winners, rules.alternates).winners[0] == target:
            break
    _as(client, db, clock, "marketer")
    desk = f"/manage/contests/{contest.slug}/draw"
    clock.now = CLOSES + timedelta(seconds=10)
    client.submit(f"{desk}/commit", {"party": "auditor", "name": "",
                                     "digest": hashlib.sha256(secret).hexdigest()})
    clock.now = FREEZE
    client.submit(f"{desk}/freeze")
    clock.now = DUE + timedelta(seconds=1)
    client.submit(f"{desk}/reveal", {"party": "auditor", "secret": secret.hex()})
    client.submit(f"{desk}/randomness")
    client.submit(f"{desk}/run")
    db.expire_all()
    record = find_draw(db, contest)
    won = record is not None and record.winners[:1] == (target,)
    assert not won, (
        f"a marketer alone, after the close, committed as the 'auditor' party a secret ground "
        f"in {attempt + 1} tries and made ticket {target} the first winner: a commit-reveal "
        "draw must not rest on one commitment the marketer made (any role) once the entries "
        "are known")


# --- (b) a dishonest auditor -----------------------------------------------------------------

def _employee_entering_twice(db: Session) -> tuple[Contest, str, str]:
    """A closed contest where staff member Olga entered twice with her work e-mail: the second
    entry is over the one-per-person limit, so the scan has nothing to say about it."""
    contest = closed_contest(db, entrants=10, reviewed=False)
    found = find_published(db, contest)
    assert found is not None
    version, rules = found.version, found.rules
    olga = {"full_name": "Olga Ivanova", "email": "olga@snowfall.example",
            "birth_date": "1985-02-02", "country": "US"}
    first = make_entry(db, PublishedContest(contest, version, rules), data=olga,
                       channel=Channel.API, idempotency_key=None,
                       now=CLOSES - timedelta(minutes=30))
    second = make_entry(db, PublishedContest(contest, version, rules),
                        data=olga | {"phone": "+12125550199"}, channel=Channel.API,
                        idempotency_key=None, now=CLOSES - timedelta(minutes=20))
    db.add(StaffMember(contest_id=contest.id or 0, staff_id="S1", full_name="Olga Ivanova",
                       email="olga@snowfall.example", phone="+12125550100"))
    db.commit()
    assert first.eligible and not second.eligible, second.reasons
    return contest, first.ticket, second.ticket


def test_confirming_an_employee_does_not_let_her_second_entry_into_the_draw(
    db: Session
) -> None:
    contest, first, second = _employee_entering_twice(db)
    scan_contest(db, contest=contest, now=SCANNED)
    queue = flag_queue(db, contest=contest, limit=1000)
    employee = [q.flag.id or 0 for q in queue if q.entry.ticket == first
                and q.flag.kind == "employee"]
    assert employee, [(q.entry.ticket, q.flag.kind) for q in queue]
    rest = [q.flag.id or 0 for q in queue if q.flag.id not in employee]
    decide(db, contest=contest, flag_ids=employee, decision=Decision.CONFIRM, reason="",
           actor_id=None, now=SCANNED, signer=SIGNER)
    if rest:
        decide(db, contest=contest, flag_ids=rest, decision=Decision.DISMISS,
               reason="numbered test entrants", actor_id=None, now=SCANNED, signer=SIGNER)
    db.commit()
    try:
        record = freeze(db, contest=contest, now=FREEZE, signer=SIGNER)
    except Exception as refused:  # noqa: BLE001 - a refusal (rescan first) is a fix
        assert "scan" in str(refused) or "flag" in str(refused), refused
        return
    frozen = record.tickets
    assert second not in frozen, (
        f"the auditor confirmed staff member Olga's entry {first} as 'employee'; the limit "
        f"was recomputed and her second entry {second} (same e-mail, never flagged because it "
        "was over the limit at the scan) became eligible, and the freeze took it without a "
        "new scan: it is among the frozen tickets and can win")


# --- the command line with odd input ------------------------------------------------------------

def _cli(*args: str) -> Any:
    """``contest ARGS…``; a traceback (anything but a clean exit) is reported, not raised."""
    from click.testing import CliRunner

    from contest.cli import main
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, (f"`contest {' '.join(args)[:120]}` crashed with "
                         f"{type(result.exception).__name__}: {str(result.exception)[:200]} "
                         "instead of a clear error")
    return result


ODD_RULES_JSON = {
    "pairs_list": '[["title", "Winter giveaway"]]',
    "huge_integer": '{"title": "Winter", "winners": ' + "9" * 5000 + "}",
    "infinity": '{"title": "Winter", "winners": 1e999}',
    "nan": '{"title": "Winter", "winners": NaN}',
    "lone_surrogate": '{"title": "Winter \\ud800 giveaway"}',
    "deep": "[" * 100_000 + "]" * 100_000,
    "string": '"just a string"',
    # A whole valid document but for a count no canonical JSON (RFC 8785) can hold.
    "sextillion_winners": json.dumps(json.loads(canonical_json(rules_document(
        winners=1, prizes=()).to_data())) | {"winners": 10 ** 21, "prizes": [{
            "name": "Gift card", "quantity": 10 ** 21, "cash_alternative": None,
            "retail_value": {"amount": "1.00", "currency": "USD"}}]}),
}


@pytest.mark.parametrize("case", sorted(ODD_RULES_JSON))
def test_rules_edit_with_odd_json_is_a_clear_error(cli_env: Path, case: str) -> None:
    created = _cli("contests", "create", "odd-json", "--title", "Odd JSON")
    assert created.exit_code == 0, created.output
    draft = cli_env / f"{case}.json"
    draft.write_text(ODD_RULES_JSON[case], encoding="utf-8")
    edited = _cli("rules", "edit", "odd-json", str(draft))
    if edited.exit_code == 0:  # stored as an invalid draft: publishing must then refuse it
        published = _cli("rules", "publish", "odd-json")
        assert published.exit_code != 0, published.output
        shown = _cli("rules", "show", "odd-json", "--draft")
        assert shown.exit_code == 0


ODD_FORM_VALUES = {
    "nul_in_title": {"title": "Winter\x00giveaway"},
    "nul_in_section": {"sections.0.text": "Free\x00to enter"},
    "huge_winners": {"winners": "9" * 5000},
    "float_winners": {"winners": "1e999"},
    "bad_zone": {"period.timezone": "../../../etc/passwd"},
    "nul_zone": {"period.timezone": "Europe/\x00Moscow"},
    "bad_moment": {"period.opens_at": "2026-13-45T99:99"},
    "far_moment": {"period.closes_at": "9999-12-31T23:59"},
    "year_one": {"period.opens_at": "0001-01-01T00:00", "period.timezone": "Asia/Tokyo"},
    "negative_money": {"prizes.0.retail_value.amount": "-1e309"},
    "nan_money": {"prizes.0.retail_value.amount": "NaN"},
    "huge_money": {"prizes.0.retail_value.amount": "9" * 5000},
    "sextillion_winners": {"winners": "1" + "0" * 21, "prizes.0.quantity": "1" + "0" * 21},
}


@pytest.mark.parametrize("case", sorted(ODD_FORM_VALUES))
def test_the_rules_editor_answers_odd_values_without_a_500(
    client: Browser, db: Session, clock: Clock, case: str
) -> None:
    client.application.config["PROPAGATE_EXCEPTIONS"] = False  # a bug answers 500, as live
    make_contest(db, published=False)
    _as(client, db, clock, "marketer")
    form = _edited(client, "winter-giveaway", ODD_FORM_VALUES[case])
    saved = client.submit("/manage/contests/winter-giveaway/rules", form | {"then": "preview"})
    assert saved.status_code < 500, f"saving the draft with {case} answered {saved.status_code}"
    for path in ("/manage/contests/winter-giveaway/rules",
                 "/manage/contests/winter-giveaway/preview",
                 "/manage/contests/winter-giveaway/prizes"):
        shown = client.get(path)
        assert shown.status_code < 500, f"GET {path} after {case} answered {shown.status_code}"
    published = client.submit("/manage/contests/winter-giveaway/publish")
    assert published.status_code < 500, f"publishing {case} answered {published.status_code}"
    for path in ("/", "/contests/winter-giveaway", "/contests/winter-giveaway/rules",
                 "/api/contests", "/manage/contests"):
        shown = client.get(path)
        assert shown.status_code < 500, f"GET {path} after {case} answered {shown.status_code}"


def _edited(client: Browser, slug: str, changes: dict[str, str]) -> dict[str, str]:
    """The wizard's step that holds the fields ``changes`` names, sent back with them."""
    steps = {step_of(field) for field in changes}
    assert len(steps) == 1, f"the changes span the steps {steps}"
    return _rules_form(client, slug, steps.pop().value) | changes


def _publish_amendment(client: Browser, slug: str, changes: dict[str, str],
                       reason: str) -> str:
    form = _edited(client, slug, changes)
    saved = client.submit(f"/manage/contests/{slug}/rules", form | {"then": "stay"})
    assert saved.status_code < 500, saved.status_code
    published = client.submit(f"/manage/contests/{slug}/publish",
                              {"reason": reason, "note": "Olga Ivanova asked for it"})
    assert published.status_code < 500, published.status_code
    if "/preview" in published.headers.get("Location", ""):  # refused: the flash says why
        said = client.get(published.headers["Location"]).get_data(as_text=True)
        flashed = re.findall(r'class="flash[^"]*"[^>]*>(.*?)</', said, re.S)
        return "refused: " + " ".join(flashed)
    return published.headers.get("Location", "")


AMENDMENTS_WHILE_OPEN = {
    "priceless_prize": ({"prizes.0.retail_value.amount": "9" * 5000}, "prize_substitute"),
    "extended_to_9999": ({"period.closes_at": "9999-12-30T23:00",
                          "period.draw_at": "9999-12-31T23:59"}, "extension"),
}


@pytest.mark.parametrize("case", sorted(AMENDMENTS_WHILE_OPEN))
def test_a_kinder_amendment_while_open_cannot_break_the_public_pages(
    client: Browser, db: Session, clock: Clock, case: str
) -> None:
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    contest, _ = make_contest(db)
    clock.now = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)  # open
    _as(client, db, clock, "marketer")
    changes, reason = AMENDMENTS_WHILE_OPEN[case]
    outcome = _publish_amendment(client, contest.slug, changes, reason)
    db.expire_all()
    published = len(db.exec(select(RulesVersion).where(
        RulesVersion.contest_id == contest.id)).all()) == 2
    # Refused with a field error (the rules' ranges) or published: either way no page breaks.
    assert published or outcome.startswith("refused: "), outcome
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    broken = []
    for path in ("/", f"/contests/{contest.slug}", f"/contests/{contest.slug}/rules",
                 f"/contests/{contest.slug}/rules?version=2", f"/contests/{contest.slug}/enter",
                 f"/contests/{contest.slug}/complaints", "/api/contests",
                 f"/api/contests/{contest.slug}"):
        status = client.get(path).status_code
        if status >= 500:
            broken.append(f"GET {path} → {status}")
    entry = client.post(f"/api/contests/{contest.slug}/entries", json={
        "full_name": "Anna Kowalski", "email": "anna@example.com", "birth_date": "1985-01-01",
        "country": "US"})
    if entry.status_code >= 500:
        broken.append(f"POST entry → {entry.status_code}")
    complaint = client.post(f"/api/contests/{contest.slug}/complaints", json={
        "contact": "anna@example.com", "kind": "other", "text": "Why?"})
    if complaint.status_code >= 500:
        broken.append(f"POST complaint → {complaint.status_code}")
    assert not broken, (f"a marketer amended the open contest ({case}, a change the "
                        f"amendment rules call kinder) and published it; since a published "
                        f"version never changes, these answer 500 for good: {broken}")


# --- imports: odd moments, and the freeze -------------------------------------------------------

CSV_HEAD = "entry_id,submitted_at,full_name,email,birth_date,country\n"
ODD_MOMENTS = {
    "no_offset": "2026-12-05T10:00:00",
    "z": "2026-12-05T10:00:00Z",
    "space_and_short_offset": "2026-12-05 10:00+03",
    "plus_fourteen": "2026-12-05T10:00:00+14:00",
    "compact": "20261205T100000+0300",
    "fraction": "2026-12-05T10:00:00.123456789+00:00",
    "year_one_east": "0001-01-01T00:30:00+01:00",
    "year_9999_west": "9999-12-31T23:59:59-23:59",
    "week_date": "2026-W49-6T10:00:00+00:00",
    "before_open_by_offset": "2026-12-01T10:30:00+03:00",  # 07:30 UTC, before 09:00 UTC
}


@pytest.mark.parametrize("case", sorted(ODD_MOMENTS))
def test_imports_with_odd_moments_are_judged_in_utc_without_a_500(
    client: Browser, db: Session, clock: Clock, case: str
) -> None:
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    contest, _ = make_contest(db)
    clock.now = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)  # open
    _as(client, db, clock, "marketer")
    csv = CSV_HEAD + f"x1,{ODD_MOMENTS[case]},Anna Kowalski,anna@example.com,1985-01-01,US\n"
    answer = upload(client, contest.slug, csv.encode(), "entries.csv")  # a preview first
    assert answer.status_code < 500, f"previewing a row stamped {ODD_MOMENTS[case]!r} → 500"
    answer = press(client, contest.slug, answer, "import")
    assert answer.status_code < 500, f"importing a row stamped {ODD_MOMENTS[case]!r} → 500"
    db.expire_all()
    stored = db.exec(select(Entry).where(Entry.contest_id == contest.id)).first()
    if stored is None:
        return
    moment = datetime.fromisoformat(ODD_MOMENTS[case].replace(" ", "T")
                                    ) if case != "compact" else None
    opens, closes = datetime(2026, 12, 1, 9, tzinfo=UTC), datetime(2026, 12, 31, 9, tzinfo=UTC)
    if moment is not None and moment.tzinfo is not None:
        inside = opens <= moment < closes
        assert stored.eligible == (inside and moment <= clock.now), (case, stored.reasons)
    for path in (f"/contests/{contest.slug}", f"/receipts/{stored.ticket}",
                 f"/audit/contests/{contest.slug}/entries"):
        if path.startswith("/audit"):
            _as(client, db, clock, "auditor")
        assert client.get(path).status_code < 500, (case, path)


# --- after the freeze, from the command line ----------------------------------------------------

def _snapshot(db: Session, contest: Contest) -> dict[str, Any]:
    db.expire_all()
    record = find_draw(db, contest)
    assert record is not None
    entries = db.exec(select(Entry.ticket, Entry.eligible, Entry.reasons).where(
        Entry.contest_id == contest.id).order_by(col(Entry.ticket))).all()
    versions = db.exec(select(RulesVersion.sha256).where(
        RulesVersion.contest_id == contest.id)).all()
    fresh = db.get(Contest, contest.id)
    assert fresh is not None
    return {"tickets": record.tickets, "excluded": record.excluded,
            "value": record.value, "seed": record.seed, "entries": [tuple(e) for e in entries],
            "versions": list(versions), "draft": fresh.draft_json}


def test_nothing_from_the_command_line_bends_a_frozen_contest(
    session: Session, cli_env: Path
) -> None:
    contest = closed_contest(session)
    freeze(session, contest=contest, now=FREEZE, signer=SIGNER)
    session.commit()
    before = _snapshot(session, contest)
    slug = contest.slug
    draft = cli_env / "draft.json"
    rules = json.loads(before["draft"])
    draft.write_text(json.dumps(rules | {"winners": 1, "alternates": 0}), encoding="utf-8")
    entries = cli_env / "late.csv"
    entries.write_text(CSV_HEAD + "late1,2023-09-01T00:00:00+00:00,Olga Ivanova,"
                       "olga@snowfall.example,1985-02-02,US\n", encoding="utf-8")
    staff = cli_env / "staff.csv"
    staff.write_text("staff_id,full_name,email,phone,birth_date,address,city,postal_code,"
                     "country,department,company\nS9,Anna Smith3,p3@example.com,,,,,,US,,\n",
                     encoding="utf-8")
    flag_id = str(session.exec(select(FraudFlag.id).where(
        FraudFlag.contest_id == contest.id)).first() or 1)
    attempts = {
        "rules edit": ("rules", "edit", slug, str(draft)),
        "rules publish": ("rules", "publish", slug, "--reason", "correction"),
        "entries import": ("entries", "import", slug, str(entries)),
        "fraud scan": ("fraud", "scan", "--contest", slug),
        "fraud decide --confirm": ("fraud", "decide", slug, flag_id, "--confirm"),
        "draw commit": ("draw", "commit", slug, "--party", "sponsor", "--digest", "ab" * 32),
        "draw freeze": ("draw", "freeze", slug),
        "draw run": ("draw", "run", slug),
        "draw replace": ("draw", "replace", slug, before["tickets"][0],
                         "--reason", "employee"),
    }
    accepted = []
    for label, args in attempts.items():
        result = _cli(*args)
        if result.exit_code == 0:
            accepted.append(f"{label}: {result.output.strip()[:100]}")
    loaded = _cli("staff", "import", slug, str(staff))  # allowed: it changes nothing frozen
    assert loaded.exit_code == 0, loaded.output
    after = _snapshot(session, contest)
    assert not accepted, f"after the freeze the command line still accepted: {accepted}"
    changed = [key for key in before if before[key] != after[key]]
    assert not changed, f"after the freeze these changed: {changed}"


# --- after the freeze, in the browser -----------------------------------------------------------

def test_nothing_in_the_browser_bends_a_frozen_contest(
    client: Browser, db: Session, clock: Clock
) -> None:
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    contest = closed_contest(db)
    slug = contest.slug
    _as(client, db, clock, "marketer")
    clock.now = FREEZE
    form = _rules_form(client, slug)  # the editor as it stood before the freeze
    client.submit(f"/manage/contests/{slug}/draw/freeze")
    before = _snapshot(db, contest)
    flag_ids = [str(f) for f in db.exec(select(FraudFlag.id).where(
        FraudFlag.contest_id == contest.id)).all()]
    late = CSV_HEAD + "late1,2023-09-01T00:00:00+00:00,Olga Ivanova,olga@snowfall.example," \
                      "1985-02-02,US\n"
    answers: dict[str, int] = {}
    clock.advance(seconds=5)
    answers["marketer saves the draft"] = client.submit(
        f"/manage/contests/{slug}/rules", form | {"winners": "1", "then": "preview"}).status_code
    answers["marketer publishes"] = client.submit(
        f"/manage/contests/{slug}/publish", {"reason": "correction"}).status_code
    answers["marketer imports"] = client.submit(
        f"/manage/contests/{slug}/entries/import",
        {"file": (io.BytesIO(late.encode()), "late.csv")},
        content_type="multipart/form-data").status_code
    answers["marketer freezes again"] = client.submit(
        f"/manage/contests/{slug}/draw/freeze").status_code
    answers["marketer draws before the randomness"] = client.submit(
        f"/manage/contests/{slug}/draw/run").status_code
    _as(client, db, clock, "auditor")
    answers["auditor scans"] = client.submit(f"/audit/contests/{slug}/scan").status_code
    answers["auditor confirms decided flags"] = client.submit(
        f"/audit/contests/{slug}/flags/decide",
        {"flag": flag_ids, "decision": "confirm"}).status_code
    answers["auditor loads a roster"] = client.submit(
        f"/audit/contests/{slug}/staff",
        {"staff": (io.BytesIO(b"staff_id,full_name,email\nS9,Anna Smith3,p3@example.com\n"),
                   "staff.csv")}, content_type="multipart/form-data").status_code
    for path in (f"/audit/contests/{slug}/flags", f"/audit/contests/{slug}/flags?status="
                 "dismissed", f"/manage/contests/{slug}/draw", f"/contests/{slug}/results",
                 f"/contests/{slug}/results?ticket={before['tickets'][0]}",
                 f"/contests/{slug}/draw.json", f"/contests/{slug}/verify"):
        answers[f"GET {path}"] = client.get(path).status_code
    after = _snapshot(db, contest)
    assert not [k for k, v in answers.items() if v >= 500], answers
    changed = [key for key in before if before[key] != after[key]]
    assert not changed, f"after the freeze the browser changed: {changed} ({answers})"


STAGE_REFUSAL = re.compile(r"the contest is (frozen for the draw|waiting for the draw|drawn)")


@pytest.mark.parametrize("role", ["marketer", "auditor"])
def test_after_the_freeze_no_page_offers_a_button_that_is_then_refused(
    client: Browser, db: Session, clock: Clock, role: str
) -> None:
    """Pressing what a page offers should not end in "cannot …: the contest is frozen"."""
    contest = closed_contest(db)
    slug = contest.slug
    freeze(db, contest=contest, now=FREEZE, signer=SIGNER)
    db.commit()
    clock.now = FREEZE + timedelta(minutes=1)
    _as(client, db, clock, role)
    pages = ([f"/manage/contests/{slug}/rules", f"/manage/contests/{slug}/preview",
              f"/manage/contests/{slug}/prizes", f"/manage/contests/{slug}/entries/import",
              f"/manage/contests/{slug}/draw"] if role == "marketer" else
             [f"/audit/contests/{slug}/flags", f"/audit/contests/{slug}/flags?status=dismissed",
              f"/audit/contests/{slug}/staff", f"/manage/contests/{slug}/draw"])
    refused = []
    for page in pages:
        shown = client.get(page).get_data(as_text=True)
        offered = _offered_posts(shown, page)
        if 'type="file"' in shown:  # upload forms: send an empty CSV
            offered = [(url, data | {"file": (io.BytesIO(CSV_HEAD.encode()), "x.csv")})
                       for url, data in offered]
        if page.endswith("/rules"):
            offered = [(url, _rules_form(client, slug) | data) for url, data in offered]
        for url, data in offered:
            if "/logout" in url or "/language/" in url:
                continue
            answer = client.submit(url, data, follow_redirects=True,
                                   content_type="multipart/form-data")
            said = " ".join(re.sub(r"<[^>]+>", " ", answer.get_data(as_text=True)).split())
            found = STAGE_REFUSAL.search(said)
            if found:
                start = max(said.find(found.group(0)) - 70, 0)
                note = f"{url} ({answer.status_code}): '…{said[start:found.end()]}'"
                if note not in refused:
                    refused.append(note)
    assert not refused, ("after the freeze these pages still offer buttons that are then "
                         f"refused, instead of saying the contest is frozen: {refused}")


# --- a whole contest in the browser: what the public learns, and whether it verifies ------------

PRIVATE = {
    "amendment note": "AMENDNOTE Olga Ivanova asked for it",
    "commit name": "COMMITNAME Pyotr Petrov",
    "dismissal reason": "DISMISSREASON numbered test entrants",
    "replacement note": "REPLACENOTE Anna told us she works there",
    "private answer": "PRIVATEANSWER Anna Smith0 is staff",
    "extension reason": "EXTENDREASON waiting for Olga",
}


def test_a_whole_contest_keeps_staff_words_private_and_verifies(
    client: Browser, db: Session, clock: Clock, cli_env: Path
) -> None:
    from contest.masking import mask_name

    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    contest = closed_contest(db, source=RandomnessSource.COMMIT_REVEAL, reviewed=False)
    slug = contest.slug
    found = find_published(db, contest)
    assert found is not None
    version, rules = found.version, found.rules
    log_publication(db, contest, version)  # the builder stored the version alone
    olga = make_entry(db, PublishedContest(contest, version, rules), data={
        "full_name": "Olga Ivanova", "email": "olga@snowfall.example",
        "birth_date": "1985-02-02", "country": "US"}, channel=Channel.API,
        idempotency_key=None, now=CLOSES - timedelta(minutes=30))
    db.commit()
    # While open: the marketer amends the wording, with a private note, and commits.
    clock.now = CLOSES - timedelta(minutes=10)
    _as(client, db, clock, "marketer")
    amended = _publish_amendment(client, slug, {"sections.0.text": "Free to enter, always."},
                                 "correction")
    assert not amended.startswith("refused"), amended
    secret = "33" * 16
    client.submit(f"/manage/contests/{slug}/draw/commit", {
        "party": "sponsor", "name": PRIVATE["commit name"],
        "digest": hashlib.sha256(bytes.fromhex(secret)).hexdigest()})
    # An independent party commits too (an auditor records it): the draw needs one.
    witness = "55" * 16
    _as(client, db, clock, "auditor")
    client.submit(f"/manage/contests/{slug}/draw/commit", {
        "party": "witness", "digest": hashlib.sha256(bytes.fromhex(witness)).hexdigest()})
    # After the close: the auditor loads the roster, scans, confirms Olga, dismisses the rest.
    clock.now = SCANNED
    _as(client, db, clock, "auditor")
    client.submit(f"/audit/contests/{slug}/staff", {"staff": (io.BytesIO(
        b"staff_id,full_name,email\nS1,Olga Ivanova,olga@snowfall.example\n"), "staff.csv")},
        content_type="multipart/form-data")
    client.submit(f"/audit/contests/{slug}/scan")
    db.expire_all()
    queue = flag_queue(db, contest=contest, limit=1000)
    confirm = [str(q.flag.id) for q in queue if q.entry.ticket == olga.ticket]
    dismiss = [str(q.flag.id) for q in queue if q.entry.ticket != olga.ticket]
    assert confirm, [(q.entry.full_name, q.flag.kind) for q in queue]
    client.submit(f"/audit/contests/{slug}/flags/decide", {"flag": confirm,
                                                           "decision": "confirm"})
    if dismiss:
        client.submit(f"/audit/contests/{slug}/flags/decide", {
            "flag": dismiss, "decision": "dismiss", "reason": PRIVATE["dismissal reason"]})
    # The marketer freezes; the secret is revealed; the draw is made at its moment.
    clock.now = FREEZE
    _as(client, db, clock, "marketer")
    client.submit(f"/manage/contests/{slug}/draw/freeze")
    clock.now = DUE
    client.submit(f"/manage/contests/{slug}/draw/reveal", {"party": "sponsor",
                                                          "secret": secret})
    client.submit(f"/manage/contests/{slug}/draw/reveal", {"party": "witness",
                                                          "secret": witness})
    client.submit(f"/manage/contests/{slug}/draw/randomness")
    client.submit(f"/manage/contests/{slug}/draw/run")
    db.expire_all()
    record = find_draw(db, contest)
    assert record is not None and record.winners, "the draw was not made"
    first = record.winners[0]
    winner = db.exec(select(Entry).where(Entry.ticket == first)).one()
    winner.full_name = first_name = "Zoltan Kodaly"  # the test entrants all mask alike
    db.add(winner)
    db.commit()
    # The auditor replaces the first winner and answers a complaint privately.
    clock.now = DUE + timedelta(hours=1)
    _as(client, db, clock, "auditor")
    client.submit(f"/manage/contests/{slug}/draw/replace", {
        "ticket": first, "reason": "employee", "note": PRIVATE["replacement note"]})
    filed = client.post(f"/api/contests/{slug}/complaints", json={
        "contact": "anna@example.com", "kind": "winner_staff_or_proxy", "ticket": first,
        "text": "The first winner works there."})
    assert filed.status_code == 201, filed.get_data(as_text=True)
    number = filed.get_json()["number"]
    desk = f"/audit/contests/{slug}/complaints/{number}"
    assert client.get(desk).status_code == 200
    client.submit(f"{desk}/extend", {"until": (DUE + timedelta(days=30)).date().isoformat(),
                                     "reason": PRIVATE["extension reason"]})
    client.submit(f"{desk}/answer", {"answer": PRIVATE["private answer"], "public": "no"})
    from contest.models import Commitment, Complaint, ComplaintExtension, Replacement
    db.expire_all()
    assert db.exec(select(Replacement)).one().ticket == first
    assert db.exec(select(Complaint)).one().answer == PRIVATE["private answer"]
    assert db.exec(select(ComplaintExtension)).one().reason == PRIVATE["extension reason"]
    assert sorted(c.party for c in db.exec(select(Commitment))) == ["sponsor", "witness"]
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    public = _public_text(client, slug) + client.get(f"/receipts/{first}").get_data(
        as_text=True) + client.get(f"/receipts/{olga.ticket}").get_data(as_text=True)
    leaked = [label for label, text in PRIVATE.items() if text.split()[0] in public]
    assert not leaked, f"staff's own words reached the public record: {leaked}"
    paired = [name for name in ("Olga Ivanova", mask_name("Olga Ivanova"), first_name,
                                mask_name(first_name)) if name in public]
    assert not paired, f"an excluded or replaced entrant is named in public: {paired}"
    # The bundle verifies, from the command line, under the published key.
    bundle = cli_env / "bundle.json"
    bundle.write_text(client.get(f"/contests/{slug}/draw.json").get_data(as_text=True),
                      encoding="utf-8")
    key = client.get("/log/key").get_data(as_text=True).strip()
    verified = _cli("verify", str(bundle), "--key", key)
    assert verified.exit_code == 0 and verified.output.startswith(f"VERIFIED {slug}"), \
        verified.output
    assert _cli("log", "verify").output.startswith("log verified: ")
    versions = db.exec(select(RulesVersion).where(RulesVersion.contest_id == contest.id)).all()
    assert len(versions) == 2 and record.rules_version_id == versions[1].id


def test_the_web_editor_keeps_the_seconds_of_published_moments(
    client: Browser, db: Session, clock: Clock
) -> None:
    """Rules written as JSON (``contest rules edit``) may name moments to the second; the
    browser's editor shows minutes only, so an unchanged save moves every moment."""
    opens = datetime(2026, 12, 1, 9, 0, 30, tzinfo=UTC)
    document = rules_document(opens_at=opens, closes_at=opens + timedelta(days=30))
    contest, _ = make_contest(db, rules=document)
    clock.now = opens + timedelta(days=3)
    _as(client, db, clock, "marketer")
    when = client.submit(f"/manage/contests/{contest.slug}/rules",
                         _rules_form(client, contest.slug, "when") | {"then": "stay"})
    assert when.status_code == 200, "saving the moments' step unchanged was refused"
    outcome = _publish_amendment(client, contest.slug,
                                 {"sections.0.text": "Free to enter, always."}, "correction")
    db.expire_all()
    draft = json.loads((db.get(Contest, contest.id) or contest).draft_json)
    assert not outcome.startswith("refused"), (
        f"a wording correction through the web editor is refused because saving the form "
        f"moved the published moments to whole minutes (draft opens_at "
        f"{draft['period']['opens_at']}, published {opens.isoformat()}): {outcome[:160]}")
    assert draft["period"]["opens_at"] == opens.isoformat()


# --- (c) an outsider, and staff pages, with odd query strings -----------------------------------

HUGE = "9" * 30


def test_odd_addresses_from_an_outsider_never_answer_500(
    client: Browser, db: Session
) -> None:
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    contest = drawn(db, SIGNER)
    slug = contest.slug
    ticket = db.exec(select(Entry.ticket)).first()
    paths = [f"/log/entries?start={HUGE}&end={HUGE}", "/log/entries?start=-1&end=5",
             "/log/entries?start=0&end=1e3", f"/log/proof/inclusion?index=0&size={HUGE}",
             f"/log/proof/consistency?first=1&second={HUGE}",
             f"/contests/{slug}/rules?version={HUGE}", f"/contests/{slug}/rules?version=-1",
             f"/contests/{slug}/results?ticket={'a' * 10000}",
             f"/contests/{slug}/results?ticket=%00%ff", f"/receipts/{'A' * 32}",
             f"/receipts/{ticket}/{'x' * 5000}", "/receipts/%F0%9F%92%A9",
             "/receipts/%00", "/contests/x%00", "/contests/x%00/rules", "/api/contests/x%00",
             "/complaints/%00"]
    broken = [path for path in paths if client.get(path).status_code >= 500]
    assert not broken, f"an outsider gets 500 from: {broken}"


def test_odd_page_numbers_on_staff_pages_never_answer_500(
    client: Browser, db: Session, clock: Clock
) -> None:
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    contest = drawn(db, SIGNER)
    slug = contest.slug
    _as(client, db, clock, "auditor")
    paths = [f"/audit/contests/{slug}/entries?page={HUGE}",
             f"/audit/contests/{slug}/flags?page={HUGE}",
             f"/audit/contests/{slug}/flags/{HUGE}",
             f"/audit/contests/{slug}/complaints/{HUGE}",
             f"/audit/contests/{slug}/entries?page=-5&show=%00"]
    broken = [path for path in paths if client.get(path).status_code >= 500]
    answer = client.submit(f"/audit/contests/{slug}/flags/decide",
                           {"flag": [HUGE], "decision": "dismiss", "reason": "x"})
    if answer.status_code >= 500:
        broken.append(f"POST decide flag={HUGE}")
    assert not broken, f"these staff pages answer 500: {broken}"


# --- rules written after the fact ---------------------------------------------------------------

@pytest.mark.parametrize("how", ["first_version", "amendment_while_scheduled"])
def test_rules_cannot_be_published_for_an_entry_period_already_over(
    session: Session, cli_env: Path, how: str
) -> None:
    """A marketer writes the rules once the entries are known: the period is backdated, the
    entries gathered in it are imported (all eligible), and the draw can go ahead."""
    today = datetime.now(UTC).replace(microsecond=0)
    past = rules_document(opens_at=today - timedelta(days=20), closes_at=today - timedelta(days=10))
    if how == "first_version":
        make_contest(session, rules=past, published=False, now=today - timedelta(days=30))
    else:
        later = rules_document(opens_at=today + timedelta(days=5))
        make_contest(session, rules=later, now=today - timedelta(days=1))
    session.close()
    draft = cli_env / "rules.json"
    draft.write_bytes(canonical_json(past.to_data()))
    assert _cli("rules", "edit", "winter-giveaway", str(draft)).exit_code == 0
    published = _cli("rules", "publish", "winter-giveaway")
    if published.exit_code != 0:
        return  # refused: the rules come before the entries
    entries = cli_env / "picked.csv"
    entries.write_text(CSV_HEAD + "".join(
        f"p{n},{(today - timedelta(days=15, hours=n)).isoformat()},Friend Number{n},"
        f"friend{n}@example.com,1985-01-01,US\n" for n in range(5)), encoding="utf-8")
    imported = _cli("entries", "import", "winter-giveaway", str(entries))
    assert "5 imported (5 eligible" not in imported.output, (
        f"({how}) rules published at {today.isoformat()} for entries from "
        f"{past.period.opens_at.isoformat()} to {past.period.closes_at.isoformat()} were "
        f"accepted, and 5 hand-picked rows stamped inside that period were imported as "
        f"eligible ({imported.output.strip()}): the rules were written after the fact")


# --- steps taken early --------------------------------------------------------------------------

def test_the_freeze_waits_for_every_flag_by_command_line_and_by_crafted_post(
    client: Browser, db: Session, clock: Clock, cli_env: Path
) -> None:
    contest = closed_contest(db, reviewed=False)
    db.add(StaffMember(contest_id=contest.id or 0, staff_id="S1", full_name="Anna Smith3",
                       email="p3@example.com"))
    db.commit()
    scan_contest(db, contest=contest, now=SCANNED)
    db.commit()
    assert flag_queue(db, contest=contest), "the scan found nothing to decide"
    by_cli = _cli("draw", "freeze", contest.slug)
    assert by_cli.exit_code != 0 and "open flag" in by_cli.output, by_cli.output
    clock.now = FREEZE
    _as(client, db, clock, "marketer")
    page = client.get(f"/manage/contests/{contest.slug}/draw").get_data(as_text=True)
    assert re.search(r'<button type="submit" disabled>[^<]*Freeze', page), \
        "the freeze button is not disabled"
    crafted = client.submit(f"/manage/contests/{contest.slug}/draw/freeze",
                            follow_redirects=True).get_data(as_text=True)
    assert "open flag" in crafted
    db.expire_all()
    assert find_draw(db, contest) is None


@pytest.mark.parametrize("source", [RandomnessSource.DRAND, RandomnessSource.RFC3797])
def test_randomness_is_taken_no_earlier_than_the_freeze_named(
    client: Browser, db: Session, clock: Clock, source: RandomnessSource
) -> None:
    contest = closed_contest(db, source=source)
    desk = f"/manage/contests/{contest.slug}/draw"
    _as(client, db, clock, "marketer")
    clock.now = FREEZE
    client.submit(f"{desk}/freeze", {"announce": "us-ny-lotto",
                                     "announced_at": "2023-09-30T20:00"})
    db.expire_all()
    assert find_draw(db, contest) is not None, "not frozen"
    pasted = json.dumps({"round": ROUND["round"], "signature": ROUND["signature"]})
    proof = {"round_json": pasted, "sources": "9319\n2 5 12 8 10"}
    clock.now = DUE - timedelta(seconds=5)  # the round is in the vectors, not yet in time
    early = client.submit(f"{desk}/randomness", proof, follow_redirects=True)
    db.expire_all()
    assert (find_draw(db, contest) or contest).value is None, "randomness taken early"
    assert "exists only from" in early.get_data(as_text=True)
    clock.now = datetime(2023, 9, 30, 20, 0, 1, tzinfo=UTC)
    client.submit(f"{desk}/randomness", proof)
    client.submit(f"{desk}/run")
    db.expire_all()
    assert (find_draw(db, contest) or contest).seed is not None, "the draw was not made"


def _real_time_commit_reveal(session: Session, cli_env: Path) -> tuple[str, str]:
    """A commit-reveal contest closed yesterday, its draw published for tomorrow (real time,
    since the command line reads the real clock), reviewed and committed."""
    today = datetime.now(UTC).replace(microsecond=0)
    document = rules_document(opens_at=today - timedelta(days=10),
                              closes_at=today - timedelta(days=1),
                              selection=Selection(randomness=RandomnessSource.COMMIT_REVEAL))
    document = dataclasses.replace(document, period=dataclasses.replace(
        document.period, draw_at=today + timedelta(days=1)))
    contest, version = make_contest(session, rules=document, now=today - timedelta(days=11))
    assert version is not None
    for number in range(8):
        make_entry(session, PublishedContest(contest, version, document),
                   data={"full_name": f"Person Number{number}", "email": f"n{number}@ex.com",
                         "birth_date": "1990-01-01", "country": "US"},
                   channel=Channel.API, idempotency_key=None,
                   now=today - timedelta(days=5, hours=number))
    session.add(StaffMember(contest_id=contest.id or 0, staff_id="S1", full_name="Olga Ivanova",
                            email="olga@snowfall.example"))
    session.commit()
    scan_contest(session, contest=contest, now=today - timedelta(hours=1))
    rest = [q.flag.id or 0 for q in flag_queue(session, contest=contest, limit=1000)]
    if rest:
        decide(session, contest=contest, flag_ids=rest, decision=Decision.DISMISS,
               reason="numbered", actor_id=None, now=today - timedelta(hours=1), signer=SIGNER)
    secret = "44" * 16
    # Commitments come while entries are open (the command line runs now, after the close).
    late = _cli("draw", "commit", contest.slug, "--party", "witness", "--digest", "0" * 64)
    assert late.exit_code != 0 and "taken before the close" in late.output, late.output
    from contest.draw.service import commit
    commit(session, contest=contest, party="notary", now=today - timedelta(days=2),
           digest=hashlib.sha256(bytes.fromhex(secret)).hexdigest(),
           signer=SIGNER)
    session.commit()
    session.close()
    return contest.slug, secret


def test_the_command_line_draws_no_earlier_than_the_published_draw_moment(
    session: Session, cli_env: Path
) -> None:
    slug, secret = _real_time_commit_reveal(session, cli_env)
    early_reveal = _cli("draw", "reveal", slug, "--party", "notary", "--secret", secret)
    assert early_reveal.exit_code != 0, "a secret was revealed before the freeze"
    assert _cli("draw", "freeze", slug).exit_code == 0
    assert _cli("draw", "reveal", slug, "--party", "notary", "--secret", secret).exit_code == 0
    assert _cli("draw", "randomness", slug).exit_code == 0
    early = _cli("draw", "run", slug)
    assert early.exit_code != 0 and "the rules publish the draw for" in early.output, \
        early.output
    assert "seed" not in early.output


def test_a_replacement_reason_in_free_text_is_refused_on_the_command_line(
    session: Session, cli_env: Path
) -> None:
    contest = drawn(session, SIGNER)
    record = find_draw(session, contest)
    assert record is not None and record.winners
    first = record.winners[0]
    session.close()
    for reason in ("she works at the Springfield shop", "Employee", " employee\t", "other"):
        answer = _cli("draw", "replace", contest.slug, first, "--reason", reason)
        if reason.strip().lower() == "employee":
            assert answer.exit_code == 0, answer.output  # the code, however it is typed
            first = answer.output.split()[-1]
        else:
            assert answer.exit_code == 2 and "must be one of" in answer.output, answer.output
    bundle = json.loads(_cli("draw", "export", contest.slug).stdout)
    assert [r["reason"] for r in bundle["replacements"]] == ["employee", "employee"]


CLOSED_AMENDMENTS = {
    "more winners": ({"winners": 4, "prizes": [{"name": "Gift card", "quantity": 4,
                                                "cash_alternative": None, "retail_value": {
                                                    "amount": "100.00", "currency": "USD"}}]},
                     "more_prizes", False),
    "fewer alternates": ({"alternates": 1}, "correction", False),
    "draw earlier": ({"period": {"draw_at": "2023-09-27T08:28:00+00:00"}}, "schedule", False),
    "close later": ({"period": {"closes_at": "2023-10-27T08:00:00+00:00",
                                "draw_at": "2023-10-28T08:00:00+00:00"}}, "extension", False),
    "staff may win": ({"exclusions": {"employees": False}}, "wider_eligibility", False),
    "other randomness": ({"selection": {"randomness": "rfc3797"}}, "correction", False),
    "no reason": ({"sections": [{"kind": "other", "title": "Note", "text": "x"}]}, "", False),
    "draw later": ({"period": {"draw_at": "2023-10-27T08:00:00+00:00"}}, "schedule", True),
    "wording": ({"sections": [{"kind": "other", "title": "Note", "text": "x"}]}, "correction",
                True),
}


def _merged(base: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in change.items():
        merged[key] = _merged(base[key], value) if isinstance(value, dict) and isinstance(
            base.get(key), dict) else value
    return merged


@pytest.mark.parametrize("case", sorted(CLOSED_AMENDMENTS))
def test_after_the_close_the_command_line_amends_nothing_that_decides_winners(
    session: Session, cli_env: Path, case: str
) -> None:
    contest = closed_contest(session)
    found = find_published(session, contest)
    assert found is not None
    version, _rules = found.version, found.rules
    session.close()
    change, reason, allowed = CLOSED_AMENDMENTS[case]
    draft = cli_env / "amended.json"
    draft.write_text(json.dumps(_merged(json.loads(version.canonical_json), change)),
                     encoding="utf-8")
    edited = _cli("rules", "edit", contest.slug, str(draft))
    assert edited.exit_code == 0 and "valid" in edited.output, edited.output
    answer = _cli("rules", "publish", contest.slug, "--reason", reason, "--note", "Olga said")
    assert (answer.exit_code == 0) == allowed, f"{case}: {answer.output}"


# --- an outsider: drafts stay unseen, redirects stay home ---------------------------------------

def test_a_draft_is_a_404_everywhere_and_takes_nothing(
    client: Browser, db: Session, clock: Clock, cli_env: Path
) -> None:
    make_contest(db, published=False)
    slug = "winter-giveaway"
    for path in (f"/contests/{slug}", f"/contests/{slug}/rules", f"/contests/{slug}/rules?"
                 "version=1", f"/contests/{slug}/enter", f"/contests/{slug}/results",
                 f"/contests/{slug}/complaints", f"/contests/{slug}/draw.json",
                 f"/contests/{slug}/verify", f"/api/contests/{slug}"):
        assert client.get(path).status_code == 404, path
    assert slug not in client.get("/").get_data(as_text=True)
    assert slug not in client.get("/api/contests").get_data(as_text=True)
    entry = client.post(f"/api/contests/{slug}/entries", json={
        "full_name": "Anna Kowalski", "email": "anna@example.com"})
    complaint = client.post(f"/api/contests/{slug}/complaints", json={
        "contact": "anna@example.com", "kind": "other", "text": "?"})
    assert (entry.status_code, complaint.status_code) == (404, 404)
    rows = cli_env / "rows.csv"
    rows.write_text(CSV_HEAD + "x1,,Anna Kowalski,anna@example.com,1985-01-01,US\n")
    imported = _cli("entries", "import", slug, str(rows))
    assert imported.exit_code == 1 and "no published rules" in imported.output
    db.expire_all()
    assert db.exec(select(Entry)).first() is None


REDIRECTS = ["//evil.example/", "/\\evil.example", "https://evil.example", "https:evil.example",
             "/%5Cevil.example", "/%2F%2Fevil.example", " //evil.example", "\t//evil.example",
             "/\t/evil.example", "%2F%2Fevil.example", "///evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("target", REDIRECTS)
def test_redirects_after_forms_never_leave_the_site(
    client: Browser, db: Session, clock: Clock, target: str
) -> None:
    from urllib.parse import urlsplit

    _staff(db, clock, "auditor")
    signed = client.submit(f"/login?next={target}", {"email": "auditor@brand.example",
                                                     "password": PASSWORD})
    language = client.submit("/language/ru", {"next": target})
    contest, _ = make_contest(db)
    decided = client.submit(f"/audit/contests/{contest.slug}/flags/decide",
                            {"decision": "x", "back": target})
    for answer in (signed, language, decided):
        location = answer.headers.get("Location", "")
        where = urlsplit(location)
        assert where.netloc in ("", "localhost") and "evil" not in location and \
            not location.startswith("javascript"), (target, location)


# --- the demo, end to end -----------------------------------------------------------------------

def test_the_demo_builds_verifies_and_serves_every_page(
    client: Browser, cli_env: Path
) -> None:
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    built = _cli("demo", "build", "--entrants", "150")
    assert built.exit_code == 0, built.output
    log = _cli("log", "verify")
    assert log.exit_code == 0 and log.output.startswith("log verified: "), log.output
    key = (cli_env / "instance" / "log-verifier-key").read_text().strip()
    listed = [line.split("\t") for line in _cli("contests", "list").output.splitlines()]
    drawn_slugs = [row[0] for row in listed if row[1] == "drawn"]
    assert drawn_slugs, listed
    for slug in drawn_slugs:
        bundle = cli_env / f"{slug}.json"
        bundle.write_text(_cli("draw", "export", slug).stdout, encoding="utf-8")
        verified = _cli("verify", str(bundle), "--key", key)
        assert verified.exit_code == 0 and verified.output.startswith("VERIFIED"), \
            verified.output
    broken = []
    for slug, *_ in listed:
        for path in (f"/contests/{slug}", f"/contests/{slug}/rules", f"/contests/{slug}/results",
                     f"/contests/{slug}/complaints", f"/contests/{slug}/verify",
                     f"/api/contests/{slug}"):
            status = client.get(path).status_code
            if status >= 500:
                broken.append(f"{path} → {status}")
    entries = json.loads(client.get("/log/entries?start=0&end=1000").get_data(as_text=True))
    assert entries["entries"], "the demo log is empty"
    assert not broken, broken


# --- buttons each role is offered ---------------------------------------------------------------

def _offered_posts(page: str, here: str) -> list[tuple[str, dict[str, Any]]]:
    """Each enabled submit button of each POST form on ``page``: where it posts, and what."""
    import html
    offered = []
    for form in re.finditer(r"<form\b([^>]*)>(.*?)</form>", page, re.S):
        attributes, body = form.group(1), form.group(2)
        if 'method="post"' not in attributes:
            continue
        action = re.search(r'action="([^"]*)"', attributes)
        url = html.unescape(action.group(1)) if action else here
        data: dict[str, Any] = {}
        for hidden in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body):
            data[hidden.group(1)] = html.unescape(hidden.group(2))
        for chosen in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>\s*<option value="([^"]*)"',
                                  body):
            data[chosen.group(1)] = html.unescape(chosen.group(2))
        for button in re.finditer(r"<button\b([^>]*)>", body):
            if "disabled" in button.group(1):
                continue
            pressed = dict(data)
            named = re.search(r'name="([^"]+)" value="([^"]*)"', button.group(1))
            if named:
                pressed[named.group(1)] = named.group(2)
            target = re.search(r'formaction="([^"]*)"', button.group(1))  # the language switch
            offered.append((html.unescape(target.group(1)) if target else url, pressed))
    return offered


STAGES = ["closed", "frozen", "randomness_taken", "drawn"]


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("role", ["marketer", "auditor"])
def test_no_page_offers_a_button_that_answers_403(
    client: Browser, db: Session, clock: Clock, stage: str, role: str
) -> None:
    contest = closed_contest(db)
    clock.now = FREEZE
    if stage != "closed":
        record = freeze(db, contest=contest, now=FREEZE, signer=SIGNER)
    if stage in ("randomness_taken", "drawn"):
        take_randomness(db, contest=contest, now=DUE + timedelta(seconds=5), signer=SIGNER,
                        proof={"chain_hash": json.loads(record.randomness_plan_json)[
                            "chain_hash"], "round": ROUND["round"],
                            "signature": ROUND["signature"]})
        clock.now = DUE + timedelta(seconds=6)
    if stage == "drawn":
        make_draw(db, contest=contest, now=DUE + timedelta(seconds=10), signer=SIGNER)
        clock.now = DUE + timedelta(seconds=11)
    db.commit()
    _as(client, db, clock, role)
    slug = contest.slug
    pages = [f"/manage/contests/{slug}/draw"]
    if role == "auditor":
        flag = db.exec(select(FraudFlag.id)).first()
        pages += [f"/audit/contests/{slug}/flags", f"/audit/contests/{slug}/flags?status="
                  "dismissed", f"/audit/contests/{slug}/staff", f"/audit/contests/{slug}/entries",
                  f"/audit/contests/{slug}/complaints", "/audit/contests"]
        if flag is not None:
            pages.append(f"/audit/contests/{slug}/flags/{flag}")
    else:
        pages += ["/manage/contests", f"/manage/contests/{slug}/rules",
                  f"/manage/contests/{slug}/preview", f"/manage/contests/{slug}/entries/import",
                  f"/manage/contests/{slug}/prizes"]
    forbidden, tried = [], []
    for page in pages:
        shown = client.get(page)
        assert shown.status_code in (200, 302), (page, shown.status_code)
        for url, data in _offered_posts(shown.get_data(as_text=True), page):
            if "/logout" in url or "/language/" in url:
                continue
            tried.append(url)
            if client.submit(url, data).status_code == 403:
                forbidden.append(f"{page}: {url}")
    assert tried, "no button was found to press"
    assert not forbidden, f"a {role} is offered buttons that answer 403 ({stage}): {forbidden}"


def test_the_rfc3797_announcement_puts_no_staff_words_on_the_public_record(
    client: Browser, db: Session, clock: Clock
) -> None:
    contest = closed_contest(db, source=RandomnessSource.RFC3797)
    clock.now = FREEZE
    _as(client, db, clock, "marketer")
    typed = "NY lottery of 30 September; Olga Ivanova excluded, she works in sales"
    refused = client.submit(f"/manage/contests/{contest.slug}/draw/freeze",
                            {"announce": typed, "announced_at": "2023-09-30T20:00"},
                            follow_redirects=True).get_data(as_text=True)
    db.expire_all()
    assert find_draw(db, contest) is None and "each source must be one of" in refused, (
        "typed words were taken as the public numbers' names")
    client.submit(f"/manage/contests/{contest.slug}/draw/freeze",
                  {"announce": "us-ny-lotto", "announced_at": "2023-09-30T20:00"})
    db.expire_all()
    assert find_draw(db, contest) is not None
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    public = _public_text(client, contest.slug)
    assert "Olga Ivanova" not in public, (
        "the RFC 3797 freeze puts the marketer's own words ('announce') verbatim into the "
        "public entries.frozen event and the results page, where LIFECYCLE.md promises codes, "
        "hashes, counts and moments only: anything typed there (here a name and why she was "
        "excluded) is published for good")
    assert 'announced\\":\\"us-ny-lotto' in public  # the event's leaf, quoted in JSON


def test_the_command_line_takes_announced_numbers_only_once_published(
    session: Session, cli_env: Path
) -> None:
    today = datetime.now(UTC).replace(microsecond=0)
    document = rules_document(opens_at=today - timedelta(days=10),
                              closes_at=today - timedelta(days=1),
                              selection=Selection(randomness=RandomnessSource.RFC3797))
    contest, version = make_contest(session, rules=document, now=today - timedelta(days=11))
    assert version is not None
    make_entry(session, PublishedContest(contest, version, document),
               data={"full_name": "Person One", "email": "one@ex.com",
                     "birth_date": "1990-01-01", "country": "US"},
               channel=Channel.API, idempotency_key=None, now=today - timedelta(days=5))
    session.add(StaffMember(contest_id=contest.id or 0, staff_id="S1", full_name="Olga Ivanova",
                            email="olga@snowfall.example"))
    session.commit()
    scan_contest(session, contest=contest, now=today - timedelta(hours=1))
    session.commit()
    session.close()
    past = _cli("draw", "freeze", contest.slug, "--announce", "yesterday's lottery",
                "--announced-at", (today - timedelta(hours=2)).isoformat())
    assert past.exit_code != 0 and "must be published after the freeze" in past.output, \
        past.output
    soon = (today + timedelta(hours=1)).isoformat()
    frozen = _cli("draw", "freeze", contest.slug, "--announce", "us-ny-lotto",
                  "--announced-at", soon)
    assert frozen.exit_code == 0, frozen.output
    early = _cli("draw", "randomness", contest.slug, "--source", "9319", "--source", "2 5 12")
    assert early.exit_code != 0 and "exists only from" in early.output, early.output
