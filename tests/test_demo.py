"""The demo builds contests in every state with realistic entrants, and runs twice."""

from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from contest.demo import LOGINS, build_demo, demo_exists, describe_demo
from contest.models import DeclaredRelative, Entry, FraudFlag, RulesVersion, StaffMember
from contest.rules.publishing import list_contests
from tests.builders import SIGNER

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def test_demo_has_every_state_languages_entrants_staff_and_relatives(session: Session) -> None:
    build_demo(session, entrants=300, seed=7, now=NOW, signer=SIGNER)
    summaries = {c.slug: c for c in list_contests(session, now=NOW)}
    assert {c.status.value for c in summaries.values()} == {"draft", "scheduled", "open",
                                                            "closed", "drawn"}
    assert {c.language for c in summaries.values()} == {"ru", "en"}
    entries = session.exec(select(func.count()).select_from(Entry)).one()
    assert entries >= 300
    countries = set(session.exec(select(Entry.country).distinct()).all())
    assert {"RU", "UA", "US"} <= countries
    assert session.exec(select(func.count()).select_from(StaffMember)).one() > 0
    assert session.exec(select(func.count()).select_from(DeclaredRelative)).one() > 0
    ineligible = session.exec(select(func.count()).select_from(Entry)
                              .where(Entry.eligible == False)).one()  # noqa: E712
    assert 0 < ineligible < entries
    amended = session.exec(select(RulesVersion).where(RulesVersion.version == 2)).one()
    assert amended.reason
    kinds = set(session.exec(select(FraudFlag.kind).where(FraudFlag.status == "open")).all())
    assert {"employee", "proxy", "relative"} <= kinds


def test_demo_is_recognised_so_a_second_run_reuses_it(session: Session) -> None:
    assert not demo_exists(session)
    build_demo(session, entrants=30, seed=1, now=NOW, signer=SIGNER)
    assert demo_exists(session)
    text = describe_demo("http://127.0.0.1:5000")
    for login in LOGINS:
        assert login.email in text and login.password in text
