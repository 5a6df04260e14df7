"""Benchmark population for the participant-graph fraud detector, with its answer key.

Generates a giveaway's entries, the sponsor's staff list and their declared relatives with
Faker (ru_RU, uk_UA, en_US), plants labelled positives among the entries and labelled hard
negatives next to them, and writes four CSV files:

* ``entries.csv`` — the entries columns of :data:`contest.entries.submission.COLUMNS`, in
  submission order; every row passes :func:`contest.entries.submission.parse_submission`.
* ``staff.csv`` — :data:`STAFF_COLUMNS`; ``email`` and ``phone`` may hold a work and a
  personal value separated by ``;``.
* ``relatives.csv`` — :data:`RELATIVE_COLUMNS`; empty fields are common.
* ``labels.csv`` — :data:`LABEL_COLUMNS`: one row per planted positive (``kind`` one of
  :data:`KINDS`; ``related_to`` the staff_id, or for a duplicate the entry_id of the earliest
  entry of that person) and one row per planted hard negative (``kind`` ``clean``, ``note``
  one of :data:`HARD_NEGATIVES`). Entries without a label are clean.

About 2% of the entries are planted positives and 2% hard negatives:

* ``employee`` — a staff member enters with a personal or work contact, the same birth date,
  and the name re-written (Latin transliteration by ICAO Doc 9303, BGN/PCGN, the Ukrainian
  national system of 2010 or informally; surname first; patronymic or not; case; one typo).
* ``relative`` — a declared relative entering with a contact or address from relatives.csv,
  or an undeclared one at the staff member's flat with the family surname in its gendered form
  (Иванов/Иванова, Петровский/Петровская, Ковальський/Ковальська, Шевченко unchanged).
* ``household`` — someone else, under another surname, at the staff member's flat.
* ``proxy`` — another name and birth date with the staff member's (or a relative's) personal
  phone or mailbox, or the device of the staff member's or a relative's entry; some chain:
  the device of an earlier proxy that used the staff phone or mailbox (note ``via <entry>``).
* ``duplicate`` — an entrant re-entering later as the same person: a Gmail dot/+tag/
  googlemail alias, a yandex.ru/ya.ru/yandex.com alias with ``.``/``-`` swapped, the mailbox
  in other case, the phone written in another format, or the same device under a similar name.

Hard negatives (must not be flagged): ``namesake`` (a staff member's full name, another birth
date, no shared contact), ``common_surname`` (a very common surname shared with a staff
member, nothing else), ``same_building`` (another flat of a staff member's building),
``shared_ip`` (a stranger behind the carrier NAT address of a planted positive),
``dotted_address`` (``ivan.petrov@mail.ru`` and ``ivanpetrov@mail.ru``: two people, since
dots count outside Gmail; both entries of the pair are labelled).

Everything is drawn from one ``random.Random(seed)`` and Faker instances seeded with it, so
a seed gives the same files byte for byte (with the same Faker version).

    .venv/bin/python bench/fraud_population.py --entries 100000 --staff 1000 --seed 7 --out DIR
"""

import argparse
import csv
import re
import sys
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from itertools import accumulate
from pathlib import Path
from random import Random

from faker import Faker

from contest.entries.submission import COLUMNS as ENTRY_COLUMNS
from contest.fraud.people import RELATIVE_COLUMNS, STAFF_COLUMNS

# The checkout, so that ``bench.…`` imports the same way as a script and under pytest.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.messy_files import render_mess  # noqa: E402

LABEL_COLUMNS: tuple[str, ...] = ("entry_id", "kind", "related_to", "note")
KINDS: tuple[str, ...] = ("employee", "relative", "household", "proxy", "duplicate")
HARD_NEGATIVES: tuple[str, ...] = (
    "namesake", "common_surname", "same_building", "shared_ip", "dotted_address",
)
RELATIONS: tuple[str, ...] = ("spouse", "partner", "child", "parent", "sibling", "other")

OPENS = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
PERIOD = timedelta(days=28)

# Shares of the entries, and how each share splits.
POSITIVE_SHARE = 0.02
NEGATIVE_SHARE = 0.02
KIND_SHARES = {"employee": 0.15, "relative": 0.20, "household": 0.12, "proxy": 0.25,
               "duplicate": 0.28}
NEGATIVE_SHARES = {"namesake": 0.18, "common_surname": 0.20, "same_building": 0.18,
                   "shared_ip": 0.22, "dotted_address": 0.22}
MINIMUM_PER_KIND = 4

_LOCALES = {"RU": "ru_RU", "UA": "uk_UA", "US": "en_US"}
_OFFSETS = {"RU": (3,), "UA": (2,), "US": (-5, -6, -8)}
_ENTRANT_COUNTRIES = {"RU": 45, "UA": 20, "US": 35}
_STAFF_COUNTRIES = {"RU": 50, "UA": 25, "US": 25}

# Very common surnames; some staff members are given one so that hard negatives can share it.
_COMMON_SURNAMES = {
    "RU": ("Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров"),
    "UA": ("Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Мельник", "Бойко"),
    "US": ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller"),
}
# Faker's ru_RU surnames all end in -ов/-ев/-ин; these add the adjectival kind.
_RU_ADJECTIVAL_SURNAMES = (
    "Петровский", "Вишневский", "Соколовский", "Высоцкий", "Покровский", "Троицкий",
    "Успенский", "Белецкий", "Толстой", "Донской", "Луговской", "Яблонский",
)

_RU_MOBILE = tuple(k for k in range(900, 1000) if k not in (930, 940, 970, 971, 972, 973, 974,
                                                             975, 976, 990))
_UA_MOBILE = (39, 50, 63, 66, 67, 68, 73, 93, 95, 96, 97, 98, 99)
_US_AREAS = (201, 202, 212, 213, 305, 310, 312, 404, 415, 469, 503, 512, 602, 617, 646, 702,
             713, 718, 773, 786, 818, 917, 929)
_RU_LANDLINE = (495, 499, 812, 343, 383)
_UA_LANDLINE = (44, 57, 48)

_HOME_NETWORKS = {
    "RU": (5, 31, 37, 46, 77, 78, 79, 85, 91, 93, 94, 95, 176, 178, 188, 195, 212, 217),
    "UA": (31, 37, 46, 77, 91, 93, 176, 178, 188, 193, 194),
    "US": (23, 24, 50, 64, 66, 67, 68, 69, 71, 72, 73, 74, 75, 76, 98, 99, 104, 107, 173),
}
# Public addresses of carrier-grade NAT gateways: hundreds of strangers behind each.
_CARRIER_NETWORKS = {
    "RU": ("176.59", "85.26", "213.87", "31.173"),
    "UA": ("46.211", "46.133", "37.73"),
    "US": ("172.56", "172.58", "174.205"),
}

_EMAIL_DOMAINS = {
    "RU": {"mail.ru": 28, "gmail.com": 20, "yandex.ru": 20, "bk.ru": 6, "list.ru": 6,
           "inbox.ru": 6, "rambler.ru": 6, "ya.ru": 3},
    "UA": {"gmail.com": 38, "ukr.net": 30, "i.ua": 10, "meta.ua": 6, "yandex.ru": 6,
           "mail.ru": 5},
    "US": {"gmail.com": 45, "yahoo.com": 20, "hotmail.com": 10, "outlook.com": 10,
           "icloud.com": 8, "aol.com": 5},
}
_DOTTED_DOMAINS = ("mail.ru", "bk.ru", "ukr.net", "list.ru", "inbox.ru")
_YANDEX_DOMAINS = ("yandex.ru", "ya.ru", "yandex.com")
# Mailboxes that are one mailbox under several names, folded for collision checks.
_DOMAIN_FAMILY = {"googlemail.com": "gmail.com", "ya.ru": "yandex.ru", "yandex.com": "yandex.ru"}

_DEPARTMENTS = {
    "RU": ("Маркетинг", "Продажи", "ИТ", "Логистика", "Финансы", "Служба персонала",
           "Юридический отдел", "Клиентский сервис"),
    "UA": ("Маркетинг", "Продажі", "ІТ", "Логістика", "Фінанси", "Відділ кадрів"),
    "US": ("Marketing", "Sales", "IT", "Logistics", "Finance", "HR", "Legal",
           "Customer Support"),
}

