"""What an entrant sends, validated and normalised: the one check every channel uses.

The web form, the JSON API and the CSV import all pass their fields, keyed by the column names
in :data:`COLUMNS`, to :func:`parse_submission`; it returns a :class:`Submission` or raises
:class:`EntryRejected` listing every bad field at once. The same columns are the CSV export
format. A field holding a character that is not text (a lone surrogate, NUL or another
control character, a non-character: :mod:`contest.text`) is refused by name before any other
check of it, whatever the channel. E-mail addresses, phones and homes are read as
:mod:`contest.identity` reads them, the one idea of "the same person" that the entry limits
count and the fraud scan joins by: ``email_key`` is the mailbox (Gmail's dots and ``+tags``,
Yandex's domains), phones become E.164 (ITU-T E.164, via ``phonenumbers``), and
``household_key`` is the building and flat of the address in its city. Countries are
ISO 3166-1 alpha-2 codes from the CLDR data Babel ships; moments are ISO 8601 with an offset,
in the years :data:`~contest.rules.ranges.MOMENT_YEARS` in UTC (so that the entry's day in
any contest's time zone is a calendar day).

An entry *brought in* from a file is read leniently (``lenient=True``): its sender is not
there to correct it, and an entry is never lost for an optional field. A field that cannot
be read is then a warning (:attr:`Submission.warnings`), not a refusal: an e-mail address or
a phone no rule reads is kept as written (and still matches itself exactly), a too-long
value is cut to its column, and any other unreadable value is left out — the entry's
eligibility then says what is missing (``age_unknown``, ``country_unknown``,
``moment_unknown``, ``contact_unknown``: :mod:`contest.entries.eligibility`). Only an entry
that names nobody — no name, e-mail, phone or account — is refused.
"""

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from contest.errors import EntryRejected, FieldError
from contest.i18n import N_, N_plural
from contest.identity import (
    email_key,
    household_key,
    is_email_address,
    phone_e164,
    phone_region,
    written_email_key,
)
from contest.identity.accounts import account_key
from contest.models import Entry, column_length
from contest.rules.parse import country_codes
from contest.rules.ranges import MOMENT_YEARS, moment_within_years
from contest.text import refused_character, without_refused

COLUMNS: tuple[str, ...] = (
    "entry_id", "submitted_at", "full_name", "email", "phone", "birth_date", "address",
    "city", "postal_code", "country", "ip", "device_id", "social_handle", "account",
    "user_agent",
)

EARLIEST_BIRTH_DATE = date(1900, 1, 1)

# Dotted-quad IPv4 without leading zeros: already in its normal form, no need to parse.
_IPV4 = re.compile(r"(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\."
                   r"(0|[1-9][0-9]{0,2})")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _column_limit(name: str) -> int:
    return column_length(Entry, name)


# Longest accepted input per column: the width of the Entry column that stores it.
MAX_LENGTHS: Mapping[str, int] = {
    column: _column_limit("source_entry_id" if column == "entry_id" else column)
    for column in COLUMNS
    if column not in ("submitted_at", "birth_date")
}


def user_agent(header: str | None) -> str | None:
    """A request's ``User-Agent`` header as a live entry keeps it: without what is not text,
    cut to its column. The entrant never typed it, so nothing in it refuses an entry."""
    if not header:
        return None
    kept = " ".join(without_refused(header).split())[:MAX_LENGTHS["user_agent"]].rstrip()
    return kept or None


@dataclass(frozen=True, slots=True)  # an import makes one for every row it reads
class Submission:
    """One entrant's fields, valid and normalised; ``None`` where a field was left empty."""

    full_name: str
    email: str | None = None
    email_key: str | None = None
    phone: str | None = None
    birth_date: date | None = None
    address: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country: str | None = None
    household_key: str | None = None
    ip: str | None = None
    device_id: str | None = None
    social_handle: str | None = None
    account: str | None = None
    """The social account the entry came from (``vk:123456``: see
    :func:`~contest.identity.accounts.account_key`)."""
    user_agent: str | None = None
    """The browser or program a live entry's request named (:func:`user_agent`)."""
    submitted_at: datetime | None = None
    entry_id: str | None = None
    moment_unknown: bool = False
    """A moment was given but could not be read (an entry brought in: ``submitted_at`` is
    then the moment it was brought in, and the entry does not count)."""
    contact_unknown: bool = False
    """No e-mail address, phone or account that reaches the entrant (an entry brought in
    with none, or only ones no rule reads: it does not count)."""
    warnings: tuple[FieldError, ...] = ()
    """The fields of an entry brought in that could not be read as given (see the module)."""

    def values(self) -> dict[str, str]:
        """The normalised fields as CSV text, keyed by :data:`COLUMNS`."""
        return {
            "entry_id": self.entry_id or "",
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else "",
            "full_name": self.full_name,
            "email": self.email or "",
            "phone": self.phone or "",
            "birth_date": self.birth_date.isoformat() if self.birth_date else "",
            "address": self.address or "",
            "city": self.city or "",
            "postal_code": self.postal_code or "",
            "country": self.country or "",
            "ip": self.ip or "",
            "device_id": self.device_id or "",
            "social_handle": self.social_handle or "",
            "account": self.account or "",
            "user_agent": self.user_agent or "",
        }


