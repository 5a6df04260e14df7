from sqlmodel import Session, select

from contest.models import RulesVersion
from contest.rules.canonical import rules_sha256
from tests.builders import make_contest, rules_document


def test_make_contest_publishes_version_one_with_the_rules_hash(session: Session) -> None:
    rules = rules_document(min_age=21)
    contest, version = make_contest(session, rules=rules)
    assert version is not None
    stored = session.exec(select(RulesVersion).where(RulesVersion.contest_id == contest.id)).one()
    assert stored.version == 1
    assert stored.sha256 == rules_sha256(rules)
    assert len(stored.sha256) == 64