# Street kinds: the full word and its abbreviations as people write them.
_STREET_KINDS: dict[str, tuple[tuple[str, tuple[str, ...], int], ...]] = {
    "RU": (("улица", ("ул.", "ул"), 60), ("проспект", ("пр-т", "просп."), 12),
           ("переулок", ("пер.", "пер"), 10), ("бульвар", ("б-р", "бул."), 8),
           ("шоссе", ("ш.",), 5), ("набережная", ("наб.",), 5)),
    "UA": (("вулиця", ("вул.", "вул"), 65), ("проспект", ("просп.", "пр-т"), 12),
           ("провулок", ("пров.",), 10), ("бульвар", ("бульв.", "б-р"), 8),
           ("площа", ("пл.",), 5)),
    "US": (("Street", ("St", "St."), 35), ("Avenue", ("Ave", "Ave."), 20),
           ("Road", ("Rd", "Rd."), 12), ("Drive", ("Dr", "Dr."), 12), ("Lane", ("Ln",), 8),
           ("Boulevard", ("Blvd",), 5), ("Court", ("Ct",), 4), ("Place", ("Pl",), 4)),
}
_STREET_KIND_WEIGHTS = {country: list(accumulate(kind[2] for kind in kinds))
                        for country, kinds in _STREET_KINDS.items()}
_CONTACT_SHARES = {"both": 55, "email": 30, "phone": 15}
_HOUSE_WORDS = {"RU": ("д. ", "д.", "дом ", ""), "UA": ("буд. ", "буд.", "будинок ", "")}
_FLAT_WORDS = {"RU": ("кв. ", "кв.", "квартира ", "кв "),
               "UA": ("кв. ", "кв.", "квартира ", "кв ")}
_UNIT_WORDS = (" Apt {0}", " Apt. {0}", ", Apt {0}", " #{0}", " # {0}", ", #{0}", " Unit {0}",
               " Suite {0}", ", Suite {0}")

_LATIN = "abcdefghijklmnopqrstuvwxyz"
_CYRILLIC = {"ru": "абвгдежзиклмнопрстуфхцчшыэюя", "uk": "абвгдежзиіклмнопрстуфхцчшюя"}
_WORD = re.compile(r"[^\W\d_]+")


# --- Transliteration -----------------------------------------------------------------------
# Three ways each of writing Russian and Ukrainian names in Latin letters, as they reach
# promo sites: passports (ICAO Doc 9303), BGN/PCGN or the Ukrainian national system of 2010
# (resolution 55 of the Cabinet of Ministers), and informal spelling (Yulia, Alexey, Haritonov).

@dataclass(frozen=True)
class _Romanisation:
    letters: dict[str, str]
    initial: dict[str, str]        # at the start of a word
    after_vowel: dict[str, str]    # after a vowel or a soft/hard sign
    final: tuple[tuple[str, str], ...] = ()    # word endings, tried first
    clusters: tuple[tuple[str, str], ...] = ()  # letter pairs anywhere


_RU_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_RU_ICAO = dict(zip(_RU_LETTERS, (
    "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch ie y - e iu ia").split(),
    strict=True))
_RU_BGN = _RU_ICAO | {"й": "y", "ъ": "-", "ю": "yu", "я": "ya"}
_RU_INFORMAL = _RU_BGN | {"ё": "yo", "х": "h", "щ": "sch"}
_UK_LETTERS = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяʼ'"
_UK_ICAO = dict(zip(_UK_LETTERS, (
    "a b v h g d e ie zh z y i i i k l m n o p r s t u f kh ts ch sh shch - iu ia - -").split(),
    strict=True))