def parse_submission(
    data: Mapping[str, str | None],
    *,
    default_country: str | None = None,
    today: date | None = None,
    lenient: bool = False,
) -> Submission:
    """Validate and normalise ``data`` (keys from :data:`COLUMNS`; other keys are ignored).

    ``default_country`` is the region for phones written without a country code when the
    entry names no country. A birth date after ``today`` or after the day of the entry's
    ``submitted_at`` is refused. Raises :class:`EntryRejected` with one :class:`FieldError`
    per bad field; ``lenient`` (an entry brought in) only when the entry names nobody, the
    other problems being :attr:`Submission.warnings` (see the module).
    """
    reader = _Reader(data, lenient=lenient)
    fields = reader.fields()

    full_name = " ".join((fields["full_name"] or "").split())
    # Only an entry that names nobody is refused when brought in.
    nobody = not (full_name or fields["email"] or fields["phone"] or fields["social_handle"]
                  or fields["account"])
    if not full_name:
        reader.error("full_name", "required", N_("the full name is required"), strict=nobody)

    email = fields["email"]
    key = None
    readable_email = email is not None and is_email_address(email)
    if email is not None and not readable_email:
        reader.error("email", "invalid_email",
                     N_("\"{value}\" is not an email address"), value=email)
        key = written_email_key(email) if lenient else None  # kept as written
        email = email if lenient else None
    elif email is not None:
        key = email_key(email)
    account = account_key(fields["account"]) if fields["account"] else None
    if fields["account"] and account is None:
        reader.error("account", "invalid_account", N_(
            "\"{value}\" is not an account such as vk:123456, tg:987654 or ig:username"),
            value=fields["account"])
    if email is None and fields["phone"] is None and account is None:
        reader.error("email", "contact_required",
                     N_("an email address or a phone number is required"), strict=nobody)

    country = fields["country"].upper() if fields["country"] else None
    if country is not None and country not in country_codes():
        reader.error("country", "unknown_country",
                     N_("\"{value}\" is not an ISO 3166-1 country code such as RU or US"),
                     value=fields["country"])
        country = None

    phone, readable_phone = _phone(reader, fields["phone"], country or default_country)
    submitted_at = _moment(reader, fields["submitted_at"])
    latest_birth = min(
        (day for day in (today, submitted_at.date() if submitted_at else None) if day),
        default=None,
    )
    birth_date = _birth_date(reader, fields["birth_date"], latest_birth)
    ip = _ip(reader, fields["ip"])

    if reader.errors:
        raise EntryRejected(N_plural("the entry has {count} error",
                                     "the entry has {count} errors"), reader.errors)
    return Submission(
        full_name=full_name,
        email=email,
        email_key=key,
        phone=phone,
        birth_date=birth_date,
        address=fields["address"],
        city=fields["city"],
        postal_code=fields["postal_code"],
        country=country,
        household_key=household_key(fields["address"], fields["city"], fields["postal_code"],
                                    country),
        ip=ip,
        device_id=fields["device_id"],
        social_handle=fields["social_handle"],
        account=account,
        user_agent=fields["user_agent"],
        submitted_at=submitted_at,
        entry_id=fields["entry_id"],
        moment_unknown=fields["submitted_at"] is not None and submitted_at is None,
        contact_unknown=not (readable_email or readable_phone or fields["social_handle"]
                             or account),
        warnings=tuple(reader.warnings),
    )


