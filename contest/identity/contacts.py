"""Mailboxes, phones and devices, normalised so that one contact written two
ways is one key, and two contacts are never merged by a rule their provider does not follow.
The entry limits count people by these keys and the participant graph joins people by them.

E-mail (:func:`email_key`), after RFC 5321/5322 syntax and RFC 5233 sub-addressing: case
never matters, and each provider's own rules apply only to its own domains. The local part
is RFC 5322's atext (UTF-8 letters too, as RFC 6531 allows) with dots anywhere: a dot-atom
has no dot first, last or twice in a row, but lenient servers deliver ``a.@gmail.com``, so it
is an address with a mailbox (``a@gmail.com``: Gmail ignores dots). The domain is a host
name (IDNA for non-ASCII ones). A login left empty by its provider's rules
(``+promo@gmail.com``) is no mailbox. :func:`is_email_address` is what the entry form and
the staff roster accept: one address with a mailbox; :func:`is_mailable_address`, what the
live channels take, also passes ``email-validator``'s syntax and domain checks.

- Gmail ignores dots in the login and delivers ``login+tag`` to ``login``; googlemail.com is
  gmail.com.
- Yandex delivers one mailbox on all its domains (yandex.ru, ya.ru, yandex.com, yandex.by,
  yandex.kz, yandex.ua, yandex.uz, yandex.com.tr, narod.ru) and treats ``.`` and ``-`` in a
  login as the same character; it accepts ``+tags``.
- Proton delivers one account on protonmail.com, protonmail.ch, proton.me and pm.me and
  ignores ``.``, ``-`` and ``_`` in the username; it accepts ``+tags``.
- iCloud's icloud.com, me.com and mac.com addresses of one name are one account; it accepts
  ``+tags``.
- Outlook.com (outlook.*, hotmail.*, live.*, msn.com) and Fastmail accept ``+tags``, and
  keep dots; their domains stay apart.
- Everyone else keeps every character: at mail.ru, ukr.net, rambler.ru, yahoo.com…
  ``ivan.petrov`` and ``ivanpetrov`` are two people, and so are ``ivan`` and ``ivan+x``.

Phones (:func:`phone_e164`): E.164 through ``phonenumbers`` (Google's libphonenumber data),
with the person's country as the region for numbers written without a country code, so that
``8 (916) 123-45-67``, ``+7 916 123 4567`` and ``79161234567`` are one number. A number must
be valid for its country (not merely of a possible length), so "+7 000 000 00" or
"1234567890" are no numbers; :func:`phone_region` tells why for the person who wrote one.
:func:`phone_key` is the number as one person's: a valid number whose last seven digits are
all one digit (``+7 916 000-00-00``, what forms get typed in to get past the field) is kept
as written but ties no strangers together.

Devices (:func:`device_key`) are compared as given, trimmed and case-folded, except the
placeholder ids that millions of devices report. IP addresses are not normalised here:
carriers put thousands of strangers behind one, so the fraud scan never joins people
through them (see :mod:`contest.fraud.graph`).

See docs/NORMALISATION.md for the measured cost of each function (1-10 µs a new value on a
recent laptop, under 0.5 µs a repeated one; the full phone parser 10-30 µs).
"""

import hashlib
import re
import traceback
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from phonenumbers import PhoneMetadata

# --- E-mail -----------------------------------------------------------------------------------

EMAIL_KEY_LENGTH = 254
"""The longest e-mail key (the width of ``entries.email_key``, as of an address: RFC 5321
4.5.3.1.3); a longer one, from an address whose domain grows in IDNA, is its SHA-256."""

_GMAIL = frozenset({"gmail.com", "googlemail.com"})
_YANDEX = frozenset({"yandex.ru", "ya.ru", "yandex.com", "yandex.by", "yandex.kz",
                     "yandex.ua", "yandex.uz", "yandex.com.tr", "narod.ru"})
