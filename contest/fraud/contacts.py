"""Mailboxes, phones, devices and IP addresses, normalised so that one contact written two
ways is one key, and two contacts are never merged by a rule their provider does not follow.

E-mail (:func:`email_key`): case never matters. Gmail ignores dots in the login and
``+tags`` (and ``googlemail.com`` is ``gmail.com``); Yandex treats its domains (yandex.ru,
ya.ru, yandex.com, yandex.by, yandex.kz, yandex.ua…) as one mailbox and ``-`` and ``.`` in the
login as the same; Outlook/Hotmail/Live, iCloud, Fastmail and Proton deliver ``+tags`` to the
base mailbox. Every other provider keeps its dots: at mail.ru or ukr.net ``ivan.petrov`` and
``ivanpetrov`` are two people.

Phones (:func:`phone_key`): E.164 through ``phonenumbers`` (Google's libphonenumber data),
with the person's country as the region for numbers written without a country code, so that
``8 (916) 123-45-67``, ``+7 916 123 4567`` and ``79161234567`` are one number.
"""

import ipaddress
import re
from functools import lru_cache

import phonenumbers

_GMAIL = {"gmail.com", "googlemail.com"}
_YANDEX = {"yandex.ru", "ya.ru", "yandex.com", "yandex.by", "yandex.kz", "yandex.ua",
           "yandex.uz", "yandex.com.tr", "narod.ru"}
_PLUS_TAGS = _GMAIL | _YANDEX | {
    "outlook.com", "hotmail.com", "live.com", "msn.com", "icloud.com", "me.com", "mac.com",
    "fastmail.com", "fastmail.fm", "proton.me", "protonmail.com", "pm.me"}
_EMAIL = re.compile(r"([^@\s]+)@([^@\s.]+(?:\.[^@\s.]+)+)")
_SEPARATOR = re.compile(r"[;\n]")
_E164 = phonenumbers.PhoneNumberFormat.E164


def split_values(field: str) -> list[str]:
    """The values of a field holding several separated by ``;`` ("work; personal")."""
    return [value.strip() for value in _SEPARATOR.split(field) if value.strip()]


@lru_cache(maxsize=200_000)
def email_key(email: str) -> str | None:
    """The mailbox ``email`` delivers to, under its provider's rules; None if not an address."""
    match = _EMAIL.fullmatch(email.strip().lower())
    if match is None:
        return None
    login, domain = match.groups()
    if domain in _PLUS_TAGS:
        login = login.split("+", 1)[0]
    if domain in _GMAIL:
        return f"{login.replace('.', '')}@gmail.com"
    if domain in _YANDEX:
        return f"{login.replace('.', '-')}@yandex.ru"
    return f"{login}@{domain}" if login else None


@lru_cache(maxsize=200_000)
def phone_key(phone: str, default_region: str | None) -> str | None:
    """``phone`` in E.164 (``+79161234567``), or None when it is not a possible number."""
    text = phone.strip()
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        # "79161234567" is an international number written without its "+".
        try:
            number = phonenumbers.parse("+" + text, None)
        except phonenumbers.NumberParseException:
            return None
    if not phonenumbers.is_possible_number(number):
        if text.startswith("+") or not text[:1].isdigit():
            return None
        try:
            number = phonenumbers.parse("+" + text, None)
        except phonenumbers.NumberParseException:
            return None
        if not phonenumbers.is_possible_number(number):
            return None
    return phonenumbers.format_number(number, _E164)


def device_key(device_id: str) -> str | None:
    """A device id as given, trimmed and case-folded; None when empty."""
    value = device_id.strip().casefold()
    return value or None


def ip_key(ip: str) -> str | None:
    """An IP address in its normal form (IPv6 compressed); None when not an address."""
    try:
        return str(ipaddress.ip_address(ip.strip()))
    except ValueError:
        return None
