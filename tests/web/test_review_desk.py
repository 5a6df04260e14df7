"""The auditor's review in the browser: roster import, scan, queue, evidence, decisions."""

import io
import re
from datetime import timedelta

from sqlmodel import Session, col, select

from contest.accounts import create_user
from contest.draw.service import freeze
from contest.entries.intake import Arrival, take_entries
from contest.fraud.review import Decision, decide, flag_queue, scan_contest
from contest.fraud.roster import import_roster
from contest.models import Channel, Entry, FraudFlag, StaffMember
from contest.rules.document import Eligibility
from contest.rules.versions import PublishedContest
from tests.builders import OPENS, SIGNER, make_contest, rules_document
from tests.draw.builders import FREEZE, closed_contest
from tests.fixtures import Browser, Clock
from tests.review.builders import RELATIVES_CSV, STAFF_CSV, contest_with_roster

PASSWORD = "a long password"


def sign_in(client: Browser, db: Session, clock: Clock, role: str) -> None:
    email = f"{role}@brand.example"
    create_user(db, email=email, name=f"Ann {role.title()}", role=role, password=PASSWORD,
                actor_id=None, now=clock.now)
    db.commit()
    client.sign_in(email, PASSWORD)


def test_an_auditor_imports_the_roster_and_sees_every_bad_field(
        client: Browser, db: Session, clock: Clock) -> None:
    contest, _ = make_contest(db)
    sign_in(client, db, clock, "auditor")
    page = client.submit(f"/audit/contests/{contest.slug}/staff", {
        "staff": (io.BytesIO(STAFF_CSV + b"S3,Kate Brown,not-mail,,,,,,,,\n"), "staff.csv"),
        "relatives": (io.BytesIO(RELATIVES_CSV), "relatives.csv"),
    }, content_type="multipart/form-data").get_data(as_text=True)
    assert "staff: 3 added" in page
    assert re.search(r"<td>4</td><td><code>email</code></td>", page)
    assert "Иванов Иван Иванович" in page and "Mary Smith" in page and "Kate Brown" in page
    assert "<td>kept</td>" in page
    assert len(db.exec(select(StaffMember)).all()) == 3


def test_a_roster_upload_without_files_or_columns_says_what_is_wrong(
        client: Browser, db: Session, clock: Clock) -> None:
    contest, _ = make_contest(db)
    sign_in(client, db, clock, "auditor")
    empty = client.submit(f"/audit/contests/{contest.slug}/staff", {},
                          content_type="multipart/form-data")
    assert empty.status_code == 200
    assert "Choose a staff roster file" in empty.get_data(as_text=True)
    wrong = client.submit(f"/audit/contests/{contest.slug}/staff", {
        "staff": (io.BytesIO(b"id;department\n1;Sales\n"), "staff.csv")},
        content_type="multipart/form-data", headers={"Accept-Language": "ru"})
    assert wrong.status_code == 200
    assert ('<p class="error" role="alert">ни один столбец файла не даёт ни одного из полей '
            "<code>full_name</code>, <code>email</code>, <code>phone</code>") in (
        wrong.get_data(as_text=True))
    nobody = client.submit(f"/audit/contests/{contest.slug}/staff", {
        "staff": (io.BytesIO(b"staff_id;full_name;city\n1;;Omsk\n2;;Kyiv\n"), "staff.csv")},
        content_type="multipart/form-data")
    assert '<p class="error" role="alert">Nothing was imported.</p>' in nobody.get_data(
        as_text=True)
    assert db.exec(select(StaffMember)).first() is None