_PROTON = frozenset({"protonmail.com", "protonmail.ch", "proton.me", "pm.me"})
_ICLOUD = frozenset({"icloud.com", "me.com", "mac.com"})
_TAGGED = re.compile(
    r"(?:outlook|hotmail|live|msn|windowslive)\.(?:com|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})"
    r"|fastmail\.(?:com|fm|net|org|us|to|in|cn|es|jp|uk)|messagingengine\.com")
# atext (RFC 5322 3.2.3, with UTF-8 letters as RFC 6531 allows) and dots @ a host name.
_EMAIL = re.compile(
    r"([\w!#$%&'*+/=?^`{|}~.-]+)"
    r"@((?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_](?:[\w-]{0,61}[^\W_])?)\.?")
# One address as typed into a form: no display name, no spaces, one "@".
_PLAIN_EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+")

_SEPARATOR = re.compile(r"[;\n\r]")
_ANY_SEPARATOR = re.compile(r"[;\n\r,]")
_SEVEN_DIGITS = re.compile(r"(?:\D*\d){7}")


def _whole_value(part: str) -> bool:
    return "@" in part or _SEVEN_DIGITS.match(part) is not None


def split_values(field: str) -> list[str]:
    """The values of a field holding several, separated by ``;`` or one a line ("a@x.ru;
    b@y.ru"), trimmed, empty ones dropped. A comma separates values too when every piece
    is a value by itself (an address, or a number of seven digits or more), so that
    "+7 916 123-45-67, доб. 12" stays one number."""
    if not _ANY_SEPARATOR.search(field):
        value = field.strip()               # one value: the common case
        return [value] if value else []
    values: list[str] = []
    for part in _SEPARATOR.split(field):
        pieces = part.split(",")
        if len(pieces) > 1 and all(_whole_value(piece) for piece in pieces):
            values.extend(piece.strip() for piece in pieces)
        else:
            values.append(part.strip())
    return [value for value in values if value]


def _host(domain: str) -> str | None:
    if domain.isascii():
        return domain
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None


@lru_cache(maxsize=1 << 20)
def email_key(email: str) -> str | None:
    """The mailbox ``email`` delivers to, under its provider's rules; None if ``email`` is not
    an address ("Ivan.Petrov+promo@GoogleMail.com" → "ivanpetrov@gmail.com")."""
    text = email.strip()
    if text[-1:] == ">" and "<" in text:
        text = text[text.rindex("<") + 1: -1].strip()      # "Ivan Petrov <ivan@x.ru>"
    if text[:7].lower() == "mailto:":
        text = text[7:]
    match = _EMAIL.fullmatch(text.lower())
    if match is None:
        return None
    login, domain = match.groups()
    host = _host(domain)
    if host is None or not login.strip("."):
        return None
    if host in _GMAIL:
        login, host = login.split("+", 1)[0].replace(".", ""), "gmail.com"
    elif host in _YANDEX:
        login, host = login.split("+", 1)[0].replace(".", "-"), "yandex.ru"
    elif host in _PROTON:
        login = login.split("+", 1)[0].replace(".", "").replace("-", "").replace("_", "")
        host = "proton.me"
    elif host in _ICLOUD:
        login, host = login.split("+", 1)[0], "icloud.com"
    elif _TAGGED.fullmatch(host):
        login = login.split("+", 1)[0]
    return bounded(f"{login}@{host}", EMAIL_KEY_LENGTH) if login else None


def is_email_address(text: str) -> bool:
    """Whether ``text`` is one e-mail address with a mailbox, as a person types it into a
    form or a roster (no display name, no spaces)."""
    return _PLAIN_EMAIL.fullmatch(text) is not None and email_key(text) is not None


_DOTS = re.compile(r"\.{2,}")


