import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, select

from contest.db import make_engine
from contest.draw.service import freeze
from contest.entries.eligibility import (
    Reason,
    age_on,
    exclude,
    reason_codes,
    static_reasons,
    verdict,
)
from contest.entries.intake import Arrival, take_entries
from contest.entries.submission import parse_submission
from contest.models import Channel, Entry, LogEntry
from contest.rules.versions import find_published
from tests import databases
from tests.builders import OPENS, SIGNER, make_entry, make_published, rules_document
from tests.draw.builders import CLOSES, FREEZE, closed_contest, review
from tests.entries.builders import DURING, entrant


@pytest.mark.parametrize(("born", "day", "age"), [
    (date(2008, 12, 2), date(2026, 12, 1), 17),
    (date(2008, 12, 1), date(2026, 12, 1), 18),
    (date(2008, 2, 29), date(2026, 2, 28), 17),
    (date(2008, 2, 29), date(2026, 3, 1), 18),
    (date(2008, 2, 29), date(2028, 2, 29), 20),
    (date(2008, 2, 29), date(2028, 2, 28), 19),
])
def test_age_in_completed_years(born: date, day: date, age: int) -> None:
    assert age_on(born, day) == age


def test_age_is_taken_at_the_entry_moment() -> None:
    rules = rules_document(min_age=18)
    moment = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
    turns_18_tomorrow = parse_submission(entrant(birth_date="2008-12-11"))
    turned_18_today = parse_submission(entrant(birth_date="2008-12-10"))
    assert static_reasons(rules, turns_18_tomorrow, moment) == [Reason.UNDER_AGE]
    assert static_reasons(rules, turned_18_today, moment) == []
    assert static_reasons(rules, turns_18_tomorrow, moment + timedelta(days=1)) == []


def test_the_entry_day_is_read_in_the_rules_time_zone() -> None:
    rules = rules_document(min_age=18)
    rules = replace(rules, period=replace(rules.period, timezone="Asia/Vladivostok"))
    # 20:00 UTC on 10 December is already 11 December in Vladivostok (UTC+10).
    moment = datetime(2026, 12, 10, 20, 0, tzinfo=UTC)
    birthday_tomorrow_in_utc = parse_submission(entrant(birth_date="2008-12-11"))
    assert static_reasons(rules, birthday_tomorrow_in_utc, moment) == []


def test_maximum_age_and_unknown_age() -> None:
    rules = rules_document(min_age=18, max_age=35)
    assert static_reasons(rules, parse_submission(entrant(birth_date="1980-01-01")),
                          DURING) == [Reason.OVER_AGE]
    assert static_reasons(rules, parse_submission(entrant(birth_date=None)),
                          DURING) == [Reason.AGE_UNKNOWN]
    no_age_rule = rules_document(min_age=0)
    assert static_reasons(no_age_rule, parse_submission(entrant(birth_date=None)), DURING) == []


def test_the_period_includes_its_opening_and_excludes_its_closing() -> None:
    rules = rules_document()
    submission = parse_submission(entrant())
    assert static_reasons(rules, submission, OPENS) == []
    assert static_reasons(rules, submission, OPENS - timedelta(seconds=1)) == [
        Reason.OUTSIDE_PERIOD]
    assert static_reasons(rules, submission, rules.period.closes_at) == [Reason.OUTSIDE_PERIOD]


def test_countries() -> None:
    only_ru = rules_document(countries=("RU",))
    assert static_reasons(only_ru, parse_submission(entrant(country="US", phone=None)),
                          DURING) == [Reason.COUNTRY_NOT_ALLOWED]
    assert static_reasons(only_ru, parse_submission(entrant(country=None)),
                          DURING) == [Reason.COUNTRY_UNKNOWN]
    anywhere = rules_document(countries=())
    assert static_reasons(anywhere, parse_submission(entrant(country="FR", phone=None)),
                          DURING) == []


def test_every_static_reason_is_listed() -> None:
    rules = rules_document(countries=("US",))
    child = parse_submission(entrant(birth_date="2015-01-01"))
    assert static_reasons(rules, child, OPENS - timedelta(days=1)) == [
        Reason.OUTSIDE_PERIOD, Reason.UNDER_AGE, Reason.COUNTRY_NOT_ALLOWED]


