"""The database tables (SQLModel), shared by every part of the domain.

Schema changes go through Alembic migrations in ``contest/migrations``; production code never
calls ``create_all``. Rows that are public facts — published rules versions — refuse updates
and deletes at the ORM level (see :mod:`contest.db`).
"""

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    Index,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlmodel import Field, SQLModel

LARGEST_INTEGER = 2**31 - 1
"""The largest value of an ``INTEGER`` column (4 bytes on PostgreSQL): every id, number and
log index. A number beyond it that arrives from outside names no row, and is refused before
a query, which would fail on it."""


class UtcDateTime(TypeDecorator[datetime]):
    """A moment stored in UTC and always read back time-zone aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: moments must carry a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class ReasonCodes(TypeDecorator[tuple[str, ...]]):
    """Reason codes, such as ``("under_age", "person_limit")``, stored as a JSON array of
    strings (``[]``: none). Text rather than a JSON type, so that both databases compare
    the stored form alike (an entry's row is checked against it) and PostgreSQL's intake
    takes a batch of them as one text array. What the codes mean, and their order, is
    :mod:`contest.entries.eligibility`'s."""

    impl = Text
    cache_ok = True
    _CODE = re.compile(r"[a-z][a-z0-9_]*")

    def process_bind_param(self, value: Iterable[str] | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            raise TypeError(f"reason codes are a sequence of codes, got the string {value!r}")
        if not value:
            return "[]"  # most entries: every row of an import passes here
        codes = [str(code) for code in value]
        for code in codes:
            if not self._CODE.fullmatch(code):
                raise ValueError(f"{code!r} is not a reason code (a-z, 0-9 and _)")
        return json.dumps(codes, separators=(",", ":"))

    def process_result_value(self, value: str | None, dialect: Dialect) -> tuple[str, ...] | None:
        if value is None:
            return None
        return () if value == "[]" else tuple(json.loads(value))


NO_REASONS = "'[]'"
"""The stored form of an entry's reasons when it has none (SQL)."""


def _moment(nullable: bool = False) -> Column[datetime]:
    return Column(UtcDateTime(), nullable=nullable)


def table_of(model: type[SQLModel]) -> Table:
    """The table a table model maps to, for Core statements (SQLModel sets ``__table__`` on
    a class made with ``table=True`` but does not declare it, so type checkers miss it)."""
    table = getattr(model, "__table__", None)
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table


def column_length(model: type[SQLModel], name: str) -> int:
    """The width of a text column of ``model``'s table: the longest value it stores."""
    kind = table_of(model).c[name].type
    if isinstance(kind, TypeDecorator):  # SQLModel's AutoString wraps a String
        kind = kind.impl_instance
    if not isinstance(kind, String) or kind.length is None:
        raise TypeError(f"{model.__name__}.{name} is not a text column of a set width")
    return kind.length


class Role(StrEnum):
    MARKETER = "marketer"
    AUDITOR = "auditor"
    ADMIN = "admin"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    name: str = Field(max_length=200)
    role: str = Field(max_length=20)
    password_hash: str = Field(max_length=400)
    active: bool = True
    language: str = Field(default="en", max_length=8)
    created_at: datetime = Field(sa_column=_moment())
    created_by_id: int | None = Field(default=None, foreign_key="users.id")


class StaffSession(SQLModel, table=True):
    """A staff account signed in on one browser. The cookie carries a random token; the row
    keeps only its SHA-256, and signing out deletes the row, so every copy of the cookie
    stops working at once."""

    __tablename__ = "staff_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_sha256: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    started_at: datetime = Field(sa_column=_moment())


class Contest(SQLModel, table=True):
    """A contest and its working draft of the rules; published versions live apart."""

    __tablename__ = "contests"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True)
    language: str = Field(max_length=8)
    title: str = Field(max_length=200)
    draft_json: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=_moment())
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    updated_at: datetime = Field(sa_column=_moment())
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")