@lru_cache(maxsize=1 << 16)
def is_mailable_address(text: str) -> bool:
    """Whether ``text`` is an address (:func:`is_email_address`) that ``email-validator``
    also finds well formed and deliverable by its syntax and domain (no network look-up):
    what the live channels (the form and the API) take. It refuses what the reader lets
    through but no mail can reach: a special-use or reserved domain (``.local``, ``.test``,
    ``.invalid``, ``.onion``), a host name that is not one (``x_y.ru``) or that IDNA
    refuses (``xn--x.com``). The login's dots are judged by this
    module's rule (a dot first, last or doubled is delivered by lenient servers, so
    ``a.@gmail.com`` is taken, as the stored keys say), the rest by ``email-validator``."""
    if not is_email_address(text):
        return False
    login, _, domain = text.rpartition("@")
    tidy = _DOTS.sub(".", login).strip(".")
    try:
        validate_email(f"{tidy}@{domain}", check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError:
        return False
    return True


def bounded(key: str, length: int) -> str:
    """``key``, or when longer than ``length`` characters its SHA-256 (``sha256:`` and 64 hex
    digits): equal keys stay equal and fit the column that stores them."""
    if len(key) <= length:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


# --- Phones -----------------------------------------------------------------------------------

_E164 = phonenumbers.PhoneNumberFormat.E164
_PLAIN_NUMBER = re.compile(r"\s*(\+?)[\d\s().-]{4,}")
_NOT_DIGIT = re.compile(r"\D")
# Regions whose numbers written nationally are read here without phonenumbers' full parser
# (which takes 25-60 µs): country code, the trunk prefix dialled before a national number,
# and the length of a national number. A fast reading is checked for validity by
# phonenumbers and equals what the full parser gives (tests/identity/test_contacts.py).
_NATIONAL = {
    "RU": (7, "8", 10), "KZ": (7, "8", 10), "UA": (380, "0", 9),
    "US": (1, "1", 10), "CA": (1, "1", 10),
}
# Country code → how many last digits of a number no numbering pattern of any of its regions
# looks at (in phonenumbers' metadata; tests/identity/test_contacts.py reads the patterns to
# check it), so that validity is decided once per block of numbers: 10,000 in Russia,
# Kazakhstan and Ukraine, 1,000 in the North American plan (Barbados numbers by thousands).
BLOCK_DIGITS = {7: 4, 380: 4, 1: 3}


# The number types phonenumbers tries, in its order; a number of none of them is invalid.
_NUMBER_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number",
                 "pager", "uan", "voicemail", "fixed_line", "mobile")
_Description = tuple[frozenset[int], re.Pattern[str]]


@dataclass(frozen=True)
class _NumberingPlan:
    """One region's numbering plan from phonenumbers' metadata, compiled once."""

    leading_digits: re.Pattern[str] | None
    general: _Description
    types: tuple[_Description, ...]

    def knows(self, national: str) -> bool:
        return _fits(self.general, national) and any(_fits(d, national) for d in self.types)


def _fits(description: _Description, national: str) -> bool:
    lengths, pattern = description
    return (not lengths or len(national) in lengths) and pattern.fullmatch(national) is not None


def _description(desc: Any) -> _Description | None:
    if desc is None or not desc.national_number_pattern:
        return None
    return frozenset(desc.possible_length or ()), re.compile(desc.national_number_pattern)


@cache
def _plans(country_code: int) -> tuple[_NumberingPlan, ...]:
    plans = []
    for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code, ()):
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
        general = _description(metadata.general_desc) if metadata is not None else None
        if metadata is None or general is None:
            continue
        types = (_description(getattr(metadata, name, None)) for name in _NUMBER_TYPES)
        plans.append(_NumberingPlan(
            re.compile(metadata.leading_digits) if metadata.leading_digits else None,
            general, tuple(t for t in types if t is not None)))
    return tuple(plans)


def valid_national_number(country_code: int, national: str) -> bool:
    """What ``phonenumbers.is_valid_number`` says of ``+<country_code><national>``, from the
    same metadata compiled once: the region is the first whose leading digits match, or
    else whose plan knows the number (as phonenumbers picks it), and the number must be of
    one of that region's number types. Ten to fifty times faster than asking phonenumbers,
    which looks its patterns up anew for each number."""
    for plan in _plans(country_code):
        if plan.leading_digits is not None:
            if plan.leading_digits.match(national):
                return plan.knows(national)
        elif plan.knows(national):
            return True
    return False


@lru_cache(maxsize=1 << 18)
def _valid_block(country_code: int, block: str, length: int) -> bool:
    return valid_national_number(country_code, block + "0" * (length - len(block)))


