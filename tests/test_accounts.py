from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from contest import accounts
from contest.accounts import (
    authenticate,
    create_user,
    end_session,
    find_account,
    hash_password,
    may_set_active,
    password_matches,
    session_user,
    set_active,
    start_session,
)
from contest.errors import Conflict, InvalidInput, NotFound
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
    with pytest.raises(InvalidInput, match="has 1 error:") as caught:
        create_user(session, email="A@example.com", name="B", role="admin",
                    password="0123456789", actor_id=None, now=NOW)
    assert caught.value.errors[0].code == "email_taken"


def test_an_unknown_or_inactive_account_costs_the_same_key_derivation_as_a_real_one(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether an e-mail has an account must not show in how long a wrong sign-in takes: every
    attempt derives one scrypt key with the parameters of a real account's hash."""
    create_user(session, email="ann@example.com", name="Ann", role="auditor",
                password="long enough pw", actor_id=None, now=NOW)
    gone = create_user(session, email="gone@example.com", name="Gone", role="auditor",
                       password="long enough pw", actor_id=None, now=NOW)
    set_active(session, user=gone, active=False, actor_id=None, now=NOW)
    session.commit()
    derivations: list[tuple[int, int, int, int, int]] = []
    real_scrypt = accounts.hashlib.scrypt

    def counted(password: bytes, *, salt: bytes, n: int, r: int, p: int, maxmem: int = 0,
                dklen: int = 64) -> bytes:
        derivations.append((len(salt), n, r, p, dklen))
        return real_scrypt(password, salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=dklen)

    monkeypatch.setattr(accounts.hashlib, "scrypt", counted)
    work = {}
    for email, password in [("ann@example.com", "wrong password"),
                            ("ann@example.com", "long enough pw"),
                            ("nobody@example.com", "wrong password"),
                            ("gone@example.com", "long enough pw")]:
        derivations.clear()
        authenticate(session, email=email, password=password)
        work[email, password] = list(derivations)
    one_key = [(16, accounts.SCRYPT_N, accounts.SCRYPT_R, accounts.SCRYPT_P, 32)]
    assert work == {attempt: one_key for attempt in work}


def test_signing_out_ends_that_session_and_no_other(session: Session) -> None:
    user = create_user(session, email="ann@example.com", name="Ann", role="auditor",
                       password="long enough pw", actor_id=None, now=NOW)
    laptop, phone = (start_session(session, user=user, now=NOW) for _ in range(2))
    assert laptop != phone
    assert session_user(session, token=laptop) == user
    end_session(session, token=laptop)
    assert session_user(session, token=laptop) is None
    assert session_user(session, token=phone) == user
    assert session_user(session, token="made-up") is None


def test_a_deactivation_ends_every_session_of_the_account(session: Session) -> None:
    user = create_user(session, email="ann@example.com", name="Ann", role="auditor",
                       password="long enough pw", actor_id=None, now=NOW)
    token = start_session(session, user=user, now=NOW)
    set_active(session, user=user, active=False, actor_id=None, now=NOW)
    set_active(session, user=user, active=True, actor_id=None, now=NOW)
    assert session_user(session, token=token) is None


def test_an_account_is_found_by_its_number_and_an_unknown_one_is_not_found(
        session: Session) -> None:
    user = create_user(session, email="ann@example.com", name="Ann", role="auditor",
                       password="long enough pw", actor_id=None, now=NOW)
    assert user.id is not None
    assert find_account(session, user_id=user.id) == user
    with pytest.raises(NotFound, match=f"there is no account number {user.id + 1}") as caught:
        find_account(session, user_id=user.id + 1)
    assert caught.value.text("ru") == f"учётной записи номер {user.id + 1} нет"


def test_an_admin_may_not_deactivate_their_own_account(session: Session) -> None:
    """Another admin must: so the deployment never loses its last admin by a slip."""
    admin = create_user(session, email="root@example.com", name="Root", role="admin",
                        password="long enough pw", actor_id=None, now=NOW)
    other = create_user(session, email="ann@example.com", name="Ann", role="auditor",
                        password="long enough pw", actor_id=None, now=NOW)
    assert not may_set_active(admin, active=False, actor_id=admin.id)
    assert may_set_active(admin, active=True, actor_id=admin.id)
    assert may_set_active(other, active=False, actor_id=admin.id)
    with pytest.raises(Conflict, match="you cannot deactivate your own account"):
        set_active(session, user=admin, active=False, actor_id=admin.id, now=NOW)
    assert admin.active
    set_active(session, user=other, active=False, actor_id=admin.id, now=NOW)
    assert not other.active