def test_reason_codes_are_kept_once_each_in_reason_order_and_flag_kinds_after_them() -> None:
    codes = reason_codes(["proxy", Reason.PERSON_LIMIT, "employee", Reason.UNDER_AGE,
                          "under_age", Reason.COUNTRY_NOT_ALLOWED])
    assert codes == ("under_age", "country_not_allowed", "person_limit", "employee", "proxy")
    assert verdict([]) == {"eligible": True, "reasons": ()}
    assert verdict([Reason.DAILY_LIMIT]) == {"eligible": False, "reasons": ("daily_limit",)}


def test_a_confirmed_flag_adds_its_kind_to_the_reasons_the_entry_does_not_count(
        session: Session) -> None:
    child = make_entry(session, make_published(session, rules=rules_document(min_age=21)),
                       data=entrant(birth_date="2006-01-01"), now=DURING,
                       channel=Channel.CSV)  # a live channel refuses a child's entry
    assert (child.eligible, child.reasons) == (False, ("under_age",))
    exclude(child, "proxy")
    exclude(child, "proxy")
    session.commit()
    session.expire_all()
    stored = session.get(Entry, child.id)
    assert stored is not None and (stored.eligible, stored.reasons) == (False, (
        "under_age", "proxy"))


def test_the_database_keeps_an_entrys_eligibility_and_its_reasons_in_agreement(
        session: Session) -> None:
    entry = make_entry(session, make_published(session), data=entrant(), now=DURING)
    session.commit()
    entry.eligible = False  # without a reason
    session.add(entry)
    with pytest.raises(IntegrityError, match="ck_entries_eligible_without_reasons|CHECK"):
        session.commit()
    session.rollback()
    entry.reasons = "person_limit"  # type: ignore[assignment]  # a joined string, as before
    session.add(entry)
    with pytest.raises(StatementError, match="a sequence of codes, got the string"):
        session.flush()


def test_the_freeze_publishes_an_entry_excluded_for_two_reasons_with_both_codes(
        session: Session) -> None:
    contest = closed_contest(session, entrants=10, reviewed=False)
    found = find_published(session, contest)
    assert found is not None
    abroad = make_entry(session, found, data={
        "full_name": "Young Traveller", "email": "young@example.com", "birth_date": "2015-01-01",
        "country": "FR"}, channel=Channel.CSV, now=CLOSES - timedelta(hours=1))
    assert abroad.reasons == ("under_age", "country_not_allowed")
    session.commit()
    review(session, contest)
    freeze(session, contest=contest, now=FREEZE, signer=SIGNER)
    [event] = [json.loads(row.leaf) for row in session.exec(select(LogEntry))
               if json.loads(row.leaf)["type"] == "entries.frozen"]
    assert {"ticket": abroad.ticket, "reason": "under_age,country_not_allowed"} in event[
        "excluded"]


def test_the_limits_of_a_grown_contest_read_its_entries_through_their_keys(
        postgres_url: str, postgres_engine: Engine) -> None:
    """PostgreSQL keeps a plan for a statement one connection runs often. Made while the
    contest had a few entries, a plan of the limits' look-up that reads the whole table
    would be kept as the contest grew (until the table's statistics are next gathered): a
    server started on a new contest read every entry for each entry it took."""
    databases.empty_tables(postgres_engine)
    engine = make_engine(postgres_url, pool_size=1, max_overflow=0)  # one connection
    try:
        with Session(engine, expire_on_commit=False) as session:
            published = make_published(session, rules=rules_document(per_person=5))
            for number in range(12):  # psycopg prepares the look-up; PostgreSQL keeps a plan
                take_entries(session, signer=SIGNER, contest=published, arrivals=[
                    Arrival(entrant(email=f"early{number}@example.ru", phone=None, address=None),
                            Channel.API, DURING)])
                session.commit()
            take_entries(session, signer=SIGNER, contest=published, arrivals=[  # a crowd
                Arrival(entrant(email=f"later{number}@example.ru", phone=None, address=None),
                        Channel.API, DURING) for number in range(1500)])
            session.commit()

            def entries_read_whole() -> int:
                scans: int = session.connection().execute(text(
                    "SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'entries'"
                )).scalar_one()
                return scans

            before = entries_read_whole()
            take_entries(session, signer=SIGNER, contest=published, arrivals=[
                Arrival(entrant(email="early3@example.ru", phone=None, address=None),
                        Channel.API, DURING)])
            assert entries_read_whole() == before
            session.rollback()
    finally:
        engine.dispose()