class RulesVersion(SQLModel, table=True):
    """A published, frozen rules version: canonical JSON (RFC 8785) and its SHA-256."""

    __tablename__ = "rules_versions"
    __table_args__ = (UniqueConstraint("contest_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contests.id", index=True)
    version: int
    sha256: str = Field(max_length=64, index=True)
    canonical_json: str = Field(sa_column=Column(Text, nullable=False))
    # Why it was amended, a code of contest.rules.amendments.AmendmentReason: public.
    reason_code: str = Field(default="", max_length=30)
    # The marketer's own words about the change: private, never published.
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    published_at: datetime = Field(sa_column=_moment())
    published_by_id: int | None = Field(default=None, foreign_key="users.id")


class Channel(StrEnum):
    FORM = "form"
    API = "api"
    CSV = "csv"
    VK = "vk"
    TELEGRAM = "telegram"
    INSTAGRAM = "instagram"


class ConsentText(SQLModel, table=True):
    """A text of the consent to the processing of personal data that entrants agreed to, kept
    once under its version, the SHA-256 of the text (see :mod:`contest.entries.consent`).
    Private: never published."""

    __tablename__ = "consent_texts"

    sha256: str = Field(primary_key=True, max_length=64)
    language: str = Field(max_length=8)
    text: str = Field(sa_column=Column(Text, nullable=False))


class Entry(SQLModel, table=True):
    """One accepted entry. Never deleted; eligibility is kept with its reason codes."""

    __tablename__ = "entries"
    __table_args__ = (
        UniqueConstraint("contest_id", "idempotency_key"),
        # The limits find a person's and a household's entries through these, whatever the
        # contest (see contest.entries.eligibility._connected).
        Index("ix_entries_email_key", "email_key"),
        Index("ix_entries_phone", "phone"),
        Index("ix_entries_household_key", "household_key"),
        # The freeze reads a contest's eligible tickets in order from this index alone.
        Index("ix_entries_contest_eligible_ticket", "contest_id", "eligible", "ticket"),
        # One social account enters a contest once, whatever the route (contest.sources).
        Index("ix_entries_contest_account", "contest_id", "account"),
        # An entry counts exactly when it has no reason not to.
        CheckConstraint(f"eligible = (reasons = {NO_REASONS})",
                        name="ck_entries_eligible_without_reasons"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # No index of its own: the idempotency key and the eligible-ticket index start with it.
    contest_id: int = Field(foreign_key="contests.id")
    ticket: str = Field(max_length=32, unique=True)
    # The rules' hash is the version's: receipts and exports read it there.
    rules_version_id: int = Field(foreign_key="rules_versions.id")
    channel: str = Field(max_length=10)
    # Room for "csv:" + a 200-character source entry id.
    idempotency_key: str = Field(max_length=210)
    source_entry_id: str | None = Field(default=None, max_length=200)
    submitted_at: datetime = Field(sa_column=_moment())
    received_at: datetime = Field(sa_column=_moment())
    language: str = Field(default="en", max_length=8)
    full_name: str = Field(max_length=300)
    email: str | None = Field(default=None, max_length=254)
    email_key: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=32)
    birth_date: date | None = None
    address: str | None = Field(default=None, max_length=500)
    city: str | None = Field(default=None, max_length=200)
    postal_code: str | None = Field(default=None, max_length=20)
    country: str | None = Field(default=None, max_length=2)
    household_key: str | None = Field(default=None, max_length=800)
    ip: str | None = Field(default=None, max_length=45)
    device_id: str | None = Field(default=None, max_length=200)
    user_agent: str | None = Field(default=None, max_length=300)
    """The ``User-Agent`` a live entry's request named (cut to fit); never public."""
    social_handle: str | None = Field(default=None, max_length=200)
    account: str | None = Field(default=None, max_length=120)
    """The social account the entry came from, ``vk:123456``, ``tg:987654`` or
    ``ig:username`` (:mod:`contest.identity.accounts`); never shown to the public."""
    eligible: bool = True
    reasons: tuple[str, ...] = Field(default=(), sa_column=Column(ReasonCodes(), nullable=False))
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    # The consent to the processing of personal data the entrant agreed to, given with the
    # entry (at ``received_at``); none for an entry brought in from a file.
    consent_sha256: str | None = Field(default=None, max_length=64,
                                       foreign_key="consent_texts.sha256")


class StaffMember(SQLModel, table=True):
    """A person on the sponsor's or an agency's staff roster."""

    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("contest_id", "staff_id"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contests.id", index=True)
    staff_id: str = Field(max_length=100)
    full_name: str = Field(max_length=300)
    email: str = Field(default="", max_length=600)
    phone: str = Field(default="", max_length=200)
    birth_date: date | None = None
    address: str = Field(default="", max_length=500)
    city: str = Field(default="", max_length=200)
    postal_code: str = Field(default="", max_length=20)
    country: str = Field(default="", max_length=2)
    department: str = Field(default="", max_length=200)
    company: str = Field(default="", max_length=300)
    account: str = Field(default="", max_length=600)
    """The staff member's social accounts, ``;``-separated as the roster gave them (``vk:123;
    ig:name``): an entry from one of them is theirs (:mod:`contest.fraud.graph`)."""


class DeclaredRelative(SQLModel, table=True):
    """A relative a staff member declared."""

    __tablename__ = "relatives"

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contests.id", index=True)
    staff_id: str = Field(max_length=100)
    full_name: str = Field(max_length=300)
    relation: str = Field(max_length=20)
    email: str = Field(default="", max_length=600)
    phone: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=500)
    city: str = Field(default="", max_length=200)
    postal_code: str = Field(default="", max_length=20)
    country: str = Field(default="", max_length=2)
    account: str = Field(default="", max_length=600)
    """The relative's social accounts, as a staff member's (:attr:`StaffMember.account`)."""


class AuditRecord(SQLModel, table=True):
    """Who changed what and when: one row per state change."""

    __tablename__ = "audit_records"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=_moment())
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    action: str = Field(max_length=60)
    subject: str = Field(max_length=200)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False))