def test_an_auditor_scans_reviews_the_evidence_and_confirms_a_proxy(
        client: Browser, db: Session, clock: Clock) -> None:
    contest, tickets = contest_with_roster(db)
    sign_in(client, db, clock, "auditor")
    queue = client.submit(f"/audit/contests/{contest.slug}/scan",
                          follow_redirects=True).get_data(as_text=True)
    assert "Scan done: 2 open flags among 4 entries" in queue
    assert "Olga Sidorova" in queue and "Ivan Ivanov" in queue
    assert "John Smith" not in queue  # the namesake
    assert queue.index("Ivan Ivanov") < queue.index("Olga Sidorova")  # highest score first

    flag = db.exec(select(FraudFlag).where(FraudFlag.kind == "proxy")).one()
    detail = client.get(f"/audit/contests/{contest.slug}/flags/{flag.id}").get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in detail
    assert "Иванов Иван Иванович (S1)" in detail and "+79161234567" in detail
    assert ("Entrant Olga Sidorova and staff member Иванов Иван Иванович (S1) gave the same "
            "phone: +79161234567.") in detail

    refused = client.submit(f"/audit/contests/{contest.slug}/flags/decide",
                            {"flag": str(flag.id), "decision": "dismiss", "reason": ""},
                            follow_redirects=True).get_data(as_text=True)
    assert "say why the flag is dismissed" in refused
    done = client.submit(f"/audit/contests/{contest.slug}/flags/decide",
                         {"flag": str(flag.id), "decision": "confirm"},
                         follow_redirects=True).get_data(as_text=True)
    assert "1 flag confirmed: the entry is excluded." in done
    db.expire_all()
    entry = db.exec(select(Entry).where(Entry.ticket == tickets["proxy"])).one()
    assert (entry.eligible, entry.reasons) == (False, ("proxy",))
    confirmed = client.get(f"/audit/contests/{contest.slug}/flags?status=confirmed")
    assert "Olga Sidorova" in confirmed.get_data(as_text=True)
    decided = client.get(f"/audit/contests/{contest.slug}/flags/{flag.id}").get_data(
        as_text=True)
    assert "· Ann Auditor</dd>" in decided  # who decided


def test_flags_are_dismissed_in_bulk_and_filtered_by_kind(
        client: Browser, db: Session, clock: Clock) -> None:
    contest, _ = contest_with_roster(db)
    sign_in(client, db, clock, "auditor")
    client.submit(f"/audit/contests/{contest.slug}/scan")
    proxies = client.get(f"/audit/contests/{contest.slug}/flags?kind=proxy").get_data(
        as_text=True)
    assert "Olga Sidorova" in proxies and "Ivan Ivanov" not in proxies
    ids = [str(flag.id) for flag in db.exec(select(FraudFlag)).all()]
    client.submit(f"/audit/contests/{contest.slug}/flags/decide",
                  {"flag": ids, "decision": "dismiss", "reason": "test entries of QA"})
    db.expire_all()
    assert {flag.status for flag in db.exec(select(FraudFlag)).all()} == {"dismissed"}


def test_marketers_may_load_the_roster_but_only_auditors_review(
        client: Browser, db: Session, clock: Clock) -> None:
    contest, _ = make_contest(db)
    assert client.get(f"/audit/contests/{contest.slug}/flags").status_code == 302
    sign_in(client, db, clock, "marketer")
    assert client.get(f"/audit/contests/{contest.slug}/staff").status_code == 200
    assert client.get(f"/audit/contests/{contest.slug}/flags").status_code == 403
    assert client.submit(f"/audit/contests/{contest.slug}/scan").status_code == 403


def test_an_unknown_flag_is_a_404_not_a_500(client: Browser, db: Session, clock: Clock) -> None:
    contest, _ = make_contest(db)
    sign_in(client, db, clock, "auditor")
    assert client.get(f"/audit/contests/{contest.slug}/flags/999").status_code == 404
    bad = client.submit(f"/audit/contests/{contest.slug}/flags/decide",
                        {"flag": "999", "decision": "confirm"}, follow_redirects=True)
    assert bad.status_code == 200 and "no flag 999" in bad.get_data(as_text=True)
    odd = client.submit(f"/audit/contests/{contest.slug}/flags/decide",
                        {"flag": "x", "decision": "maybe"}, follow_redirects=True)
    assert "Choose confirm or dismiss." in odd.get_data(as_text=True)



