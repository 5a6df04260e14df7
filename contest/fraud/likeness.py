"""Whether two entries are one person: a scored comparison of name, birth date and address.

The duplicate detector links entries that share a mailbox, phone or device; this module is
for the entries that share none — exports without contacts, or someone who typed a new
mailbox — so that "Mikhayla Hannagan, 20 Rupp Place, Brentwood Vlge, Penshurst 2257, born
1977-05-01" meets "Hannaan Mikhayla, 20 Rupp Lace, …" written a day later.

The comparison follows Fellegi and Sunter ("A Theory for Record Linkage", JASA 1969): each
field of a pair falls into a level (equal, a typo apart, different, missing) and each level
adds a weight, about log2 of how much likelier that level is for one person than for two;
the weights are summed and a pair whose total reaches :data:`SAME_PERSON` is one person.
The weights are set by hand from what the levels mean (a birth date is shared by one person
in tens of thousands, a given name by one in hundreds); nothing is learned from labels.

Name words are compared in any order (FEBRL and real entrants swap given name and surname),
folded with :func:`contest.identity.skeleton.fold_word` so that transliterations meet, by
Jaro-Winkler similarity (rapidfuzz); two known different given names (Maria and Marina) are
different whatever their letters.

Contacts tell people apart. When both entries carry a mailbox, phone or device and share
none, each person has their own: the pair loses :data:`TOLD_APART` and a birth date one typo
away counts as different (people rarely mistype their own birth date, while namesakes born
a few days or years apart are common in a large giveaway). Two families also break the
independence Fellegi and Sunter assume: twins share a surname, a birth date and a home; a
father and son can share a full name and a home. So a pair with a *conflict* — a name word
clearly different, or a different birth date — is never one person when its contacts tell
the two apart. Records without contacts (FEBRL's, paper forms) are judged on name, birth
date and address alone, and there a conflict only costs its weight.
"""

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import permutations
from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler

from contest.fraud.names import GIVEN_NAMES, initial_fits
from contest.fraud.people import Person
from contest.identity.addresses import city_key
from contest.identity.skeleton import fold_word

SAME_PERSON = 12.0
"""The total weight from which a pair of entries is one person."""
BEYOND_NAMES = 3.0
"""What the birth date and address must add to the names' weight: namesakes are common."""
APART = -4.0
"""Below this total two entries are surely two people: a cluster holding both is not merged
(see :mod:`contest.fraud.clusters`)."""

# Name words (weights per pair of words, the best pairing of the two names counted).
NAME_EQUAL = 6.5
NAME_SPELLING = 5.0         # two spellings of one given name (Alexey, Aleksei)
NAME_TYPO = 4.5             # Jaro-Winkler ≥ 0.94: one letter wrong, missing or swapped
NAME_CLOSE = 2.0            # Jaro-Winkler ≥ 0.88
NAME_DIFFERENT = -4.0       # a conflict
# Birth date.
BORN_EQUAL = 12.0
BORN_TYPO = 5.0             # one digit wrong or two swapped, or day and month swapped
BORN_DIFFERENT = -6.0       # a conflict
# Address: house number, street words, city (or suburb), postal code.
HOUSE_EQUAL = 3.0
HOUSE_DIFFERENT = -2.0
STREET_EQUAL = 6.0          # token set similarity ≥ 95
STREET_TYPO = 4.0           # ≥ 85
STREET_CLOSE = 1.5          # ≥ 70
STREET_DIFFERENT = -2.0
CITY_EQUAL = 4.0
CITY_TYPO = 2.5             # Jaro-Winkler ≥ 0.9
CITY_DIFFERENT = -2.0
POSTCODE_EQUAL = 4.0
POSTCODE_TYPO = 1.0         # one edit
POSTCODE_DIFFERENT = -1.5
# Both entries carry contacts and share none.
TOLD_APART = -8.0

_WORD = re.compile(r"[^\W\d_]+")
_NUMBER = re.compile(r"\d+")
_MOST_WORDS = 4             # a name's first words compared (patronymics, second names)