class LogEntry(SQLModel, table=True):
    """One leaf of the public log: the canonical JSON (RFC 8785) of an event without
    personal data. Append-only: rows are never updated or deleted."""

    __tablename__ = "log_entries"

    leaf_index: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    leaf: str = Field(sa_column=Column(Text, nullable=False))
    leaf_hash: str = Field(max_length=64)
    appended_at: datetime = Field(sa_column=_moment())
    seal: str | None = Field(default=None, max_length=64)
    """The leaf's seal (:mod:`contest.ledger.seal`): proof that this app appended it. Leaves
    appended before seals existed have none; a signed checkpoint covers them."""
    contest: str | None = Field(default=None, max_length=80)
    """The contest the leaf names, copied from it to find a contest's events (a reader
    checks it against the leaf)."""
    kind: str | None = Field(default=None, max_length=40)
    """The leaf's event type, copied from it (see ``contest``)."""
    ticket: str | None = Field(default=None, max_length=32, index=True)
    """The ticket the leaf names, if any, copied from it (see ``contest``)."""
    counts: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    """Whether the leaf is an ``entry.accepted`` event with no reasons: an entry that counts
    (copied from it, as ``contest``; the freeze reads a contest's such tickets from the
    index alone)."""

    __table_args__ = (Index("ix_log_entries_contest_kind", "contest", "kind", "counts",
                            "ticket"),)


class PendingLeaf(SQLModel, table=True):
    """An event appended to the public log and not yet in its tree: the background
    integration (:mod:`contest.ledger.integrate`) moves it into ``log_entries``, in the order
    of ``id``, and deletes it here. Appending one costs its transaction one insert."""

    __tablename__ = "log_pending"

    id: int | None = Field(default=None, primary_key=True)
    leaf: str = Field(sa_column=Column(Text, nullable=False))
    leaf_hash: str = Field(max_length=64)
    seal: str | None = Field(default=None, max_length=64)
    appended_at: datetime = Field(sa_column=_moment())
    contest: str | None = Field(default=None, max_length=80)
    kind: str = Field(max_length=40)
    ticket: str | None = Field(default=None, max_length=32)
    counts: bool = False