def test_the_public_sees_only_counts_per_reason(client: Browser, db: Session,
                                                clock: Clock) -> None:
    contest = closed_contest(db, entrants=5)
    entries = db.exec(select(Entry).where(Entry.contest_id == contest.id)
                      .order_by(col(Entry.submitted_at))).all()
    db.add(FraudFlag(contest_id=contest.id or 0, entry_id=entries[-1].id or 0, kind="duplicate",
                     score=0.9, related_to=entries[0].ticket, evidence_json="[]",
                     found_at=FREEZE))
    db.commit()
    flag = flag_queue(db, contest=contest)[0]
    decide(db, contest=contest, flag_ids=[flag.flag.id or 0], decision=Decision.CONFIRM,
           reason="Anna Smith4 is Anna Smith0", actor_id=None, now=FREEZE, signer=SIGNER)
    freeze(db, contest=contest, now=FREEZE, signer=SIGNER)
    db.commit()
    page = client.get(f"/contests/{contest.slug}/results").get_data(as_text=True)
    assert "the same person entered again: 1" in page
    assert "below the minimum age: 1" in page  # closed_contest makes the first entrant a child
    assert "Eligible tickets</dt><dd>3<" in page
    assert "Anna Smith" not in page and "example.com" not in page


def test_the_auditor_lists_all_the_eligible_or_the_ineligible_entries(
        client: Browser, db: Session, clock: Clock) -> None:
    contest, _ = contest_with_roster(db)
    scan_contest(db, contest=contest, now=clock.now)
    [proxy] = flag_queue(db, contest=contest, kind="proxy")
    decide(db, contest=contest, flag_ids=[proxy.flag.id or 0], decision=Decision.CONFIRM,
           reason="Olga is the front for Ivan", actor_id=None, now=clock.now, signer=SIGNER)
    db.commit()
    sign_in(client, db, clock, "auditor")

    def listed(show: str) -> set[str]:
        html = client.get(f"/audit/contests/{contest.slug}/entries?show={show}").get_data(
            as_text=True)
        return {name for name in ("Ivan Ivanov", "Olga Sidorova", "John Smith",
                                  "Anna Kowalski") if name in html}

    everyone = {"Ivan Ivanov", "Olga Sidorova", "John Smith", "Anna Kowalski"}
    assert listed("all") == everyone
    assert listed("ineligible") == {"Olga Sidorova"}
    assert listed("eligible") == everyone - {"Olga Sidorova"}
    assert listed("maybe") == everyone  # an unknown choice shows every entry


def test_the_auditor_sees_the_social_account_an_employee_entered_from(
        client: Browser, db: Session, clock: Clock) -> None:
    """Issue 20: the evidence, private to the auditor, names the account shared; the entrant's
    own account stands with their name."""
    rules = rules_document(eligibility=Eligibility(min_age=0, legal_min_age=0, countries=()))
    contest, version = make_contest(db, rules=rules)
    assert version is not None
    moment = OPENS + timedelta(hours=2)
    take_entries(db, signer=SIGNER, contest=PublishedContest(contest, version, rules),
                 arrivals=[Arrival({"full_name": "Anna Kuznetsova", "account": "vk:123456",
                                    "submitted_at": moment.isoformat()},
                                   Channel.VK, moment, idempotency_key="vk:123456")])
    import_roster(db, contest=contest, now=OPENS, relatives=None,
                  staff="staff_id,full_name,account\nS1,Иван Петров,vk.com/id123456\n".encode())
    scan_contest(db, contest=contest, now=moment)
    db.commit()
    sign_in(client, db, clock, "auditor")
    flag = db.exec(select(FraudFlag)).one()
    assert flag.kind == "proxy"
    detail = client.get(f"/audit/contests/{contest.slug}/flags/{flag.id}").get_data(as_text=True)
    assert ("Entrant Anna Kuznetsova and staff member Иван Петров (S1) entered from the same "
            "social account: vk:123456.") in detail
    assert "<dt>Social account</dt><dd><code>vk:123456</code></dd>" in detail
    assert "the same social account</text>" in detail  # the picture's edge
    roster = client.get(f"/audit/contests/{contest.slug}/staff").get_data(as_text=True)
    assert "<th>Social accounts</th>" in roster and "<td>vk.com/id123456</td>" in roster