class Identity(NamedTuple):
    """What an entry says about who its entrant is, folded for comparison (a named tuple:
    a million are made in a scan, and a tuple is made fastest)."""

    words: tuple[str, ...]
    """Folded words of the name, of two letters or more, in the order written."""
    birth_date: date | None
    house: str
    """The first number of the address: the house (street number)."""
    address: str
    """The address as written (its words are compared folded, see :func:`street_words`)."""
    city: str
    postcode: str
    contacts: frozenset[str]
    """Normalised mailboxes, phones and devices (``email:…``, ``phone:…``, ``device:…``), to
    tell people apart."""
    name: str = ""
    """The full name as written (its initials are read only when they may tell two apart,
    see :func:`initials_conflict`)."""


@lru_cache(maxsize=1 << 19)
def name_words(full_name: str) -> tuple[str, ...]:
    """The folded words of ``full_name`` worth comparing: initials are left out."""
    words = [word for word in map(fold_word, _WORD.findall(full_name)) if len(word) > 1]
    return tuple(words[:_MOST_WORDS])


@lru_cache(maxsize=1 << 16)
def name_initials(full_name: str) -> tuple[str, ...]:
    """The folded initials of ``full_name`` (its one-letter words), in the order written."""
    return tuple(fold_word(word) for word in _WORD.findall(full_name) if len(word) == 1)


def initials_conflict(a: Identity, b: Identity) -> bool:
    """Whether the initials of one name say it is another person's: a first initial (the
    given name's) that fits no word of the other name that the first lacks ("Бабюк К. З."
    and "Бабюк Русана", the twins; "М.И. Ловчиков" and "Анфим Иларионович Ловчиков"), or,
    when neither lacks a word, two first initials that differ ("Бабюк К." and "Бабюк Р.")."""
    initials_a, initials_b = name_initials(a.name), name_initials(b.name)
    for short, mine, other, theirs in ((a, initials_a, b, initials_b),
                                       (b, initials_b, a, initials_a)):
        if not mine:
            continue
        lacking = [word for word in other.words if word not in short.words]
        if lacking:
            if not any(initial_fits(mine[0], word) for word in lacking):
                return True
        elif theirs and not initial_fits(mine[0], theirs[0]):
            return True
    return False


@lru_cache(maxsize=1 << 16)
def street_words(address: str) -> str:
    """The words of ``address``, folded, sorted and joined by spaces."""
    return " ".join(sorted(fold_word(word) for word in _WORD.findall(address)))


def identity(person: Person, contacts: frozenset[str] = frozenset()) -> Identity:
    """``person``'s :class:`Identity`; ``contacts`` are their normalised mailboxes, phones
    and devices, when known."""
    number = _NUMBER.search(person.address) if person.address else None
    return Identity(
        name_words(person.full_name), person.birth_date, number.group() if number else "",
        person.address, city_key(person.city) if person.city else "",
        "".join(person.postal_code.split()).upper(), contacts, person.full_name)


@lru_cache(maxsize=1 << 18)
def word_weight(a: str, b: str) -> float:
    """The weight of two name words: equal, two spellings of one given name, a typo apart,
    close, or different (two known different given names are always different)."""
    if a == b:
        return NAME_EQUAL
    group_a, group_b = GIVEN_NAMES.get(a), GIVEN_NAMES.get(b)
    if group_a is not None and group_b is not None:
        return NAME_SPELLING if group_a == group_b else NAME_DIFFERENT
    likeness = JaroWinkler.similarity(a, b)
    if likeness >= 0.94:
        return NAME_TYPO
    if likeness >= 0.88:
        return NAME_CLOSE
    return NAME_DIFFERENT