class LogCheckpoint(SQLModel, table=True):
    """A signed checkpoint (C2SP tlog-checkpoint in a signed note) of the log at ``size``."""

    __tablename__ = "log_checkpoints"

    id: int | None = Field(default=None, primary_key=True)
    size: int = Field(index=True)
    root_hash: str = Field(max_length=64)
    note: str = Field(sa_column=Column(Text, nullable=False))
    issued_at: datetime = Field(sa_column=_moment())
    edge: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    """The right edge of the tree signed: the hex roots of its perfect subtrees, left to
    right, joined by spaces (:class:`~contest.ledger.merkle.CompactRange`), so the next batch
    extends the tree without reading every leaf. Checked against ``root_hash`` when read."""


class LogCosignature(SQLModel, table=True):
    """A witness's cosignature on a checkpoint (C2SP tlog-cosignature): the signature line it
    returned, checked against its pinned key before it was stored. Published as an extra
    signature line of the checkpoint's note. Append-only: rows are never updated or deleted."""

    __tablename__ = "log_cosignatures"

    id: int | None = Field(default=None, primary_key=True)
    checkpoint_id: int = Field(foreign_key="log_checkpoints.id", index=True)
    witness: str = Field(max_length=255)
    """The witness's key name."""
    key_id: str = Field(max_length=8)
    """The witness's key ID (type 0x04), 8 hex digits."""
    line: str = Field(sa_column=Column(Text, nullable=False))
    """The signature line as the witness returned it, without its final newline."""
    received_at: datetime = Field(sa_column=_moment())

    __table_args__ = (UniqueConstraint("checkpoint_id", "witness", "key_id",
                                       name="uq_log_cosignatures_checkpoint_witness"),)


def _one_a_line(tickets: Sequence[str]) -> str:
    """The stored form of a list of tickets: one a line. Tickets are 32 hex digits, so a list
    that would not read back the same (a ticket holding a line break, or the one empty
    ticket of ``[""]``) is a programming error. The check counts the line breaks of the
    joined text, never the tickets one by one: it costs a tenth of the join."""
    lines = "\n".join(tickets)
    if tickets and (not lines or lines.count("\n") != len(tickets) - 1):
        raise ValueError(f"{len(tickets)} tickets cannot be stored one a line so as to read "
                         "back the same")
    return lines


def _lines(stored: str | None) -> tuple[str, ...]:
    return tuple(stored.split("\n")) if stored else ()


@dataclass(frozen=True)
class ExcludedTicket:
    """A ticket the freeze left out, with the reason codes of its entry, in the order the
    entry lists them."""

    ticket: str
    reasons: tuple[str, ...]

    @classmethod
    def from_data(cls, item: dict[str, str]) -> "ExcludedTicket":
        reason = item["reason"]
        return cls(item["ticket"], tuple(reason.split(",")) if reason else ())

    def to_data(self) -> dict[str, str]:
        """The public form, as the freeze event lists it: the codes comma-separated."""
        return {"ticket": self.ticket, "reason": ",".join(self.reasons)}