class _Reader:
    """Trims the fields, checks their lengths and collects the errors (for a lenient read,
    the warnings)."""

    def __init__(self, data: Mapping[str, str | None], *, lenient: bool = False) -> None:
        self.data = data
        self.lenient = lenient
        self.errors: list[FieldError] = []
        self.warnings: list[FieldError] = []

    def error(self, column: str, code: str, message: str, *, strict: bool = False,
              **params: object) -> None:
        """Record the first error of ``column``; a too-long field is not also "required".
        A lenient read records it as a warning, unless ``strict`` (the entry names nobody)."""
        found = self.warnings if self.lenient and not strict else self.errors
        if any(error.field == column for error in (*self.errors, *self.warnings)):
            return
        found.append(FieldError(column, code, message, params))

    def fields(self) -> dict[str, str | None]:
        """Every column trimmed, ``None`` when empty, not text or too long (one row of an
        import of 100,000 passes here, so this loop is kept tight, and the text of all the
        columns is checked at once)."""
        fields: dict[str, str | None] = {}
        get = self.data.get
        if refused_character(" ".join(value for column in COLUMNS if (value := get(column)))):
            cleaned = dict(self.data)
            for column in COLUMNS:
                value = get(column)
                if value and (found := refused_character(value)) is not None:
                    if self.lenient:  # brought in: kept without what is not text
                        self.warnings.append(found.left_out(column))
                        cleaned[column] = without_refused(value)
                    else:
                        self.errors.append(found.field_error(column))
                        fields[column] = None
            get = cleaned.get
        for column in COLUMNS:
            value = get(column)
            if value and column not in fields:
                value = value.strip()
                limit = MAX_LENGTHS.get(column)
                if limit is not None and len(value) > limit:
                    self.error(column, "too_long",
                               N_("is {length} characters long, at most {max} are allowed"),
                               length=len(value), max=limit)
                    # An entry brought in keeps what fits of its value.
                    value = value[:limit].rstrip() if self.lenient else None
            fields.setdefault(column, value or None)
        return fields


def _phone(reader: _Reader, raw: str | None, region: str | None) -> tuple[str | None, bool]:
    """The phone as E.164 and ``True``; as written and ``False`` for one no rule reads, in
    a lenient read (else ``None``)."""
    if raw is None:
        return None, False
    number = phone_e164(raw, region)
    if number is not None:
        return number, True
    read_in = phone_region(raw, region)
    kept = raw if reader.lenient else None  # as written: it still matches itself
    if read_in is None:
        reader.error("phone", "unreadable_phone",
                     N_("\"{value}\" cannot be read as a phone number; "
                        "write it with its country code, such as +7 916 123-45-67"),
                     value=raw)
    else:
        reader.error("phone", "invalid_phone",
                     N_("\"{value}\" is not a valid phone number in {region}"),
                     value=raw, region=read_in)
    return kept, False


def _moment(reader: _Reader, raw: str | None) -> datetime | None:
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        reader.error("submitted_at", "invalid_datetime",
                     N_("\"{value}\" is not a moment such as 01.12.2026 09:30 or "
                        "2026-12-01T09:30:00+03:00")
                     if reader.lenient  # a file's moments are read as people write them
                     else N_("\"{value}\" is not an ISO 8601 moment such as "
                             "2026-12-01T09:30:00+03:00"), value=raw)
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        reader.error("submitted_at", "offset_required",
                     N_("\"{value}\" has no UTC offset; add one such as +03:00 or Z"),
                     value=raw)
        return None
    if not moment_within_years(moment):  # nothing downstream then leaves the calendar
        reader.error("submitted_at", "moment_out_of_range",
                     N_("\"{value}\" is not within the years {first} to {last} in UTC"),
                     value=raw, first=MOMENT_YEARS.minimum, last=MOMENT_YEARS.maximum)
        return None
    return moment


def _birth_date(reader: _Reader, raw: str | None, latest: date | None) -> date | None:
    if raw is None:
        return None
    try:
        if not _ISO_DATE.fullmatch(raw):
            raise ValueError(raw)
        born = date.fromisoformat(raw)
    except ValueError:
        reader.error("birth_date", "invalid_date",
                     N_("\"{value}\" is not a date such as 31.12.1990 or 1990-12-31")
                     if reader.lenient  # a file's dates are read as people write them
                     else N_("\"{value}\" is not a date in the form YYYY-MM-DD"), value=raw)
        return None
    if born < EARLIEST_BIRTH_DATE:
        reader.error("birth_date", "birth_date_too_early",
                     N_("{value} is before {earliest}"),
                     value=raw, earliest=EARLIEST_BIRTH_DATE.isoformat())
        return None
    if latest is not None and born > latest:
        reader.error("birth_date", "birth_date_in_future",
                     N_("{value} is after the entry date {latest}"),
                     value=raw, latest=latest.isoformat())
        return None
    return born


def _ip(reader: _Reader, raw: str | None) -> str | None:
    if raw is None:
        return None
    match = _IPV4.fullmatch(raw)
    if match and all(int(octet) <= 255 for octet in match.groups()):
        return raw
    try:
        return ipaddress.ip_address(raw).compressed
    except ValueError:
        reader.error("ip", "invalid_ip",
                     N_("\"{value}\" is not an IPv4 or IPv6 address"), value=raw)
        return None