_UK_INFORMAL = _UK_ICAO | {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_RU_VOWELS = frozenset("аеёиоуыэюяъь")
_UK_VOWELS = frozenset("аеєиіїоуюяьʼ'")

_ROMANISATIONS: dict[str, dict[str, _Romanisation]] = {
    "ru": {
        "icao": _Romanisation(_RU_ICAO, {}, {}),
        "bgn": _Romanisation(_RU_BGN, {"е": "ye", "ё": "ye"}, {"е": "ye", "ё": "ye"}),
        "informal": _Romanisation(_RU_INFORMAL, {}, {},
                                  final=(("ия", "ia"), ("ий", "y"), ("ый", "y")),
                                  clusters=(("кс", "x"),)),
    },
    "uk": {
        "icao": _Romanisation(_UK_ICAO, {}, {}),
        "national": _Romanisation(_UK_ICAO, {"є": "ye", "ї": "yi", "й": "y", "ю": "yu",
                                             "я": "ya"}, {}, clusters=(("зг", "zgh"),)),
        "informal": _Romanisation(_UK_INFORMAL, {}, {}, final=(("ія", "ia"), ("ий", "y"))),
    },
}


def _romanise_word(word: str, system: _Romanisation, vowels: frozenset[str]) -> str:
    lower = word.lower()
    out: list[str] = []
    i = 0
    while i < len(lower):
        for ending, latin in system.final:
            if lower.endswith(ending) and i == len(lower) - len(ending):
                out.append(latin)
                i = len(lower)
                break
        else:
            for cluster, latin in system.clusters:
                if lower.startswith(cluster, i):
                    out.append(latin)
                    i += len(cluster)
                    break
            else:
                letter = lower[i]
                if i == 0 and letter in system.initial:
                    out.append(system.initial[letter])
                elif i > 0 and lower[i - 1] in vowels and letter in system.after_vowel:
                    out.append(system.after_vowel[letter])
                else:
                    out.append(system.letters.get(letter, letter))
                i += 1
    latin = "".join(out).replace("-", "")
    if len(word) > 1 and word.isupper():
        return latin.upper()
    return latin.capitalize() if word[:1].isupper() else latin


@cache
def _romanised(word: str, language: str, system: str) -> str:
    # Names come from small pools: the same words are romanised again and again.
    return _romanise_word(word, _ROMANISATIONS[language][system],
                          _RU_VOWELS if language == "ru" else _UK_VOWELS)


def transliterate(text: str, language: str, system: str) -> str:
    """``text`` in Latin letters: ``language`` "ru" or "uk", ``system`` one of
    :func:`romanisations` (``transliterate("Юлия", "ru", "bgn") == "Yuliya"``)."""
    return _WORD.sub(lambda match: _romanised(match.group(), language, system), text)


def romanisations(language: str) -> tuple[str, ...]:
    return tuple(_ROMANISATIONS[language])


def feminine_surname(surname: str, language: str) -> str:
    """The female form of a male surname (Иванов → Иванова, Петровский → Петровская,
    Ковальський → Ковальська); surnames without gender (Шевченко, Smith) come back as is."""
    if language == "ru":
        for male, female in (("ский", "ская"), ("цкий", "цкая"), ("ской", "ская"),
                             ("ый", "ая"), ("ой", "ая")):
            if surname.endswith(male):
                return surname[: -len(male)] + female
        if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
            return surname + "а"
    elif language == "uk":
        for male, female in (("ський", "ська"), ("цький", "цька"), ("зький", "зька")):
            if surname.endswith(male):
                return surname[: -len(male)] + female
        if surname.endswith("ий") and len(surname) > 4:
            return surname[:-2] + "а"
        if surname.endswith("ній"):
            return surname[:-2] + "я"
        if surname.endswith(("ов", "ев", "єв", "шин", "чин", "їн")):
            return surname + "а"
    return surname


# --- The people behind the rows ------------------------------------------------------------

@dataclass(frozen=True)
class _Person:
    first: str
    middle: str        # patronymic (ru/uk) or middle name (en); may be empty
    surname_base: str  # the male form; see ``surname``
    gender: str        # "m" or "f"
    country: str
    birth_date: date

    @property
    def language(self) -> str:
        return {"RU": "ru", "UA": "uk"}.get(self.country, "en")

    @property
    def surname(self) -> str:
        if self.gender == "f":
            return feminine_surname(self.surname_base, self.language)
        return self.surname_base

    def family_forms(self) -> frozenset[str]:
        return frozenset({self.surname_base,
                          feminine_surname(self.surname_base, self.language)})


@dataclass(frozen=True)
class _Address:
    country: str
    city: str
    postal_code: str
    street_kind: int
    street: str
    house: str
    flat: str

    def building(self) -> tuple[str, str, str, str]:
        return self.country, self.city, self.street, self.house


@dataclass(frozen=True)
class _Staff:
    staff_id: str
    person: _Person
    home: _Address | None
    personal_email: str
    work_email: str
    personal_phone: str  # E.164
    work_phone: str
    company: str
    department: str
    home_ip: str


@dataclass(frozen=True)
class _Relative:
    staff: _Staff
    person: _Person
    relation: str
    email: str
    phone: str
    address: _Address | None


@dataclass(frozen=True)
class _Entry:
    moment: datetime
    full_name: str
    email: str = ""
    phone: str = ""
    birth_date: str = ""
    address: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = ""
    ip: str = ""
    device_id: str = ""
    social_handle: str = ""


@dataclass(frozen=True)
class _Plant:
    """A label before entry ids exist: entries are referred to by their draft index."""

    index: int
    kind: str
    staff_id: str = ""
    original: int | None = None  # duplicates: the draft index of the earliest entry
    note: str = ""
    via: int | None = None       # chained proxies: the entry whose device they share


@dataclass(frozen=True)
class Population:
    """The generated files as rows (``dict`` keyed by the CSV columns), in file order; a
    relative's row also has ``birth_date``, which relatives.csv leaves out."""

    entries: list[dict[str, str]]
    staff: list[dict[str, str]]
    relatives: list[dict[str, str]]
    labels: list[dict[str, str]]

    def label_counts(self) -> Counter[str]:
        """Planted positives per kind and hard negatives per note (``clean:<note>``)."""
        return Counter(label["kind"] if label["kind"] != "clean" else f"clean:{label['note']}"
                       for label in self.labels)


def _split(total: int, shares: dict[str, float]) -> dict[str, int]:
    return {name: max(MINIMUM_PER_KIND, round(total * share)) for name, share in shares.items()}


def _pools(faker: Faker, country: str) -> dict[str, tuple[str, ...]]:
    # Drawing pools once keeps Faker's frequencies and is far faster than a call per row.
    size = 1000
    pools = {
        "first_m": [faker.first_name_male() for _ in range(size)],
        "first_f": [faker.first_name_female() for _ in range(size)],
        "surname": [faker.last_name_male() for _ in range(size)],
        "city": [faker.city_name() if country != "US" else faker.city()
                 for _ in range(400)],
        "postcode": [faker.postcode() for _ in range(400)],
        "company": [faker.company() for _ in range(5)],
    }
    if country == "US":
        pools["street"] = [faker.last_name() for _ in range(600)]
        pools["middle_m"] = pools["first_m"]
        pools["middle_f"] = pools["first_f"]
    else:
        pools["street"] = [(faker.street_title() if country == "RU" else faker.street_name())
                           for _ in range(600)]
        pools["middle_m"] = [faker.middle_name_male() for _ in range(size)]
        pools["middle_f"] = [faker.middle_name_female() for _ in range(size)]
    if country == "RU":
        pools["surname"] += list(_RU_ADJECTIVAL_SURNAMES) * (size // 10 //
                                                              len(_RU_ADJECTIVAL_SURNAMES))
    return {name: tuple(pool) for name, pool in pools.items()}


@cache
def _faker_pools(seed: int) -> dict[str, dict[str, tuple[str, ...]]]:
    """Per country, names, streets, cities and companies from Faker seeded with ``seed``."""
    pools = {}
    for country, locale in _LOCALES.items():
        faker = Faker(locale)
        faker.seed_instance(seed)
        pools[country] = _pools(faker, country)
    return pools


class _Generator:
    """Draws people, addresses and contacts, and keeps unrelated people from colliding."""

    def __init__(self, seed: int) -> None:
        self.rng = Random(seed)
        self.pools = _faker_pools(seed)
        self._cumulative: dict[int, tuple[list[str], list[int]]] = {}
        self.emails: set[tuple[str, str]] = set()
        self.phones: set[str] = set()
        self.handles: set[str] = set()
        self.staff_buildings: set[tuple[str, str, str, str]] = set()
        self.carrier_ips = {
            country: [f"{self.rng.choice(networks)}.{self.rng.randrange(256)}."
                      f"{self.rng.randrange(1, 255)}" for _ in range(12)]
            for country, networks in _CARRIER_NETWORKS.items()
        }
        self.carrier_set = frozenset(ip for ips in self.carrier_ips.values() for ip in ips)
        self.entries: list[_Entry] = []
        self.plants: list[_Plant] = []

    # People ---------------------------------------------------------------------------------

    def pick(self, weights: dict[str, int]) -> str:
        """A key of ``weights`` (one of this module's constants), in proportion to its value."""
        drawn = self._cumulative.get(id(weights))
        if drawn is None:
            drawn = self._cumulative[id(weights)] = (list(weights),
                                                     list(accumulate(weights.values())))
        return self.rng.choices(drawn[0], cum_weights=drawn[1])[0]

    def birth_date(self, youngest: int = 18, oldest: int = 75) -> date:
        today = OPENS.date()
        days = self.rng.randint(youngest * 366, oldest * 365)
        return max(today - timedelta(days=days), date(1920, 1, 1))

    def person(self, country: str, *, gender: str | None = None, surname: str | None = None,
               birth_date: date | None = None, avoid: frozenset[str] = frozenset()) -> _Person:
        pools = self.pools[country]
        gender = gender or self.rng.choice("mf")
        while surname is None or surname in avoid:
            surname = self.rng.choice(pools["surname"])
            if feminine_surname(surname, {"RU": "ru", "UA": "uk"}.get(country, "en")) in avoid:
                surname = None
        return _Person(
            first=self.rng.choice(pools[f"first_{gender}"]),
            middle=self.rng.choice(pools[f"middle_{gender}"]),
            surname_base=surname, gender=gender, country=country,
            birth_date=birth_date or self.birth_date(),
        )

    # Places ---------------------------------------------------------------------------------

    def address(self, country: str, *, flat_share: float, near: _Address | None = None) -> _Address:
        """A new address (in the city of ``near`` if given), never in a staff member's
        building: those are planted on purpose."""
        pools = self.pools[country]
        kinds = _STREET_KINDS[country]
        while True:
            house = str(self.rng.randint(1, 160) if country != "US" else self.rng.randint(1, 9800))
            if country != "US" and self.rng.random() < 0.08:
                house += f"/{self.rng.randint(1, 9)}"
            address = _Address(
                country=country,
                city=near.city if near else self.rng.choice(pools["city"]),
                postal_code=near.postal_code if near else self.rng.choice(pools["postcode"]),
                street_kind=self.rng.choices(range(len(kinds)),
                                             cum_weights=_STREET_KIND_WEIGHTS[country])[0],
                street=self.rng.choice(pools["street"]),
                house=house,
                flat=str(self.rng.randint(1, 300)) if self.rng.random() < flat_share else "",
            )
            if address.building() not in self.staff_buildings:
                return address

    def flat_share(self, country: str) -> float:
        return 0.45 if country == "US" else 0.85

    def address_text(self, address: _Address) -> str:
        """The address as one person writes it: the abbreviations, order and punctuation vary."""
        rng = self.rng
        full, abbreviations, _ = _STREET_KINDS[address.country][address.street_kind]
        kind = full if rng.random() < 0.35 else rng.choice(abbreviations)
        if address.country == "US":
            text = f"{address.house} {address.street} {kind}"
            if address.flat:
                text += rng.choice(_UNIT_WORDS).format(address.flat)
        else:
            street = (f"{kind} {address.street}" if rng.random() < 0.8
                      else f"{address.street} {kind}")
            separator = rng.choice((", ", ", ", " ", ","))
            text = f"{street}{separator}{rng.choice(_HOUSE_WORDS[address.country])}{address.house}"
            if address.flat:
                text += f"{separator}{rng.choice(_FLAT_WORDS[address.country])}{address.flat}"
        roll = rng.random()
        if roll < 0.06:
            return text.upper()
        if roll < 0.1:
            return text.lower()
        return text

    # Contacts -------------------------------------------------------------------------------

    def mobile(self, country: str) -> str:
        while True:
            if country == "RU":
                number = f"+7{self.rng.choice(_RU_MOBILE)}{self.rng.randrange(10**7):07d}"
            elif country == "UA":
                number = f"+380{self.rng.choice(_UA_MOBILE)}{self.rng.randrange(10**7):07d}"
            else:
                number = (f"+1{self.rng.choice(_US_AREAS)}{self.rng.randint(200, 999)}"
                          f"{self.rng.randrange(10**4):04d}")
                if number[6:8] == "11" or number[5:8] == "555":  # N11 codes, fictional 555
                    continue
            if number not in self.phones:
                self.phones.add(number)
                return number

    def landline(self, country: str) -> str:
        if country == "US":
            return self.mobile(country)
        while True:
            if country == "RU":
                number = f"+7{self.rng.choice(_RU_LANDLINE)}{self.rng.randrange(10**7):07d}"
            else:
                number = f"+380{self.rng.choice(_UA_LANDLINE)}{self.rng.randrange(10**7):07d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def phone_text(self, number: str, entry_country: str) -> str:
        """``number`` (E.164) as people type it; national forms only in its own country."""
        rng = self.rng
        if number.startswith("+7"):
            country, code, rest = "RU", number[2:5], number[5:]
            shapes = [f"8 ({code}) {rest[:3]}-{rest[3:5]}-{rest[5:]}",
                      f"+7 {code} {rest[:3]} {rest[3:]}", f"7{code}{rest}",
                      f"8-{code}-{rest[:3]}-{rest[3:5]}-{rest[5:]}", f"8{code}{rest}",
                      f"+7 ({code}) {rest[:3]}-{rest[3:5]}-{rest[5:]}", number]
            international = [f"+7 {code} {rest[:3]} {rest[3:]}", number,
                             f"+7 ({code}) {rest[:3]}-{rest[3:5]}-{rest[5:]}"]
        elif number.startswith("+380"):
            country, code, rest = "UA", number[4:6], number[6:]
            shapes = [f"0{code} {rest[:3]} {rest[3:]}", number,
                      f"+380 {code} {rest[:3]} {rest[3:5]} {rest[5:]}",
                      f"(0{code}) {rest[:3]}-{rest[3:5]}-{rest[5:]}", f"380{code}{rest}",
                      f"0{code}{rest}"]
            international = [number, f"+380 {code} {rest[:3]} {rest[3:5]} {rest[5:]}"]
        else:
            country, code, rest = "US", number[2:5], number[5:]
            shapes = [f"({code}) {rest[:3]}-{rest[3:]}", f"1-{code}-{rest[:3]}-{rest[3:]}",
                      f"+1 {code} {rest[:3]} {rest[3:]}", f"{code}-{rest[:3]}-{rest[3:]}",
                      f"{code}.{rest[:3]}.{rest[3:]}", number]
            international = [f"+1 {code} {rest[:3]} {rest[3:]}", number,
                             f"+1 ({code}) {rest[:3]}-{rest[3:]}"]
        return rng.choice(shapes if country == entry_country else international)

    def other_phone_text(self, number: str, entry_country: str, written: str) -> str:
        """The same number in a different shape than ``written``."""
        for _ in range(20):
            text = self.phone_text(number, entry_country)
            if text != written:
                return text
        return number if written != number else f"{number[:-7]} {number[-7:]}"

    def login(self, person: _Person, *, separators: str = "._-", digits: bool = True) -> str:
        if person.language == "en":
            first, surname = person.first.lower(), person.surname.lower()
        else:
            system = self.rng.choice(("informal", "informal", romanisations(person.language)[0]))
            first = transliterate(person.first, person.language, system).lower()
            surname = transliterate(person.surname, person.language, system).lower()
        first = re.sub(r"[^a-z]", "", first) or "user"
        surname = re.sub(r"[^a-z]", "", surname) or "user"
        separator = "" if self.rng.random() < 0.25 else self.rng.choice(separators)
        shape = self.rng.randrange(5)
        login = [f"{first}{separator}{surname}", f"{surname}{separator}{first}",
                 f"{first[0]}{separator}{surname}", f"{first}{separator}{surname[0]}",
                 f"{surname}{separator}{first[0]}"][shape]
        if digits and self.rng.random() < 0.8:
            login += self.rng.choice((str(person.birth_date.year),
                                      f"{person.birth_date.year % 100:02d}",
                                      str(self.rng.randint(1, 999))))
        return login

    @staticmethod
    def mailbox_key(email: str) -> tuple[str, str]:
        """Strict fold: no two unrelated people may get addresses this close."""
        local, _, domain = email.lower().partition("@")
        local = re.sub(r"[._-]", "", local.split("+")[0])
        return local, _DOMAIN_FAMILY.get(domain, domain)

    def email(self, person: _Person, *, domain: str | None = None) -> str:
        domain = domain or self.country_domain(person.country)
        separators = "." if domain in ("gmail.com", "googlemail.com") else "._-"
        for attempt in range(100):
            login = self.login(person, separators=separators)
            if attempt > 3:
                login += str(self.rng.randint(10, 99999))
            email = f"{login}@{domain}"
            key = self.mailbox_key(email)
            if key not in self.emails:
                self.emails.add(key)
                return email
        raise AssertionError(f"no free mailbox for {person} after 100 tries")

    def country_domain(self, country: str) -> str:
        return self.pick(_EMAIL_DOMAINS[country])

    def handle(self, person: _Person) -> str:
        while True:
            handle = "@" + self.login(person, separators="._")
            if handle.lower() not in self.handles:
                self.handles.add(handle.lower())
                return handle

    def device(self) -> str:
        if self.rng.random() < 0.55:
            device = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
            return device.upper() if self.rng.random() < 0.5 else device
        return f"{self.rng.getrandbits(64):016x}"

    def ip(self, country: str) -> str:
        if self.rng.random() < 0.08:
            return f"2a02:{self.rng.randrange(1, 0xffff):x}:{self.rng.randrange(0xffff):x}:" \
                   f"{self.rng.randrange(0xffff):x}::{self.rng.randrange(1, 0xffff):x}"
        return (f"{self.rng.choice(_HOME_NETWORKS[country])}.{self.rng.randrange(256)}."
                f"{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}")

    def carrier_ip(self, country: str) -> str:
        return self.rng.choice(self.carrier_ips[country])

    def entrant_ip(self, country: str) -> str:
        return self.carrier_ip(country) if self.rng.random() < 0.09 else self.ip(country)

    # Names ----------------------------------------------------------------------------------

    def name_text(self, person: _Person, *, noisy: bool, middle: bool | None = None) -> str:
        """The name as the entrant typed it; ``noisy`` for planted people, whose names are
        written differently from the staff list on purpose."""
        rng = self.rng
        first, surname, patronymic = person.first, person.surname, person.middle
        language = person.language
        if language == "en":
            middle_text = f"{patronymic[0]}." if patronymic else ""
            with_middle = middle if middle is not None else rng.random() < (0.3 if noisy else 0.1)
            parts = [first, middle_text, surname] if with_middle else [first, surname]
            if noisy and rng.random() < 0.2:
                parts = [f"{surname},", first]
            text = " ".join(parts)
        else:
            with_middle = middle if middle is not None else rng.random() < (0.35 if noisy else 0.08)
            order = rng.random()
            if with_middle:
                parts = ([surname, first, patronymic] if order < (0.7 if noisy else 0.5)
                         else [first, patronymic, surname])
            else:
                parts = [surname, first] if order < (0.3 if noisy else 0.1) else [first, surname]
            text = " ".join(parts)
            if rng.random() < (0.45 if noisy else 0.12):
                text = transliterate(text, language, rng.choice(romanisations(language)))
        if noisy:
            roll = rng.random()
            if roll < 0.25:
                text = self.typo(text, language)
            roll = rng.random()
            if roll < 0.12:
                text = text.upper()
            elif roll < 0.2:
                text = text.lower()
            elif roll < 0.25:
                words = text.split(" ")
                text = " ".join(w.upper() if w.rstrip(",") == surname else w for w in words)
        return text

    def typo(self, text: str, language: str) -> str:
        """One letter wrong, missing, doubled or swapped with the next, never the first."""
        words = text.split(" ")
        candidates = [i for i, word in enumerate(words) if len(word) >= 4 and word.isalpha()]
        if not candidates:
            return text
        position = self.rng.choice(candidates)
        word = words[position]
        i = self.rng.randrange(1, len(word) - 1)
        operation = self.rng.randrange(4)
        if operation == 0:
            alphabet = _LATIN if word[i].lower() in _LATIN else _CYRILLIC.get(language, _LATIN)
            letter = self.rng.choice([a for a in alphabet if a != word[i].lower()])
            word = word[:i] + (letter.upper() if word[i].isupper() else letter) + word[i + 1:]
        elif operation == 1:
            word = word[:i] + word[i + 1:]
        elif operation == 2:
            word = word[:i] + word[i] + word[i:]
        elif word[i] != word[i + 1]:
            word = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        else:
            word = word[:i] + word[i + 1:]
        words[position] = word
        return " ".join(words)

    # Entries --------------------------------------------------------------------------------

    def moment(self, *, after: datetime | None = None, early: bool = False) -> datetime:
        if after is not None:
            # Strictly later, and inside the entry period unless ``after`` is its last second.
            span = max(1, min(int((OPENS + PERIOD - after).total_seconds()) - 1, 7 * 86400))
            return after + timedelta(seconds=self.rng.randint(min(120, span), span))
        span = int(PERIOD.total_seconds() * (0.85 if early else 1.0))
        return OPENS + timedelta(seconds=self.rng.randrange(span))

    def add(self, entry: _Entry) -> int:
        if not entry.email and not entry.phone:
            raise AssertionError(f"entry without email or phone: {entry}")
        self.entries.append(entry)
        return len(self.entries) - 1

    def plant(self, index: int, kind: str, *, staff_id: str = "", original: int | None = None,
              note: str = "", via: int | None = None) -> None:
        self.plants.append(_Plant(index, kind, staff_id, original, note, via))

    def entrant(self, person: _Person, *, moment: datetime | None = None,
                address: _Address | None = None, contacts: str | None = None,
                email_domain: str | None = None, device_share: float = 0.7,
                name: str | None = None, ip: str | None = None) -> _Entry:
        """A clean entry for ``person`` with fresh contacts; ``contacts`` is "both", "email"
        or "phone" (social-network exports often carry only one)."""
        rng = self.rng
        country = person.country
        if contacts is None:
            contacts = self.pick(_CONTACT_SHARES)
        if address is None and rng.random() < 0.65:
            address = self.address(country, flat_share=self.flat_share(country))
        return _Entry(
            moment=moment or self.moment(),
            full_name=name or self.name_text(person, noisy=False),
            email=self.email(person, domain=email_domain) if contacts != "phone" else "",
            phone=(self.phone_text(self.mobile(country), country) if contacts != "email"
                   else ""),
            birth_date=person.birth_date.isoformat(),
            address=self.address_text(address) if address else "",
            city=address.city if address else "",
            postal_code=address.postal_code if address else "",
            country=country,
            ip=ip or self.entrant_ip(country),
            device_id=self.device() if rng.random() < device_share else "",
            social_handle=self.handle(person) if rng.random() < 0.3 else "",
        )

    def at_home(self, entry: _Entry, home: _Address) -> _Entry:
        return replace(entry, address=self.address_text(home), city=home.city,
                       postal_code=home.postal_code, country=home.country)


def _staff_row(generator: _Generator, staff: _Staff) -> dict[str, str]:
    rng = generator.rng
    person = staff.person
    if person.language == "en":
        full_name = (f"{person.surname}, {person.first}" if rng.random() < 0.3
                     else f"{person.first} {person.middle[0]}. {person.surname}"
                     if rng.random() < 0.3 else f"{person.first} {person.surname}")
    elif rng.random() < 0.55:
        full_name = f"{person.surname} {person.first} {person.middle}"
    else:
        full_name = f"{person.first} {person.surname}"
    emails = [e for e in (staff.work_email, staff.personal_email) if e]
    phones = [generator.phone_text(p, person.country)
              for p in (staff.work_phone, staff.personal_phone) if p]
    if rng.random() < 0.3:
        emails.reverse()
        phones.reverse()
    home = staff.home
    return {
        "staff_id": staff.staff_id, "full_name": full_name, "email": ";".join(emails),
        "phone": ";".join(phones), "birth_date": person.birth_date.isoformat(),
        "address": generator.address_text(home) if home else "",
        "city": home.city if home else "", "postal_code": home.postal_code if home else "",
        "country": person.country, "department": staff.department, "company": staff.company,
        "account": "",
    }


def _relative_row(generator: _Generator, relative: _Relative) -> dict[str, str]:
    person = relative.person
    if person.language != "en" and generator.rng.random() < 0.4:
        full_name = f"{person.surname} {person.first} {person.middle}"
    else:
        full_name = f"{person.first} {person.surname}"
    address = relative.address
    return {
        "staff_id": relative.staff.staff_id, "full_name": full_name,
        "relation": relative.relation, "email": relative.email,
        "phone": generator.phone_text(relative.phone, person.country) if relative.phone else "",
        "address": generator.address_text(address) if address else "",
        "city": address.city if address else "",
        "postal_code": address.postal_code if address else "",
        "country": address.country if address else "",
        # Not a column of relatives.csv: the messy workbook (bench/messy_files.py) has it.
        "birth_date": person.birth_date.isoformat(),
    }


def _company_domain(company: str, country: str) -> str:
    words = [w for w in re.findall(r"[^\W\d_]+", company) if len(w) > 2]
    word = max(words, key=len) if words else "company"
    if country != "US":
        word = transliterate(word, "ru" if country == "RU" else "uk", "informal")
    slug = re.sub(r"[^a-z]", "", word.lower()) or "company"
    zone = {"RU": "ru", "UA": "com.ua"}.get(country, "com")
    return f"{slug}.{zone}"


def _make_staff(generator: _Generator, count: int) -> list[_Staff]:
    rng = generator.rng
    companies = {country: generator.pools[country]["company"][0] for country in _LOCALES}
    agency = generator.pools["RU"]["company"][1]
    width = max(4, len(str(count)))
    members: list[_Staff] = []
    for number in range(1, count + 1):
        country = generator.pick(_STAFF_COUNTRIES)
        surname = rng.choice(_COMMON_SURNAMES[country]) if rng.random() < 0.12 else None
        person = generator.person(country, surname=surname,
                                  birth_date=generator.birth_date(22, 64))
        home = (generator.address(country, flat_share=0.9 if country != "US" else 0.6)
                if rng.random() < 0.95 else None)
        if home is not None:
            generator.staff_buildings.add(home.building())
        company = companies[country] if rng.random() < 0.8 else agency
        company_country = country if company == companies[country] else "RU"
        local = generator.login(person, separators=".", digits=False)
        work_email = f"{local}@{_company_domain(company, company_country)}"
        while generator.mailbox_key(work_email) in generator.emails:
            work_email = f"{local}{rng.randint(2, 99)}@{work_email.partition('@')[2]}"
        generator.emails.add(generator.mailbox_key(work_email))
        members.append(_Staff(
            staff_id=f"s{number:0{width}d}", person=person, home=home,
            personal_email=generator.email(person) if rng.random() < 0.85 else "",
            work_email=work_email if rng.random() < 0.95 else "",
            personal_phone=generator.mobile(country) if rng.random() < 0.92 else "",
            work_phone=generator.landline(country) if rng.random() < 0.6 else "",
            company=company, department=rng.choice(_DEPARTMENTS[country]),
            home_ip=generator.ip(country),
        ))
    return members


def _make_relatives(generator: _Generator, staff: Sequence[_Staff]) -> list[_Relative]:
    rng = generator.rng
    relatives: list[_Relative] = []
    for member in staff:
        own = member.person
        age = (OPENS.date() - own.birth_date).days // 365
        declared: list[str] = []
        for _ in range(rng.choices((0, 1, 2, 3), (30, 35, 25, 10))[0]):
            relation = rng.choices(RELATIONS, (35, 8, 22, 18, 12, 5))[0]
            # One spouse or partner, two parents at most.
            if (relation in ("spouse", "partner") and {"spouse", "partner"} & set(declared)
                    or relation == "parent" and declared.count("parent") == 2):
                relation = rng.choice(("child", "sibling", "other"))
            declared.append(relation)
            gender = rng.choice("mf")
            if relation == "spouse" and rng.random() < 0.95:
                gender = "f" if own.gender == "m" else "m"
            family = (relation in ("child", "parent", "sibling") and rng.random() < 0.92
                      or relation == "spouse" and rng.random() < 0.85
                      or relation == "other" and rng.random() < 0.4)
            years = {"spouse": (age - 6, age + 6), "partner": (age - 8, age + 8),
                     "child": (age - 38, age - 20), "parent": (age + 20, age + 36),
                     "sibling": (age - 9, age + 9), "other": (18, 80)}[relation]
            low, high = max(1, years[0]), max(2, min(95, years[1]))
            person = generator.person(
                own.country, gender=gender, surname=own.surname_base if family else None,
                birth_date=generator.birth_date(min(low, high - 1), high),
                avoid=frozenset() if family else own.family_forms(),
            )
            together = rng.random() < {"spouse": 0.85, "partner": 0.7, "child": 0.6,
                                       "parent": 0.2, "sibling": 0.1, "other": 0.1}[relation]
            if together and member.home is not None:
                address: _Address | None = member.home if rng.random() < 0.6 else None
            else:
                address = (generator.address(own.country, flat_share=0.8, near=member.home)
                           if rng.random() < 0.3 else None)
            grown = (OPENS.date() - person.birth_date).days >= 14 * 365
            relatives.append(_Relative(
                staff=member, person=person, relation=relation,
                email=generator.email(person) if grown and rng.random() < 0.4 else "",
                phone=generator.mobile(own.country) if grown and rng.random() < 0.55 else "",
                address=address,
            ))
    return relatives


class _Planter:
    """Plants the labelled positives and hard negatives into the generator's entries."""

    def __init__(self, generator: _Generator, staff: list[_Staff],
                 relatives: list[_Relative]) -> None:
        self.g = generator
        self.rng = generator.rng
        self.staff = staff
        self.by_id = {member.staff_id: member for member in staff}
        self.relatives = relatives
        # staff_id -> (entry, its kind) of the staff member's or a relative's entries with a device
        self.device_sources: dict[str, list[tuple[int, str]]] = {}
        self.direct_proxies: list[tuple[str, int]] = []
        self.carrier_positives: list[int] = []

    def _positive_ip(self, member: _Staff, *, home_share: float) -> str:
        roll = self.rng.random()
        if roll < home_share:
            return member.home_ip
        if roll < home_share + 0.4:
            return self.g.carrier_ip(member.person.country)
        return self.g.ip(member.person.country)

    def _add_positive(self, entry: _Entry, kind: str, member: _Staff, note: str,
                      via: int | None = None) -> int:
        index = self.g.add(entry)
        self.g.plant(index, kind, staff_id=member.staff_id, note=note, via=via)
        if entry.ip in self.g.carrier_set:
            self.carrier_positives.append(index)
        if entry.device_id and kind in ("employee", "relative"):
            self.device_sources.setdefault(member.staff_id, []).append((index, kind))
        return index

    def mailbox_alias(self, email: str) -> tuple[str, str]:
        """Another spelling of the same mailbox and what changed."""
        local, _, domain = email.partition("@")
        if domain in ("gmail.com", "googlemail.com"):
            bare = local.replace(".", "")
            for _ in range(10):
                how = self.rng.choice(("dots", "tag", "googlemail", "case"))
                if how == "dots":
                    cut = self.rng.randrange(1, len(bare))
                    alias = f"{bare[:cut]}.{bare[cut:]}@{domain}" if "." not in local \
                        else f"{bare}@{domain}"
                elif how == "tag":
                    tag = self.rng.choice(("promo", "giveaway", "contest", "win", "2026"))
                    alias = f"{local}+{tag}@{domain}"
                elif how == "googlemail":
                    alias = f"{local}@{'gmail.com' if domain != 'gmail.com' else 'googlemail.com'}"
                else:
                    alias = f"{local.capitalize()}@{domain.capitalize()}"
                if alias != email:
                    return alias, f"gmail {how}"
        if domain in _YANDEX_DOMAINS:
            other = self.rng.choice([d for d in _YANDEX_DOMAINS if d != domain])
            if "." in local or "-" in local:
                swapped = local.replace(".", "\0").replace("-", ".").replace("\0", "-")
                if self.rng.random() < 0.6:
                    return f"{swapped}@{domain}", "yandex dash/dot"
                return f"{swapped}@{other}", "yandex dash/dot and domain"
            return f"{local}@{other}", "yandex domain"
        if self.rng.random() < 0.3:
            return email.upper(), "case"
        return f"{local.capitalize()}@{domain.capitalize()}", "case"

    def employees(self, count: int) -> None:
        rng = self.rng
        candidates = [m for m in self.staff if m.personal_email or m.personal_phone
                      or m.work_email]
        for member in rng.sample(candidates, min(count, len(candidates))):
            person = member.person
            country = person.country
            links: list[str] = []
            email = ""
            if member.personal_email and rng.random() < 0.7:
                email = member.personal_email
                links.append("personal email")
                if rng.random() < 0.3:
                    email, how = self.mailbox_alias(email)
                    links[-1] += f" ({how})"
            elif member.work_email and rng.random() < 0.4:
                email = member.work_email
                links.append("work email")
            phone = ""
            if member.personal_phone and (not links or rng.random() < 0.5):
                phone = self.g.phone_text(member.personal_phone, country)
                links.append("personal phone")
            if not email and not phone:
                email = member.work_email or member.personal_email
                links.append("work email" if email == member.work_email else "personal email")
            entry = _Entry(
                moment=self.g.moment(early=True),
                full_name=self.g.name_text(person, noisy=True),
                email=email, phone=phone, birth_date=person.birth_date.isoformat(),
                country=country, ip=self._positive_ip(member, home_share=0.3),
                device_id=self.g.device() if rng.random() < 0.7 else "",
            )
            if member.home is not None and rng.random() < 0.5:
                entry = self.g.at_home(entry, member.home)
                links.append("home address")
            self._add_positive(entry, "employee", member, ", ".join(links))

    def relatives_entering(self, count: int) -> None:
        rng = self.rng
        adult = OPENS.date().replace(year=OPENS.year - 18)
        declared = [r for r in self.relatives
                    if (r.email or r.phone or r.address) and r.person.birth_date <= adult]
        declared_count = min(len(declared), round(count * 0.65))
        for relative in rng.sample(declared, declared_count):
            person, member = relative.person, relative.staff
            links = [name for name, value in (("email", relative.email),
                                              ("phone", relative.phone),
                                              ("address", relative.address)) if value]
            used = rng.sample(links, rng.randint(1, len(links)))
            entry = self.g.entrant(person, moment=self.g.moment(early=True),
                                   name=self.g.name_text(person, noisy=True),
                                   ip=self._positive_ip(member, home_share=0.3))
            entry = replace(entry, address="", city="", postal_code="")
            if "email" in used:
                entry = replace(entry, email=relative.email)
            if "phone" in used:
                entry = replace(entry, phone=self.g.phone_text(relative.phone, person.country))
            if "address" in used and relative.address is not None:
                entry = self.g.at_home(entry, relative.address)
            self._add_positive(entry, "relative", member,
                               f"declared {relative.relation}: {', '.join(sorted(used))}")
        at_home = [m for m in self.staff if m.home is not None]
        for _ in range(count - declared_count):
            member = rng.choice(at_home)
            assert member.home is not None
            own = member.person
            person = own
            while person.first == own.first:
                person = self.g.person(own.country, surname=own.surname_base,
                                       birth_date=self.g.birth_date(18, 80))
            entry = self.g.entrant(person, moment=self.g.moment(early=True),
                                   name=self.g.name_text(person, noisy=True),
                                   ip=self._positive_ip(member, home_share=0.35))
            self._add_positive(self.g.at_home(entry, member.home), "relative", member,
                               "undeclared, family surname at the staff home")

    def households(self, count: int) -> None:
        at_home = [m for m in self.staff if m.home is not None]
        for _ in range(count):
            member = self.rng.choice(at_home)
            assert member.home is not None
            own = member.person
            person = self.g.person(own.country, avoid=own.family_forms())
            entry = self.g.entrant(person, moment=self.g.moment(early=True),
                                   name=self.g.name_text(person, noisy=False),
                                   ip=self._positive_ip(member, home_share=0.35))
            self._add_positive(self.g.at_home(entry, member.home), "household", member,
                               "other surname at the staff home")

    def _stranger(self, member: _Staff) -> _Person:
        """Someone unrelated to ``member``: another surname, another birth date."""
        own = member.person
        country = own.country if self.rng.random() < 0.85 else self.g.pick(
            _ENTRANT_COUNTRIES)
        avoid = own.family_forms() if country == own.country else frozenset()
        while True:
            person = self.g.person(country, avoid=avoid)
            if person.birth_date != own.birth_date:
                return person

    def proxies(self, count: int) -> None:
        rng = self.rng
        plans = rng.choices(("staff phone", "staff email", "relative contact", "device",
                             "chain"), (30, 25, 15, 15, 15), k=count)
        # Chains need their direct proxies first.
        plans.sort(key=lambda plan: plan == "chain")
        with_phone = [m for m in self.staff if m.personal_phone]
        with_email = [m for m in self.staff if m.personal_email]
        contactable = [r for r in self.relatives if r.email or r.phone]
        for plan in plans:
            if plan == "device" and not self.device_sources:
                plan = "staff phone"
            if plan == "chain" and not self.direct_proxies:
                plan = "staff email"
            if plan == "relative contact" and not contactable:
                plan = "staff phone"
            if plan == "staff phone":
                member = rng.choice(with_phone)
                person = self._stranger(member)
                entry = self.g.entrant(person, contacts=rng.choice(("phone", "both")),
                                       moment=self.g.moment(early=True), device_share=0.8)
                entry = replace(entry, phone=self.g.phone_text(member.personal_phone,
                                                               person.country))
                index = self._add_positive(entry, "proxy", member, "staff personal phone")
                self.direct_proxies.append((member.staff_id, index))
            elif plan == "staff email":
                member = rng.choice(with_email)
                person = self._stranger(member)
                email = member.personal_email
                note = "staff personal email"
                if rng.random() < 0.25:
                    email, how = self.mailbox_alias(email)
                    note += f" ({how})"
                entry = self.g.entrant(person, contacts=rng.choice(("email", "both")),
                                       moment=self.g.moment(early=True), device_share=0.8)
                index = self._add_positive(replace(entry, email=email), "proxy", member, note)
                self.direct_proxies.append((member.staff_id, index))
            elif plan == "relative contact":
                relative = rng.choice(contactable)
                member = relative.staff
                person = self._stranger(member)
                entry = self.g.entrant(person, contacts="both")
                if relative.phone and (not relative.email or rng.random() < 0.5):
                    entry = replace(entry, phone=self.g.phone_text(relative.phone,
                                                                   person.country))
                    note = f"{relative.relation}'s phone"
                else:
                    entry = replace(entry, email=relative.email)
                    note = f"{relative.relation}'s email"
                self._add_positive(entry, "proxy", member, note)
            elif plan == "device":
                staff_id = rng.choice(sorted(self.device_sources))
                source, source_kind = rng.choice(self.device_sources[staff_id])
                member = self.by_id[staff_id]
                person = self._stranger(member)
                entry = self.g.entrant(person, moment=self.g.moment(
                    after=self.g.entries[source].moment))
                entry = replace(entry, device_id=self.g.entries[source].device_id)
                self._add_positive(entry, "proxy", member, f"device of the {source_kind} entry",
                                   via=source)
            else:
                staff_id, source = rng.choice(self.direct_proxies)
                if not self.g.entries[source].device_id:
                    self.g.entries[source] = replace(self.g.entries[source],
                                                     device_id=self.g.device())
                member = self.by_id[staff_id]
                person = self._stranger(member)
                entry = self.g.entrant(person, moment=self.g.moment(
                    after=self.g.entries[source].moment))
                entry = replace(entry, device_id=self.g.entries[source].device_id)
                self._add_positive(entry, "proxy", member, "chain: device of a proxy",
                                   via=source)

    def duplicates(self, count: int) -> None:
        rng = self.rng
        planted = 0
        while planted < count:
            country = self.g.pick(_ENTRANT_COUNTRIES)
            person = self.g.person(country)
            how = rng.choices(("gmail", "yandex", "case", "phone", "device"),
                              (30, 12 if country != "US" else 0, 8, 28, 22))[0]
            domain = {"gmail": "gmail.com", "yandex": rng.choice(_YANDEX_DOMAINS)}.get(how)
            home = (self.g.address(country, flat_share=self.g.flat_share(country))
                    if rng.random() < 0.65 else None)
            original = self.g.entrant(
                person, moment=self.g.moment(early=True), email_domain=domain, address=home,
                contacts={"phone": "phone" if rng.random() < 0.5 else "both",
                          "device": "both"}.get(how, "both" if rng.random() < 0.6 else "email"),
                device_share=1.0 if how == "device" else 0.7,
            )
            if how == "phone":
                number = self.g.mobile(country)
                original = replace(original, phone=self.g.phone_text(number, country))
            first = self.g.add(original)
            previous = original
            for _ in range(1 if rng.random() < 0.88 or planted + 1 >= count else 2):
                name = original.full_name if rng.random() < 0.45 else \
                    self.g.name_text(person, noisy=True)
                fresh = self.g.entrant(person, moment=self.g.moment(after=previous.moment),
                                       contacts="email" if how == "phone" else "phone",
                                       name=name)
                if how in ("gmail", "yandex", "case"):
                    email, note = self.mailbox_alias(original.email)
                    if how == "case":
                        email, note = (original.email.upper() if rng.random() < 0.5
                                       else original.email.capitalize()), "mailbox in other case"
                    duplicate = replace(fresh, email=email,
                                        phone=fresh.phone if rng.random() < 0.3 else "")
                elif how == "phone":
                    duplicate = replace(fresh, phone=self.g.other_phone_text(
                        number, country, original.phone),
                        email=fresh.email if rng.random() < 0.4 else "")
                    note = "phone in another format"
                else:
                    duplicate = replace(fresh, device_id=original.device_id)
                    note = "same device, similar name"
                if how != "device" and rng.random() < 0.3:
                    duplicate = replace(duplicate, device_id=original.device_id)
                # The same home written again (maybe differently), left out, or a new one.
                roll = rng.random()
                if home is not None and roll < 0.6:
                    duplicate = self.g.at_home(duplicate, home)
                elif roll < 0.9:
                    duplicate = replace(duplicate, address="", city="", postal_code="")
                index = self.g.add(duplicate)
                written = "as before" if name == original.full_name else "rewritten"
                self.g.plant(index, "duplicate", original=first,
                             note=f"{note}; name {written}")
                previous = duplicate
                planted += 1

    # Hard negatives -------------------------------------------------------------------------

    def _negative(self, entry: _Entry, note: str) -> None:
        self.g.plant(self.g.add(entry), "clean", note=note)

    def namesakes(self, count: int) -> None:
        for _ in range(count):
            member = self.rng.choice(self.staff)
            own = member.person
            while True:
                born = self.g.birth_date(18, 75)
                if abs((born - own.birth_date).days) > 365:
                    break
            person = replace(own, birth_date=born)
            self._negative(self.g.entrant(person, name=self.g.name_text(
                person, noisy=False, middle=self.rng.random() < 0.3)), "namesake")

    def common_surnames(self, count: int) -> None:
        common = [m for m in self.staff
                  if m.person.surname_base in _COMMON_SURNAMES[m.person.country]]
        if not common:
            raise AssertionError("no staff member has a common surname")
        for _ in range(count):
            own = self.rng.choice(common).person
            while True:
                person = self.g.person(own.country, surname=own.surname_base)
                if person.first != own.first and person.birth_date != own.birth_date:
                    break
            self._negative(self.g.entrant(person), "common_surname")

    def neighbours(self, count: int) -> None:
        flats = [m for m in self.staff if m.home is not None and m.home.flat]
        for _ in range(count):
            member = self.rng.choice(flats)
            assert member.home is not None
            home = member.home
            flat = home.flat
            while flat == home.flat:
                flat = str(self.rng.randint(1, 300))
            person = self.g.person(member.person.country, avoid=member.person.family_forms())
            self._negative(self.g.entrant(person, address=replace(home, flat=flat)),
                           "same_building")

    def shared_ips(self, count: int) -> None:
        if not self.carrier_positives:
            raise AssertionError("no planted positive came through a carrier NAT address")
        for _ in range(count):
            source = self.g.entries[self.rng.choice(self.carrier_positives)]
            person = self.g.person(source.country)
            self._negative(self.g.entrant(person, ip=source.ip), "shared_ip")

    def dotted_pairs(self, pairs: int) -> None:
        rng = self.rng
        for _ in range(pairs):
            domain = rng.choice(_DOTTED_DOMAINS)
            country = "UA" if domain == "ukr.net" else "RU"
            first = self.g.person(country)
            while True:
                login = self.g.login(first, separators=".")
                key = self.g.mailbox_key(f"{login}@{domain}")
                if "." in login and key not in self.g.emails:
                    break
            self.g.emails.add(key)
            # Half the time the other mailbox's owner even has the same name.
            second = (replace(first, birth_date=self.g.birth_date()) if rng.random() < 0.5
                      else self.g.person(country))
            for person, email in ((first, f"{login}@{domain}"),
                                  (second, f"{login.replace('.', '')}@{domain}")):
                entry = self.g.entrant(person, contacts=rng.choice(("email", "both")))
                self._negative(replace(entry, email=email), "dotted_address")


def generate(entries: int, staff: int, seed: int) -> Population:
    """A population of ``entries`` entries and ``staff`` staff members, the same for a seed.

    Raises ``ValueError`` when ``entries`` is too small to hold the planted rows."""
    if staff < 20:
        raise ValueError(f"staff is {staff}, expected at least 20")
    kinds = _split(round(entries * POSITIVE_SHARE), KIND_SHARES)
    negatives = _split(round(entries * NEGATIVE_SHARE), NEGATIVE_SHARES)
    kinds["employee"] = min(kinds["employee"], staff // 2)
    # Duplicates come with their originals; the rest of the entries are clean.
    planned = sum(kinds.values()) + kinds["duplicate"] + sum(negatives.values())
    if entries < planned * 2:
        raise ValueError(f"entries is {entries}, expected at least {planned * 2} "
                         f"to hold {planned} planted rows among clean ones")

    generator = _Generator(seed)
    members = _make_staff(generator, staff)
    relatives = _make_relatives(generator, members)
    staff_rows = [_staff_row(generator, member) for member in members]
    relative_rows = [_relative_row(generator, relative) for relative in relatives]

    planter = _Planter(generator, members, relatives)
    planter.employees(kinds["employee"])
    planter.relatives_entering(kinds["relative"])
    planter.households(kinds["household"])
    planter.proxies(kinds["proxy"])
    planter.duplicates(kinds["duplicate"])
    planter.namesakes(negatives["namesake"])
    planter.common_surnames(negatives["common_surname"])
    planter.neighbours(negatives["same_building"])
    planter.shared_ips(negatives["shared_ip"])
    planter.dotted_pairs(max(2, negatives["dotted_address"] // 2))
    while len(generator.entries) < entries:
        person = generator.person(generator.pick(_ENTRANT_COUNTRIES))
        generator.add(generator.entrant(person))
    return _assemble(generator, staff_rows, relative_rows)


def _assemble(generator: _Generator, staff_rows: list[dict[str, str]],
              relative_rows: list[dict[str, str]]) -> Population:
    drafts = generator.entries
    order = sorted(range(len(drafts)), key=lambda i: (drafts[i].moment, i))
    width = max(6, len(str(len(drafts))))
    ids = {index: f"e{position:0{width}d}" for position, index in enumerate(order, start=1)}
    rng = generator.rng
    rows = []
    for index in order:
        draft = drafts[index]
        offset = timezone(timedelta(hours=rng.choice(_OFFSETS[draft.country])))
        rows.append({
            "entry_id": ids[index],
            "submitted_at": draft.moment.astimezone(offset).isoformat(timespec="seconds"),
            "full_name": draft.full_name, "email": draft.email, "phone": draft.phone,
            "birth_date": draft.birth_date, "address": draft.address, "city": draft.city,
            "postal_code": draft.postal_code, "country": draft.country, "ip": draft.ip,
            "device_id": draft.device_id, "social_handle": draft.social_handle,
            "account": "", "user_agent": "",
        })
    labels = []
    for plant in sorted(generator.plants, key=lambda p: ids[p.index]):
        note = plant.note
        if plant.via is not None:
            note += f" via {ids[plant.via]}"
        labels.append({
            "entry_id": ids[plant.index], "kind": plant.kind,
            "related_to": ids[plant.original] if plant.original is not None else plant.staff_id,
            "note": note,
        })
    return Population(entries=rows, staff=staff_rows, relatives=relative_rows, labels=labels)


def write(population: Population, out_dir: Path | str) -> None:
    """Write entries.csv, staff.csv, relatives.csv and labels.csv into ``out_dir``."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for name, columns, rows in (
        ("entries.csv", ENTRY_COLUMNS, population.entries),
        ("staff.csv", STAFF_COLUMNS, population.staff),
        ("relatives.csv", RELATIVE_COLUMNS, population.relatives),
        ("labels.csv", LABEL_COLUMNS, population.labels),
    ):
        with open(folder / name, "w", newline="", encoding="utf-8") as stream:
            writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n",
                                    extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--staff", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True, help="folder for the CSV files")
    parser.add_argument("--mess", action="store_true",
                        help="also write the files as real ones come (bench/messy_files.py) "
                             "into OUT/messy")
    parser.add_argument("--zone", default="Europe/Moscow",
                        help="with --mess: the time zone of the moments written without offset")
    options = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        population = generate(options.entries, options.staff, options.seed)
    except ValueError as problem:
        parser.error(str(problem))
    generated = time.perf_counter() - started
    write(population, options.out)
    print(f"{len(population.entries)} entries, {len(population.staff)} staff, "
          f"{len(population.relatives)} relatives in {options.out}")
    counts = population.label_counts()
    for kind in KINDS:
        print(f"  {kind:<24}{counts[kind]:>7}")
    for note in HARD_NEGATIVES:
        print(f"  clean: {note:<17}{counts['clean:' + note]:>7}")
    print(f"generated in {generated:.1f} s, written in "
          f"{time.perf_counter() - started - generated:.1f} s")
    if options.mess:
        write_mess(population, options.seed, options.out / "messy", zone=options.zone)
    return 0


def write_mess(population: Population, seed: int, out_dir: Path, *, zone: str) -> None:
    """Write the messy entries, staff and relatives files and labels.csv into ``out_dir``,
    and print what the mess holds."""
    mess = render_mess(population, seed, zone=zone)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, raw in mess.files.values():
        (out_dir / name).write_bytes(raw)
    with open(out_dir / "labels.csv", "w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=LABEL_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(population.labels)
    print(f"messy files in {out_dir}: "
          + ", ".join(name for name, _ in mess.files.values()) + f" (zone {zone})")
    for what, count in sorted(mess.counts.items()):
        print(f"  {what:<44}{count:>7}")


if __name__ == "__main__":
    sys.exit(main())