class DrawRecord(SQLModel, table=True):
    """A contest's draw: the frozen list of tickets, the randomness it waits for, the result.

    Filled in three steps (freeze, randomness, draw), each also a public log event; nothing
    here holds personal data. The lists are read and written as tuples through
    :attr:`tickets`, :attr:`winners`, :attr:`alternates` and :attr:`excluded`; the columns
    behind them keep the text the previous versions stored (one ticket a line, a million
    of them read in one string), so no row is rewritten.
    """

    __tablename__ = "draws"

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contests.id", unique=True)
    rules_version_id: int = Field(foreign_key="rules_versions.id")
    rules_sha256: str = Field(max_length=64)
    frozen_at: datetime = Field(sa_column=_moment())
    frozen_by_id: int | None = Field(default=None, foreign_key="users.id")
    ticket_lines: str = Field(default="", sa_column=Column("tickets", Text, nullable=False))
    entries_root: str = Field(max_length=64)
    excluded_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    randomness_source: str = Field(max_length=20)
    randomness_plan_json: str = Field(sa_column=Column(Text, nullable=False))
    freeze_leaf_index: int
    randomness_proof_json: str | None = Field(default=None, sa_column=Column(Text))
    value: str | None = Field(default=None, max_length=128)
    seed: str | None = Field(default=None, max_length=64)
    winner_lines: str | None = Field(default=None, sa_column=Column("winners", Text))
    alternate_lines: str | None = Field(default=None, sa_column=Column("alternates", Text))
    drawn_at: datetime | None = Field(default=None, sa_column=_moment(nullable=True))
    drawn_by_id: int | None = Field(default=None, foreign_key="users.id")
    rechecked_at: datetime | None = Field(default=None, sa_column=_moment(nullable=True))
    """When the winners' and alternates' network conditions were checked again after the
    draw (:mod:`contest.draw.recheck`); the results wait for it when the rules name any."""
    draw_leaf_index: int | None = None

    @property
    def tickets(self) -> tuple[str, ...]:
        """The eligible tickets the freeze fixed, in ascending order."""
        return _lines(self.ticket_lines)

    @tickets.setter
    def tickets(self, tickets: Sequence[str]) -> None:
        self.ticket_lines = _one_a_line(tickets)

    @property
    def ticket_count(self) -> int:
        """How many tickets the freeze fixed, without reading them one by one."""
        return self.ticket_lines.count("\n") + 1 if self.ticket_lines else 0

    @property
    def winners(self) -> tuple[str, ...]:
        """The winners in the order drawn (before any replacement); none before the draw."""
        return _lines(self.winner_lines)

    @winners.setter
    def winners(self, winners: Sequence[str]) -> None:
        self.winner_lines = _one_a_line(winners)

    @property
    def alternates(self) -> tuple[str, ...]:
        """The alternates in the order they take a replaced winner's place."""
        return _lines(self.alternate_lines)

    @alternates.setter
    def alternates(self, alternates: Sequence[str]) -> None:
        self.alternate_lines = _one_a_line(alternates)

    @property
    def excluded(self) -> tuple[ExcludedTicket, ...]:
        """The tickets the freeze left out, in ticket order, as its public event lists them."""
        return tuple(ExcludedTicket.from_data(item) for item in json.loads(self.excluded_json))

    @excluded.setter
    def excluded(self, excluded: Sequence[ExcludedTicket]) -> None:
        self.excluded_json = json.dumps([item.to_data() for item in excluded])


