"""Staff accounts of the deployment: marketers, auditors and admins.

Passwords are hashed with scrypt (RFC 7914, from the standard library) under a random salt;
the stored form is ``scrypt$n$r$p$salt$hash`` so the parameters can be raised later without
breaking old hashes. The public needs no account.

A sign-in starts a session: a random token for the browser's cookie, of which the database
keeps only the SHA-256 (:class:`~contest.models.StaffSession`). Signing out deletes that row,
so every copy of the cookie stops working; a new password or a deactivation deletes every
session of the account.
"""

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime

from sqlmodel import Session, col, delete, select

from contest.audit import record
from contest.errors import Conflict, FieldError, InvalidInput, NotFound
from contest.i18n import N_, N_plural
from contest.models import Role, StaffSession, User

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_LENGTH = 10
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def account_email(email: str) -> str:
    """The form of an e-mail address an account is kept and looked up under."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P),
                     _b64(salt), _b64(digest)])


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


# Checked when there is no account: the parameters of a real hash, a salt and a key no
# password derives (both random, made here rather than by a costly hash at import).
_NO_ACCOUNT_HASH = "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P),
                             base64.b64encode(secrets.token_bytes(16)).decode("ascii"),
                             base64.b64encode(secrets.token_bytes(32)).decode("ascii")])


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024,
                          dklen=32)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    password: str,
    actor_id: int | None,
    now: datetime,
    language: str = "en",
) -> User:
    """A new active account; every problem with the input is reported at once."""
    email = account_email(email)
    errors: list[FieldError] = []
    if not EMAIL.match(email):
        errors.append(FieldError("email", "email_invalid", N_("enter an e-mail address")))
    elif session.exec(select(User).where(User.email == email)).first():
        errors.append(FieldError("email", "email_taken",
                                 N_("an account with this e-mail already exists")))
    if not name.strip():
        errors.append(FieldError("name", "required", N_("this field is required")))
    if role not in set(Role):
        errors.append(FieldError("role", "role_unknown", N_("unknown role {role}"),
                                 {"role": role}))
    if len(password) < MIN_PASSWORD_LENGTH:
        errors.append(FieldError("password", "password_short",
                                 N_("the password needs at least {count} characters"),
                                 {"count": MIN_PASSWORD_LENGTH}))
    if errors:
        raise InvalidInput(N_plural("the account has {count} error",
                                    "the account has {count} errors"), errors)
    user = User(email=email, name=name.strip(), role=role, password_hash=hash_password(password),
                created_at=now, created_by_id=actor_id, language=language)
    session.add(user)
    session.flush()
    record(session, actor_id=actor_id, action="user.create", subject=f"user:{user.id}", now=now,
           detail={"email": email, "role": role})
    return user


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None.

    An unknown e-mail or an inactive account costs the same scrypt work as a real one (the
    password is checked against a hash of the same parameters), so how long the answer takes
    does not tell which e-mails have accounts."""
    user = session.exec(select(User).where(User.email == account_email(email))).first()
    matches = password_matches(password, user.password_hash if user else _NO_ACCOUNT_HASH)
    if user is None or not user.active or not matches:
        return None
    return user


def start_session(session: Session, *, user: User, now: datetime) -> str:
    """A new session of ``user``: the token to keep in the browser's cookie."""
    assert user.id is not None
    token = secrets.token_urlsafe(32)
    session.add(StaffSession(token_sha256=_token_digest(token), user_id=user.id, started_at=now))
    session.flush()
    return token


def session_user(session: Session, *, token: str) -> User | None:
    """The active account whose session ``token`` opens, or None once it was ended."""
    user = session.exec(
        select(User).join(StaffSession, col(StaffSession.user_id) == col(User.id))
        .where(StaffSession.token_sha256 == _token_digest(token))).first()
    return user if user is not None and user.active else None


def end_session(session: Session, *, token: str) -> None:
    session.exec(delete(StaffSession).where(
        col(StaffSession.token_sha256) == _token_digest(token)))


def _end_every_session(session: Session, user: User) -> None:
    session.exec(delete(StaffSession).where(col(StaffSession.user_id) == user.id))


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_account(session: Session, *, user_id: int) -> User:
    """The staff account number ``user_id``."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(N_("there is no account number {number}"), {"number": user_id})
    return user


def may_set_active(user: User, *, active: bool, actor_id: int | None) -> bool:
    """Whether the admin ``actor_id`` may switch ``user`` on or off: any account but their
    own off (another admin must, so a slip never leaves the deployment without one)."""
    return active or user.id != actor_id


def set_active(session: Session, *, user: User, active: bool, actor_id: int | None,
               now: datetime) -> None:
    if not may_set_active(user, active=active, actor_id=actor_id):
        raise Conflict(N_("you cannot deactivate your own account; another admin can"))
    user.active = active
    session.add(user)
    if not active:
        _end_every_session(session, user)
    record(session, actor_id=actor_id, action="user.activate" if active else "user.deactivate",
           subject=f"user:{user.id}", now=now)


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.email)))