def _valid(country_code: int, national: str) -> str | None:
    if national[:1] == "0":
        return None     # leading zeros need the full parser
    free = BLOCK_DIGITS.get(country_code)
    if free is not None:
        valid = _valid_block(country_code, national[:-free], len(national))
    else:
        valid = valid_national_number(country_code, national)
    return f"+{country_code}{national}" if valid else None


def _fast_phone(text: str, region: str | None) -> str | None:
    """The E.164 form of a plainly written number of a common shape, or None to ask the
    full parser."""
    match = _PLAIN_NUMBER.fullmatch(text)
    if match is None:
        return None
    digits = _NOT_DIGIT.sub("", text)
    if len(digits) < 7:
        return None
    if match.group(1):
        for size in (1, 2, 3):
            if digits[:1] != "0" and int(digits[:size]) in _COUNTRY_CODES:
                return _valid(int(digits[:size]), digits[size:])
        return None
    if region not in _NATIONAL:
        return None
    country_code, trunk, length = _NATIONAL[region]
    code = str(country_code)
    if len(digits) == length:
        return _valid(country_code, digits)
    if len(digits) == length + len(trunk) and digits.startswith(trunk):
        return _valid(country_code, digits[len(trunk):])
    if len(digits) == length + len(code) and digits.startswith(code):
        return _valid(country_code, digits[len(code):])     # "79161234567", no "+"
    return None


_COUNTRY_CODES = frozenset(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber:
    """``phonenumbers.parse``, whose refusal comes without the frames it was raised in:
    phonenumbers keeps a failed attempt's exception in a local of the frame that raises the
    next one, a cycle that would hold every caller's frame (an import's every row) until the
    garbage collector's full pass."""
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as problem:
        traceback.clear_frames(problem.__traceback__)  # those that returned
        raise


def _parsed_phone(text: str, region: str | None) -> str | None:
    """The full parser: any format phonenumbers reads, national or international."""
    try:
        number = _parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, _E164)
    stripped = text.lstrip()
    if stripped[:1].isdigit():
        # "79161234567" or "380671234567": an international number without its "+".
        return _parsed_phone("+" + stripped, None)
    return None


def _read_phone(phone: str, default_region: str | None) -> str | None:
    text = phone.strip()
    if not text:
        return None
    region = (default_region.strip().upper() or None) if default_region else None
    fast = _fast_phone(text, region)
    if fast is not None:
        return fast
    if region == "UA":
        digits = _NOT_DIGIT.sub("", text)
        if len(digits) == 11 and digits.startswith("80"):
            # "8 067 123-45-67": the Soviet trunk prefix, still written in Ukraine.
            text = digits[1:]
    return _parsed_phone(text, region)


@lru_cache(maxsize=1 << 16)
def phone_e164(phone: str, default_region: str | None) -> str | None:
    """``phone`` in E.164 ("+79161234567"), read in ``default_region`` (ISO 3166 alpha-2, the
    person's country) when written without a country code; None when it is not a valid
    number. Never raises."""
    return _read_phone(phone, default_region)


@lru_cache(maxsize=1 << 20)
def phone_key(phone: str, default_region: str | None) -> str | None:
    """The number ``phone`` as one person's (:func:`phone_e164`), or None when it is not a
    valid number or is a placeholder: its last seven digits are one digit repeated
    ("+7 916 000-00-00", "8 (999) 999-99-99"), typed by strangers alike. Never raises."""
    number = _read_phone(phone, default_region)
    if number is None or len(set(_national(number).lstrip("0")[-7:])) == 1:
        return None
    return number


def _national(e164: str) -> str:
    """The national number of an E.164 number (country codes are a prefix code)."""
    digits = e164[1:]
    for size in (1, 2, 3):
        if int(digits[:size]) in _COUNTRY_CODES:
            return digits[size:]
    return digits