class Commitment(SQLModel, table=True):
    """A party's commitment SHA-256(secret) for a commit-reveal draw, and later its secret."""

    __tablename__ = "commitments"
    __table_args__ = (UniqueConstraint("contest_id", "party"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contests.id", index=True)
    party: str = Field(max_length=100)
    digest: str = Field(max_length=64)
    committed_at: datetime = Field(sa_column=_moment())
    secret_hex: str | None = Field(default=None, max_length=512)
    revealed_at: datetime | None = Field(default=None, sa_column=_moment(nullable=True))


class Replacement(SQLModel, table=True):
    """A disqualified winner and the alternate who takes the place, in order."""

    __tablename__ = "replacements"

    id: int | None = Field(default=None, primary_key=True)
    draw_id: int = Field(foreign_key="draws.id", index=True)
    ticket: str = Field(max_length=32)
    reason: str = Field(max_length=60)
    replacement: str | None = Field(default=None, max_length=32)
    at: datetime = Field(sa_column=_moment())
    by_id: int | None = Field(default=None, foreign_key="users.id")
    leaf_index: int


class SourceRead(SQLModel, table=True):
    """One read of a social network source the rules name: what the network says it has
    against what was read, list by list (public, as the log's ``source.read`` event), and
    whether a marketer accepted a gap in it, with the public reason's code."""

    __tablename__ = "source_reads"

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contests.id", index=True)
    source: int
    """The source's position in the rules' ``sources`` (0 first)."""
    network: str = Field(max_length=20)
    read_at: datetime = Field(sa_column=_moment())
    counts_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    """``{"reposts": {"reported": 18402, "read": 18402}, …}``; ``reported`` is null when the
    network does not say."""
    problems_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    """How many people each problem (a reason code such as ``private_profile``) kept from
    being checked."""
    complete: bool
    entrants: int = 0
    taken: int = 0
    """Entries this read took that were not in the contest before."""
    by_id: int | None = Field(default=None, foreign_key="users.id")
    leaf_index: int
    gap_reason: str | None = Field(default=None, max_length=40)
    gap_accepted_at: datetime | None = Field(default=None, sa_column=_moment(nullable=True))
    gap_accepted_by_id: int | None = Field(default=None, foreign_key="users.id")

    @property
    def counts(self) -> dict[str, dict[str, int | None]]:
        value: dict[str, dict[str, int | None]] = json.loads(self.counts_json)
        return value

    @property
    def problems(self) -> dict[str, int]:
        value: dict[str, int] = json.loads(self.problems_json)
        return value


class ConditionCheck(SQLModel, table=True):
    """One condition of the rules checked for one entry: which, when, at which stage (the
    read that took the entry, or the draw), and the result (``met``, ``unmet`` or
    ``unknown`` with the network's reason code). Checks at the draw are on the public log
    by ticket (``leaf_index``)."""

    __tablename__ = "condition_checks"
    __table_args__ = (Index("ix_condition_checks_entry", "entry_id", "stage"),)

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entries.id")
    condition: str = Field(max_length=20)
    result: str = Field(max_length=10)
    reason: str = Field(default="", max_length=40)
    stage: str = Field(max_length=10)
    checked_at: datetime = Field(sa_column=_moment())
    leaf_index: int | None = None


class AccountProfileRecord(SQLModel, table=True):
    """What a network said about an entrant's social account at the latest read that found
    it (:class:`~contest.identity.accounts.AccountProfile`): each fact ``None`` where the
    network does not tell it. For the auditor's participant graph only: never on a public
    page or the public log."""

    __tablename__ = "account_profiles"

    contest_id: int = Field(foreign_key="contests.id", primary_key=True)
    account: str = Field(max_length=120, primary_key=True)
    read_at: datetime = Field(sa_column=_moment())
    deactivated: str | None = Field(default=None, max_length=10)
    """``deleted`` or ``banned`` (VK)."""
    closed: bool | None = None
    has_photo: bool | None = None
    followers: int | None = None
    friends: int | None = None
    is_bot: bool | None = None


class FlagStatus(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class FraudFlag(SQLModel, table=True):
    """A fraud scan's finding on one entry, and the auditor's decision on it.

    A new scan replaces the open flags and keeps every decided one; a confirmed flag has made
    its entry ineligible with the flag's kind as the reason code.
    """

    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("contest_id", "entry_id", "kind", "related_to"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contests.id", index=True)
    entry_id: int = Field(foreign_key="entries.id")
    kind: str = Field(max_length=20)
    score: float
    # The staff_id, or for a duplicate the ticket of the entry that counts.
    related_to: str = Field(max_length=100)
    evidence_json: str = Field(sa_column=Column(Text, nullable=False))
    found_at: datetime = Field(sa_column=_moment())
    status: str = Field(default=FlagStatus.OPEN.value, max_length=10)
    decided_at: datetime | None = Field(default=None, sa_column=_moment(nullable=True))
    decided_by_id: int | None = Field(default=None, foreign_key="users.id")
    # The auditor's written reason (a dismissal needs one); never published.
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))


class EntryImport(SQLModel, table=True):
    """One import of entries gathered elsewhere, as the public sees it: the file's SHA-256
    and counts, never its rows. Each is also an ``entries.imported`` log event."""

    __tablename__ = "entry_imports"

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contests.id", index=True)
    at: datetime = Field(sa_column=_moment())
    by_id: int | None = Field(default=None, foreign_key="users.id")
    role: str = Field(max_length=20)
    file_sha256: str = Field(max_length=64)
    rows: int
    accepted: int
    eligible: int
    ineligible: int
    already_imported: int
    rejected: int
    after_close: bool
    leaf_index: int


class FraudScan(SQLModel, table=True):
    """One run of the fraud scan over a contest's entries: what it covered. The freeze asks
    for a scan that covers every entry received (see :mod:`contest.draw.readiness`)."""

    __tablename__ = "fraud_scans"

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contests.id", index=True)
    scanned_at: datetime = Field(sa_column=_moment())
    by_id: int | None = Field(default=None, foreign_key="users.id")
    # The newest entry the scan saw (anything newer is not covered) and the roster it used.
    last_entry_id: int = 0
    roster_sha256: str = Field(default="", max_length=64)
    # The edition of who is one person (contest.identity.EDITION) under which the scan
    # recounted the entry limits: a scan under an older one covers nothing the freeze takes.
    identity_edition: int = 1


class ComplaintStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"


class Complaint(SQLModel, table=True):
    """A complaint from the public about one contest, and its answer.

    ``contact``, ``ticket`` and ``text`` are the person's and never published; the public
    record holds the number, kind and moments (see :mod:`contest.ledger.events`), and a public
    answer's text.
    """

    __tablename__ = "complaints"
    __table_args__ = (UniqueConstraint("contest_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contests.id", index=True)
    number: int
    # The person's own link to follow the complaint: a random secret, like a receipt.
    key: str = Field(max_length=43, unique=True)
    kind: str = Field(max_length=30)
    contact: str = Field(max_length=254)
    ticket: str | None = Field(default=None, max_length=32)
    text: str = Field(sa_column=Column(Text, nullable=False))
    language: str = Field(max_length=8)
    received_at: datetime = Field(sa_column=_moment())
    # The deadline first named in the acknowledgement, and the one now in force.
    first_due_at: datetime = Field(sa_column=_moment())
    due_at: datetime = Field(sa_column=_moment())
    mailed_at: datetime | None = Field(default=None, sa_column=_moment(nullable=True))
    answer: str = Field(default="", sa_column=Column(Text, nullable=False))
    answer_public: bool = False
    answered_at: datetime | None = Field(default=None, sa_column=_moment(nullable=True))
    answered_by_id: int | None = Field(default=None, foreign_key="users.id")
    answer_mailed_at: datetime | None = Field(default=None, sa_column=_moment(nullable=True))
    # A re-check of the winners a complaint names: JSON, for the auditor only.
    recheck_json: str = Field(default="", sa_column=Column(Text, nullable=False))
    rechecked_at: datetime | None = Field(default=None, sa_column=_moment(nullable=True))

    @property
    def status(self) -> ComplaintStatus:
        """Answered once it has an answer's moment; open until then."""
        return ComplaintStatus.OPEN if self.answered_at is None else ComplaintStatus.ANSWERED


class ComplaintExtension(SQLModel, table=True):
    """A deadline moved later by an auditor, with the reason the person is shown."""

    __tablename__ = "complaint_extensions"

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaints.id", index=True)
    previous_due_at: datetime = Field(sa_column=_moment())
    due_at: datetime = Field(sa_column=_moment())
    reason: str = Field(sa_column=Column(Text, nullable=False))
    at: datetime = Field(sa_column=_moment())
    by_id: int | None = Field(default=None, foreign_key="users.id")


class EntryConfirmation(SQLModel, table=True):
    """An entry whose entrant is asked to confirm their e-mail address (the rules'
    ``defences.confirm_email``: :mod:`contest.entries.confirmation`), and the moment they did
    (``None``: still waiting). An entry with no row here was never asked."""

    __tablename__ = "entry_confirmations"

    entry_id: int = Field(primary_key=True, foreign_key="entries.id")
    asked_at: datetime = Field(sa_column=_moment())
    confirmed_at: datetime | None = Field(default=None, sa_column=_moment(nullable=True))


class ConfirmationMail(SQLModel, table=True):
    """One mail with a confirmation link sent for an entry: the resends are limited by
    these."""

    __tablename__ = "confirmation_mails"
    __table_args__ = (Index("ix_confirmation_mails_entry_sent", "entry_id", "sent_at"),)

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry_confirmations.entry_id")
    sent_at: datetime = Field(sa_column=_moment())
