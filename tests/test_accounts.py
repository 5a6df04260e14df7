from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from contest.accounts import authenticate, create_user, hash_password, password_matches
from contest.errors import InvalidInput
from contest.models import AuditRecord

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_password_hash_is_salted_scrypt_and_verifies() -> None:
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first.startswith("scrypt$") and first != second
    assert password_matches("correct horse", first)
    assert not password_matches("correct horsE", first)
    assert not password_matches("anything", "garbage")


def test_create_user_reports_every_problem_at_once(session: Session) -> None:
    with pytest.raises(InvalidInput) as caught:
        create_user(session, email="not-an-email", name=" ", role="boss", password="short",
                    actor_id=None, now=NOW)
    assert {e.field for e in caught.value.errors} == {"email", "name", "role", "password"}
    assert "the password needs at least 10 characters" in str(caught.value)


def test_created_user_signs_in_and_the_change_is_recorded(session: Session) -> None:
    user = create_user(session, email="Ann@Example.com", name="Ann", role="auditor",
                       password="long enough pw", actor_id=None, now=NOW)
    session.commit()
    assert authenticate(session, email="ann@example.com", password="long enough pw") == user
    assert authenticate(session, email="ann@example.com", password="wrong password") is None
    audit = session.exec(select(AuditRecord)).one()
    assert (audit.action, audit.subject, audit.at) == ("user.create", f"user:{user.id}", NOW)


def test_email_must_be_unique(session: Session) -> None:
    create_user(session, email="a@example.com", name="A", role="admin", password="0123456789",
                actor_id=None, now=NOW)
    with pytest.raises(InvalidInput, match="1 errors") as caught:
        create_user(session, email="A@example.com", name="B", role="admin",
                    password="0123456789", actor_id=None, now=NOW)
    assert caught.value.errors[0].code == "email_taken"