def name_weight(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[float, bool]:
    """The weight of two names (the best pairing of their words, in any order) and whether
    a paired word conflicts. Words one name has and the other lacks weigh nothing."""
    if not a or not b:
        return 0.0, False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    table = [[word_weight(s, t) for t in long_] for s in short]
    best, conflict = -1e9, False
    for pairing in permutations(range(len(long_)), len(short)):
        weights = [table[i][j] for i, j in enumerate(pairing)]
        total = sum(weights)
        if total > best:
            best, conflict = total, min(weights) <= NAME_DIFFERENT
    return best, conflict


def _typo_date(a: date, b: date) -> bool:
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return True
    return OSA.distance(a.isoformat(), b.isoformat()) <= 1


def birth_weight(a: date | None, b: date | None, told_apart: bool = False
                 ) -> tuple[float, bool]:
    """The weight of two birth dates and whether they conflict; a typo is a conflict for
    people ``told_apart`` by their contacts."""
    if a is None or b is None:
        return 0.0, False
    if a == b:
        return BORN_EQUAL, False
    if _typo_date(a, b) and not told_apart:
        return BORN_TYPO, False
    return BORN_DIFFERENT, True


def address_weight(a: Identity, b: Identity) -> float:
    """The weight of house number, street, city and postal code together."""
    total = 0.0
    if a.house and b.house:
        total += HOUSE_EQUAL if a.house == b.house else HOUSE_DIFFERENT
    if a.address and b.address:
        street_a, street_b = street_words(a.address), street_words(b.address)
        if street_a == street_b:
            total += STREET_EQUAL
        else:
            likeness = max(fuzz.token_set_ratio(street_a, street_b),
                           fuzz.ratio(street_a.replace(" ", ""), street_b.replace(" ", "")))
            total += (STREET_EQUAL if likeness >= 95 else STREET_TYPO if likeness >= 85
                      else STREET_CLOSE if likeness >= 70 else STREET_DIFFERENT)
    if a.city and b.city:
        total += (CITY_EQUAL if a.city == b.city else
                  CITY_TYPO if JaroWinkler.similarity(a.city, b.city) >= 0.9 else CITY_DIFFERENT)
    if a.postcode and b.postcode:
        total += (POSTCODE_EQUAL if a.postcode == b.postcode else
                  POSTCODE_TYPO if OSA.distance(a.postcode, b.postcode) <= 1
                  else POSTCODE_DIFFERENT)
    return total


@dataclass(frozen=True, slots=True)
class Likeness:
    """The comparison of two entries: the total weight, and whether a field conflicts. When
    a conflict and the contacts already tell the two apart, the weight of the fields left
    is not added."""

    weight: float
    names: float
    """The part of ``weight`` the names give: a name alone is not a person."""
    conflict: bool
    told_apart: bool
    """Both carry contacts and share none: each has their own mailbox, phone or device."""

    @property
    def same_person(self) -> bool:
        """Whether the two entries are one person (see the module docstring)."""
        return (self.weight >= SAME_PERSON and self.weight - self.names >= BEYOND_NAMES
                and not (self.conflict and self.told_apart))

    @property
    def probability(self) -> float:
        """The weight as a probability, for a flag's score."""
        return 1.0 / (1.0 + math.pow(2.0, SAME_PERSON - 4.0 - self.weight))


def compare(a: Identity, b: Identity) -> Likeness:
    """How alike two entries are (see the module docstring)."""
    told_apart = bool(a.contacts) and bool(b.contacts) and a.contacts.isdisjoint(b.contacts)
    born, born_conflict = birth_weight(a.birth_date, b.birth_date, told_apart)
    if born_conflict and told_apart:
        return Likeness(born + TOLD_APART, 0.0, True, True)      # nothing can outweigh it
    names, name_conflict = name_weight(a.words, b.words)
    if told_apart and not name_conflict:
        name_conflict = initials_conflict(a, b)
    if name_conflict and told_apart:
        return Likeness(names + born + TOLD_APART, names, True, True)
    weight = names + born + address_weight(a, b) + (TOLD_APART if told_apart else 0.0)
    return Likeness(weight, names, name_conflict or born_conflict, told_apart)
