"""Staff accounts of the deployment: marketers, auditors and admins.

Passwords are hashed with scrypt (RFC 7914, from the standard library) under a random salt;
the stored form is ``scrypt$n$r$p$salt$hash`` so the parameters can be raised later without
breaking old hashes. The public needs no account.
"""

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime

from sqlmodel import Session, select

from contest.audit import record
from contest.errors import FieldError, InvalidInput, NotFound
from contest.i18n import N_
from contest.models import Role, User

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_LENGTH = 10
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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
    email = email.strip().lower()
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
        raise InvalidInput(N_("the account has {count} errors"), errors)
    user = User(email=email, name=name.strip(), role=role, password_hash=hash_password(password),
                created_at=now, created_by_id=actor_id, language=language)
    session.add(user)
    session.flush()
    record(session, actor_id=actor_id, action="user.create", subject=f"user:{user.id}", now=now,
           detail={"email": email, "role": role})
    return user


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.active or not password_matches(password, user.password_hash):
        return None
    return user


def find_user(session: Session, email: str) -> User:
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise NotFound(N_("no account {email}"), {"email": email})
    return user


def set_active(session: Session, *, user: User, active: bool, actor_id: int | None,
               now: datetime) -> None:
    user.active = active
    session.add(user)
    record(session, actor_id=actor_id, action="user.activate" if active else "user.deactivate",
           subject=f"user:{user.id}", now=now)


def set_password(session: Session, *, user: User, password: str, actor_id: int | None,
                 now: datetime) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(N_("the account has {count} errors"), [FieldError(
            "password", "password_short", N_("the password needs at least {count} characters"),
            {"count": MIN_PASSWORD_LENGTH})])
    user.password_hash = hash_password(password)
    session.add(user)
    record(session, actor_id=actor_id, action="user.password", subject=f"user:{user.id}",
           now=now)


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.email)))