def phone_region(phone: str, default_region: str | None) -> str | None:
    """Why ``phone`` has no :func:`phone_e164`, to tell the person who wrote it: the region
    of the number it reads as (its country code's main region, "ZZ" when none), or None
    when it does not read as a phone number at all. Never raises."""
    try:
        number = _parse(phone, default_region)
    except phonenumbers.NumberParseException as problem:
        # "79161234567" with no region to read it in: an international number without "+".
        digits = re.sub(r"[\s().-]", "", phone)
        if (problem.error_type != phonenumbers.NumberParseException.INVALID_COUNTRY_CODE
                or not digits.isdigit()):
            return None
        try:
            number = _parse("+" + digits, None)
        except phonenumbers.NumberParseException:
            return None
    return (phonenumbers.region_code_for_number(number)
            or phonenumbers.region_code_for_country_code(number.country_code or 0))


# --- Devices ----------------------------------------------------------------------------------

# Ids that many devices share: Android 2.2's ANDROID_ID bug, a zeroed advertising id, the MAC
# address Android reports to apps, and what forms put in an empty field.
_SHARED_DEVICE_IDS = frozenset({
    "9774d56d682e549c", "02:00:00:00:00:00", "unknown", "null", "none", "nil", "undefined",
    "n/a", "na", "-", "(null)", "test", "device", "default",
})
_ID_SEPARATORS = re.compile(r"[\s:.-]")


def device_key(device_id: str) -> str | None:
    """A device id as given, trimmed and case-folded; None when empty or a placeholder many
    devices share (all zeros, "unknown", Android's 9774d56d682e549c)."""
    value = device_id.strip().casefold()
    if not value or value in _SHARED_DEVICE_IDS:
        return None
    if len(set(_ID_SEPARATORS.sub("", value))) <= 1:
        return None
    return value


# --- Contacts no rule reads ---------------------------------------------------------------------

WRITTEN_DIGITS = 10
"""The digits of a written phone compared: a national number's, whether or not the country
code or the trunk prefix was written (ten in most of the plans of RU, UA and the US)."""
_COUNTING_UP = "0123456789" * 3
_COUNTING_DOWN = "9876543210" * 3

WRITTEN = "?"
"""The mark of a key taken from a contact as written (:func:`written_phone_key`,
:func:`written_email_key`): no normalised key starts with it, so the two never meet."""


def written_phone_key(phone: str) -> str | None:
    """A phone that no numbering plan reads (a typo, an unassigned area code such as +1 466)
    as written, for exact matches: its last :data:`WRITTEN_DIGITS` digits behind
    :data:`WRITTEN`. A file's number is
    still the person's even when no plan knows it, and the same typo in two rows is one
    number. None for fewer than seven digits, or a placeholder (the last seven digits one
    digit, or all the digits counting up or down: "1234567", "9876543210"), which strangers
    type alike."""
    digits = _NOT_DIGIT.sub("", phone)
    if (len(digits) < 7 or len(set(digits[-7:])) == 1
            or digits in _COUNTING_UP or digits in _COUNTING_DOWN):
        return None
    # The last ten digits: the number with or without its country code or trunk prefix
    # (+1 466 555 0123 and 466-555-0123; +7 870 … and 8 870 …) is one number.
    return WRITTEN + digits[-WRITTEN_DIGITS:]


def person_phone_key(phone: str, default_region: str | None) -> str | None:
    """The key a phone ties people by, in the limits and in the participant graph alike:
    :func:`phone_key` for a number its plan reads, else :func:`written_phone_key` (a number
    kept as written from a file)."""
    return phone_key(phone, default_region) or written_phone_key(phone)


def written_email_key(email: str) -> str | None:
    """An e-mail address that :func:`email_key` cannot read, as written (trimmed, case
    folded) behind :data:`WRITTEN`, for exact matches; None unless it has something on
    both sides of one ``@`` and no space. At most :data:`EMAIL_KEY_LENGTH` characters, as
    every e-mail key (:func:`bounded`)."""
    value = email.strip().casefold()
    login, at, domain = value.partition("@")
    if not at or not login or not domain or "@" in domain or " " in value:
        return None
    return bounded(WRITTEN + value, EMAIL_KEY_LENGTH)
