"""Postal addresses folded to a household (building and flat) and to a building.

Abbreviations and their spelled-out forms are one word (ул./улица, пр./просп./проспект,
пер./переулок, д./дом, к./корп./корпус, стр./строение, кв./квартира; вул./вулиця,
пров./провулок, буд./будинок; St/Street, Ave/Avenue, Rd/Road, Blvd/Boulevard, Apt/#/Suite/
Unit), Cyrillic is transliterated, case and punctuation do not matter, and the words may come
in any order. The flat number is part of the household: neighbours in one building share
:func:`building_key` but never :func:`household_key`.

Known limits: a flat written as a bare number after the house ("Ленина 5-12", "5/12") is
read as house 5, flat 12; a house number with a letter ("5а") is one house; street names
that are themselves numbers ("8 Марта") count among the numbers.
"""

import re
from functools import lru_cache

from contest.fraud.names import fold_text

# Words that name the kind of street or building part; dropped, since "улица Ленина" and
# "Ленина ул" are one street. The flat markers announce the next number as the flat.
_STREET_WORDS = {
    "ul", "ulica", "ulitsa", "pr", "prosp", "prospekt", "pr-t", "per", "pereulok", "pl",
    "ploshad", "ploshcha", "bul", "bulvar", "b-r", "sh", "shosse", "nab", "naberezhnaia",
    "vul", "vulica", "vulitsa", "vulytsia", "prov", "provulok", "pr-kt", "mkr", "mikroraion",
    "st", "street", "ave", "avenue", "av", "rd", "road", "blvd", "boulevard", "ln", "lane",
    "dr", "drive", "ct", "court", "place", "sq", "square", "hwy", "highway", "way",
    "d", "dom", "bud", "budinok", "k", "korp", "korpus", "str", "stroenie", "g", "gorod",
    "m", "misto", "city", "no", "n", "house",
}
_FLAT_WORDS = {"kv", "kvartira", "apt", "apartment", "suite", "ste", "unit", "flat", "app",
               "of", "ofis", "office", "room", "rm"}
# Folded as the addresses are ("street" → "stret", "house" → "gouse"), so they meet.
_STREET_WORDS = {part for word in _STREET_WORDS for part in fold_text(word).split()}
_FLAT_WORDS = {part for word in _FLAT_WORDS for part in fold_text(word).split()}
_NUMBER = re.compile(r"[0-9]+[a-z]?")
_PARTS = re.compile(r"[0-9]+[^\W\d_]?(?![^\W\d_])|[^\W\d_]+")


def _fold(address: str) -> list[str]:
    # "5-12" and "5/12" are house 5, flat 12: split them before punctuation goes.
    text = re.sub(r"(\d)\s*[-/]\s*(\d)", r"\1 kv \2", address)
    text = text.replace("№", " ").replace("#", " kv ")
    parts = []
    for part in _PARTS.findall(text.lower()):
        if part[0].isdigit():
            parts.append(part[:-1] + (fold_text(part[-1]) or "") if not part[-1].isdigit()
                         else part)
        else:
            parts.extend(fold_text(part).split())
    return parts


@lru_cache(maxsize=200_000)
def _parts(address: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """(street words, house numbers, flat) of ``address``."""
    words, numbers, flat = [], [], ""
    expect_flat = False
    for part in _fold(address):
        if part in _FLAT_WORDS:
            expect_flat = True
            continue
        if _NUMBER.fullmatch(part):
            if expect_flat and not flat:
                flat = part
            else:
                numbers.append(part)
            expect_flat = False
            continue
        expect_flat = False
        if part not in _STREET_WORDS and len(part) > 1:
            words.append(part)
    # "12 Main St 4B" (US, no marker): a second number after the street is the flat.
    if not flat and len(numbers) >= 2:
        flat = numbers.pop()
    return tuple(sorted(words)), tuple(numbers), flat


def _place(city: str | None, postal_code: str | None, country: str | None) -> str:
    postal = re.sub(r"\W", "", postal_code or "").upper()
    return f"{(country or '').upper()}|{postal or fold_text(city or '')}"


def building_key(address: str | None, city: str | None, postal_code: str | None,
                 country: str | None) -> str | None:
    """The building ``address`` names, or None when it names none (no street or number)."""
    if not address or not address.strip():
        return None
    words, numbers, _ = _parts(address)
    if not words or not numbers:
        return None
    return f"{_place(city, postal_code, country)}|{' '.join(words)}|{' '.join(numbers)}"


def household_key(address: str | None, city: str | None, postal_code: str | None,
                  country: str | None) -> str | None:
    """The building and flat ``address`` names: equal for the people of one home."""
    building = building_key(address, city, postal_code, country)
    if building is None:
        return None
    return f"{building}|{_parts(address or '')[2]}"
