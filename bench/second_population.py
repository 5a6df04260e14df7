"""A second labelled population for the participant-graph fraud detector, made differently
from the first (:mod:`bench.fraud_population`) so that the detector is not tuned to one
generator.

Same output and the same answer key: a :class:`bench.fraud_population.Population` whose
entries pass :func:`contest.entries.submission.parse_submission`, staff and relatives rows in
the columns of :mod:`contest.fraud.people`, and labels in
:data:`bench.fraud_population.LABEL_COLUMNS` with the kinds of
:data:`bench.fraud_population.KINDS` meaning what they mean there, the hard negatives of
:data:`bench.fraud_population.HARD_NEGATIVES` and one more, :data:`TWINS`. Written with
``write`` of the first module; deterministic per seed (with the same mimesis version).

How it differs from the first:

* **Names** come from mimesis (ru, uk, en) and lists of Ukrainian surnames kept here, not
  Faker; shares of countries differ (more Russian and Ukrainian entrants, fewer American).
* **Names are noisy in other ways**: a Cyrillic name typed on a Latin keyboard layout
  (``Иванов`` → ``Bdfyjd``), two letters transposed, ``ё`` written ``е``, initials
  (``Иванов И. И.``, ``И.И. Иванов``, ``Ivanov I.``), "Фамилия Имя Отчество" against "Имя
  Фамилия" against "Имя Отчество Фамилия", capitals.
* **Phones** in other shapes: ``8 (916) 123-45-67``, ``9161234567`` (no prefix at all),
  ``+38 (050) 123-45-67``, ``+380 (44) 123-45-67``, ``(212) 355-1234``, ``212/355-1234``.
* **Addresses** with ``кв.``, ``квартира``, ``5/12`` or ``5-12`` for house and flat, house
  letters (``12А``), cities sometimes written ``г. Москва``.
* **Mailboxes** at other providers (rambler.ru, internet.ru, proton.me, icloud.com/me.com,
  outlook.com, bigmir.net, comcast.net…); a quarter of logins owe nothing to the name
  (``dark.fox77``); aliases of the same mailbox by other habits: ``+tag`` at Outlook and
  Proton, icloud.com/me.com, yandex.ru/ya.ru/yandex.ua with ``-``/``.`` swapped, Gmail dots.
* **Duplicates** also as the same name, birth date and home with new contacts.
* Another season (September, summer time in Ukraine and the US), an evening peak of entries,
  staff ids that are six-digit personnel numbers, entry ids ``x000001``, other devices.

Planted kinds: ``employee``, ``relative`` (declared, with a contact or address from the
relatives list; or undeclared: the family surname in its gendered form at the staff home),
``household`` (another surname at the staff home), ``proxy`` (a stranger with a staff member's
or relative's phone or mailbox, or an employee's or relative's device, or a chain through the
device of an earlier proxy: note ``via <entry>``), ``duplicate`` (``related_to`` the earliest
entry of that person). Hard negatives (kind ``clean``): ``namesake`` (a staff member's name,
written in full or with initials, another birth date), ``common_surname``, ``same_building``,
``shared_ip``, ``dotted_address`` (both entries of the pair), and ``twins``: two entrants with
one surname, one home and one birth date, different given names and contacts — two people,
so both are clean (they are a household of entrants, not of a staff member).

    .venv/bin/python bench/second_population.py --entries 100000 --staff 1000 --seed 7 --out DIR
"""

import argparse
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from itertools import accumulate
from pathlib import Path
from random import Random

from mimesis import Address, Finance, Gender, Locale, Person

# The checkout, so that ``bench.…`` imports the same way as a script and under pytest.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.fraud_population import (  # noqa: E402
    HARD_NEGATIVES,
    KINDS,
    RELATIONS,
    Population,
    feminine_surname,
    transliterate,
    write,
    write_mess,
)

TWINS = "twins"
NOTES: tuple[str, ...] = (*HARD_NEGATIVES, TWINS)
"""The hard negatives planted here: the first population's and :data:`TWINS`."""

OPENS = datetime(2026, 9, 14, 4, 0, tzinfo=UTC)
PERIOD = timedelta(days=21)
POSITIVE_SHARE = 0.02
NEGATIVE_SHARE = 0.022
KIND_SHARES = {"employee": 0.12, "relative": 0.22, "household": 0.14, "proxy": 0.22,
               "duplicate": 0.30}
NEGATIVE_SHARES = {"namesake": 0.16, "common_surname": 0.16, "same_building": 0.16,
                   "shared_ip": 0.18, "dotted_address": 0.16, TWINS: 0.18}
MINIMUM_PER_KIND = 4

_LOCALES = {"RU": Locale.RU, "UA": Locale.UK, "US": Locale.EN}
_ENTRANTS = {"RU": 55, "UA": 30, "US": 15}
_STAFF = {"RU": 60, "UA": 30, "US": 10}
# September: Ukraine and the US keep summer time; Russia spans zones.
_OFFSETS = {"RU": (3, 3, 3, 5, 7), "UA": (3,), "US": (-4, -5, -7)}
# Entries per hour of the day, local time: few at night, most in the evening.
_HOURS = (1, 1, 1, 1, 1, 2, 3, 5, 6, 6, 6, 7, 8, 7, 6, 6, 7, 8, 10, 12, 13, 11, 7, 3)
_HOUR_WEIGHTS = list(accumulate(_HOURS))

# mimesis has few Ukrainian surnames; these are common ones (male forms).
_UA_SURNAMES = (
    "Мельник", "Шевчук", "Бойко", "Кравченко", "Ковальчук", "Олійник", "Шевченко", "Поліщук",
    "Ткачук", "Савченко", "Бондар", "Марченко", "Руденко", "Мороз", "Лисенко", "Петренко",
    "Клименко", "Павленко", "Кравчук", "Кузьменко", "Пономаренко", "Савчук", "Василенко",
    "Левченко", "Харченко", "Карпенко", "Гончаренко", "Кушнір", "Сидоренко", "Романюк",
    "Мартинюк", "Гнатюк", "Ярошенко", "Костенко", "Власенко", "Дячук", "Ковальський",
    "Вишневський", "Яковенко", "Тимошенко", "Приходько", "Зінченко", "Остапчук", "Литвиненко",
    "Головко", "Стасюк", "Білоус", "Довженко", "Паламарчук", "Гуменюк", "Захарченко",
    "Панченко", "Нестеренко", "Кириленко", "Гребенюк", "Білецький", "Сорока", "Юрченко",
    "Ващенко", "Присяжнюк", "Коваль", "Федорук", "Лук'яненко", "Гордієнко", "Тарасюк",
    "Осадчий", "Дорошенко", "Семенюк", "Гайдамака", "Чорновол", "Максименко", "Оліфіренко",
)
_COMMON = {"RU": ("Иванов", "Кузнецов", "Смирнов", "Попов", "Соколов", "Лебедев"),
           "UA": ("Мельник", "Шевченко", "Бойко", "Коваленко", "Бондаренко", "Ткаченко"),
           "US": ("Smith", "Johnson", "Williams", "Brown", "Garcia", "Davis")}
_COMPANIES = {"RU": ("ООО «Северный ветер»", "АО «Триада»", "ООО «Меридиан Ритейл»"),
              "UA": ("ТОВ «Дніпро Трейд»", "ПрАТ «Світанок»"),
              "US": ("Brightline Promotions LLC", "Harbor & Pine Inc.")}
_DEPARTMENTS = {"RU": ("Отдел маркетинга", "Коммерческий отдел", "Бухгалтерия", "Склад",
                       "IT-отдел", "Отдел кадров", "Call-центр"),
                "UA": ("Відділ маркетингу", "Бухгалтерія", "Склад", "IT-відділ",
                       "Відділ продажів"),
                "US": ("Marketing", "Field Sales", "Accounting", "Warehouse", "IT",
                       "People Ops")}

_RU_MOBILE = (900, 901, 902, 903, 904, 905, 906, 909, 910, 911, 912, 913, 914, 915, 916, 917,
              918, 919, 920, 921, 922, 925, 926, 927, 928, 929, 931, 937, 950, 951, 952, 953,
              960, 961, 962, 964, 965, 977, 980, 981, 985, 987, 988, 991, 993, 995, 996, 999)
_UA_MOBILE = (50, 63, 66, 67, 68, 73, 91, 93, 95, 96, 97, 98, 99)
_US_AREAS = (206, 213, 267, 281, 303, 305, 312, 347, 404, 425, 480, 504, 512, 617, 619, 646,
             650, 702, 720, 732, 773, 832, 904, 917, 954)
_RU_LANDLINE = (495, 499, 812, 343, 383, 846, 861)
_UA_LANDLINE = (44, 32, 56, 57, 48)

_DOMAINS = {
    "RU": {"mail.ru": 22, "yandex.ru": 17, "gmail.com": 18, "rambler.ru": 8, "bk.ru": 5,
           "list.ru": 5, "inbox.ru": 4, "ya.ru": 4, "internet.ru": 2, "proton.me": 3,
           "icloud.com": 5, "outlook.com": 3, "yandex.ua": 1},
    "UA": {"gmail.com": 40, "ukr.net": 24, "i.ua": 6, "meta.ua": 4, "bigmir.net": 4,
           "email.ua": 3, "outlook.com": 6, "icloud.com": 5, "proton.me": 3, "yahoo.com": 2},
    "US": {"gmail.com": 40, "yahoo.com": 14, "outlook.com": 12, "hotmail.com": 8,
           "icloud.com": 10, "aol.com": 4, "proton.me": 5, "comcast.net": 4, "att.net": 3},
}
_DOTTED = ("mail.ru", "rambler.ru", "ukr.net", "bigmir.net", "list.ru")
# Mailboxes that are one under several names, folded (strictly) against collisions.
_SAME_MAILBOX = {"googlemail.com": "gmail.com", "ya.ru": "yandex.ru", "yandex.com": "yandex.ru",
                 "yandex.ua": "yandex.ru", "me.com": "icloud.com", "mac.com": "icloud.com",
                 "hotmail.com": "outlook.com", "pm.me": "proton.me"}
# Logins that owe nothing to the name.
_NICK_WORDS = ("dark", "fox", "sunny", "kotik", "zaya", "lucky", "wolf", "star", "bear", "ice",
               "happy", "max", "angel", "tiger", "pro", "gamer", "lisa", "sweet", "rock",
               "nika", "kit", "moon", "sky", "baby", "boss")

_CARRIERS = {"RU": ("188.162", "94.25", "217.118"), "UA": ("46.211", "37.73", "93.74"),
             "US": ("172.58", "174.240", "107.77")}
_HOME_NETS = {"RU": (31, 37, 46, 78, 79, 83, 87, 91, 92, 95, 109, 128, 176, 178, 185, 213),
              "UA": (31, 46, 77, 89, 91, 93, 94, 109, 134, 178, 193, 195),
              "US": (24, 47, 50, 65, 67, 69, 70, 71, 73, 76, 96, 98, 99, 108, 162, 173)}

# A Cyrillic letter typed with the Russian layout on, read as the Latin one on that key.
_KEYS = dict(zip("йцукенгшщзхъфывапролджэячсмитьбюёіїєґ",
                 "qwertyuiop[]asdfghjkl;'zxcvbnm,.`s]'`", strict=True))
_CYRILLIC = re.compile(r"[А-Яа-яЁёІіЇїЄєҐґ]")
# How often a name is written each noisy way: everybody's (False), planted people's (True).
_NAME_NOISE = {
    False: {"initials": 0.03, "latin": 0.05, "layout": 0.01, "transposed": 0.02, "case": 0.04},
    True: {"initials": 0.18, "latin": 0.25, "layout": 0.08, "transposed": 0.2, "case": 0.15},
}
_STREETS = {"RU": (("улица", ("ул.", "ул")), ("проспект", ("пр-т", "просп.")),
                   ("переулок", ("пер.",)), ("шоссе", ("ш.",))),
            "UA": (("вулиця", ("вул.", "вул")), ("проспект", ("просп.",)),
                   ("провулок", ("пров.",)), ("бульвар", ("бул.",))),
            "US": (("Street", ("St", "St.")), ("Avenue", ("Ave",)), ("Road", ("Rd",)),
                   ("Drive", ("Dr",)), ("Lane", ("Ln",)))}


@dataclass(frozen=True)
class _Human:
    first: str
    middle: str
    surname_base: str
    gender: str
    country: str
    born: date

    @property
    def language(self) -> str:
        return {"RU": "ru", "UA": "uk"}.get(self.country, "en")

    @property
    def surname(self) -> str:
        return (feminine_surname(self.surname_base, self.language) if self.gender == "f"
                else self.surname_base)

    def family(self) -> frozenset[str]:
        return frozenset({self.surname_base,
                          feminine_surname(self.surname_base, self.language)})


@dataclass(frozen=True)
class _Home:
    country: str
    city: str
    postal_code: str
    street: str
    kind: int
    house: str
    flat: str

    def building(self) -> tuple[str, str, str, str]:
        return self.country, self.city, self.street, self.house


@dataclass(frozen=True)
class _Member:
    staff_id: str
    human: _Human
    home: _Home | None
    mail: str       # personal
    work_mail: str
    mobile: str     # E.164, personal
    desk: str       # E.164, work
    company: str
    department: str
    home_ip: str


@dataclass(frozen=True)
class _Kin:
    member: _Member
    human: _Human
    relation: str
    mail: str
    mobile: str
    home: _Home | None


@dataclass(frozen=True)
class _Draft:
    moment: datetime
    full_name: str
    country: str
    born: date
    email: str = ""
    phone: str = ""
    address: str = ""
    city: str = ""
    postal_code: str = ""
    ip: str = ""
    device_id: str = ""
    social_handle: str = ""


@dataclass(frozen=True)
class _Label:
    index: int
    kind: str
    related: str = ""
    original: int | None = None
    note: str = ""
    via: int | None = None


@cache
def _pools(seed: int) -> dict[str, dict[str, tuple[str, ...]]]:
    """Per country, names, places and companies drawn from mimesis seeded with ``seed``."""
    pools: dict[str, dict[str, tuple[str, ...]]] = {}
    for country, locale in _LOCALES.items():
        person, address = Person(locale, seed=seed), Address(locale, seed=seed)
        size = 1500
        pool = {
            "first_m": [person.first_name(Gender.MALE) for _ in range(size)],
            "first_f": [person.first_name(Gender.FEMALE) for _ in range(size)],
            "surname": [person.last_name(Gender.MALE) for _ in range(size)],
            "city": [address.city() for _ in range(300)],
            "street": [address.street_name() for _ in range(500)],
            "postcode": [address.postal_code() for _ in range(300)],
            "company": [Finance(locale, seed=seed).company() for _ in range(3)],
        }
        if country == "US":
            pool["middle_m"], pool["middle_f"] = pool["first_m"], pool["first_f"]
        else:
            pool["middle_m"] = [str(person.patronymic(Gender.MALE)) for _ in range(size)]
            pool["middle_f"] = [str(person.patronymic(Gender.FEMALE)) for _ in range(size)]
        if country == "UA":
            pool["surname"] += list(_UA_SURNAMES) * 10
            pool["postcode"] = [code[:5] for code in pool["postcode"]]
        # A surname that mimesis gives in a female form only would be wrongly gendered.
        pool["surname"] = [s for s in pool["surname"] if not re.search(r"(ова|ева|ина|ая)$", s)]
        pools[country] = {name: tuple(values) for name, values in pool.items()}
    return pools


class _Maker:
    """Draws people, homes and contacts; keeps unrelated people from colliding."""

    def __init__(self, seed: int) -> None:
        self.rng = Random(f"second population {seed}")
        self.pools = _pools(seed)
        self.phones: set[str] = set()
        self.mailboxes: set[tuple[str, str]] = set()
        self.handles: set[str] = set()
        self.staff_buildings: set[tuple[str, str, str, str]] = set()
        self.carriers = {country: [f"{self.rng.choice(nets)}.{self.rng.randrange(256)}."
                                   f"{self.rng.randrange(1, 255)}" for _ in range(10)]
                         for country, nets in _CARRIERS.items()}
        self.drafts: list[_Draft] = []
        self.labels: list[_Label] = []

    def pick(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    # People ---------------------------------------------------------------------------------

    def born(self, youngest: int = 18, oldest: int = 80) -> date:
        return OPENS.date() - timedelta(days=self.rng.randint(youngest * 366, oldest * 365))

    def human(self, country: str, *, gender: str | None = None, surname: str | None = None,
              born: date | None = None, avoid: frozenset[str] = frozenset()) -> _Human:
        pool = self.pools[country]
        gender = gender or self.rng.choice("mf")
        language = {"RU": "ru", "UA": "uk"}.get(country, "en")
        while surname is None or surname in avoid or \
                feminine_surname(surname, language) in avoid:
            surname = self.rng.choice(pool["surname"])
        return _Human(self.rng.choice(pool[f"first_{gender}"]),
                      self.rng.choice(pool[f"middle_{gender}"]), surname, gender, country,
                      born or self.born())

    # Homes ----------------------------------------------------------------------------------

    def home(self, country: str, *, flat_share: float = 0.8) -> _Home:
        pool = self.pools[country]
        while True:
            house = str(self.rng.randint(1, 120) if country != "US" else self.rng.randint(1, 7000))
            if country != "US" and self.rng.random() < 0.1:
                house += self.rng.choice("АБВ")
            home = _Home(country, self.rng.choice(pool["city"]), self.rng.choice(pool["postcode"]),
                         self.rng.choice(pool["street"]),
                         self.rng.randrange(len(_STREETS[country])), house,
                         str(self.rng.randint(1, 400)) if self.rng.random() < flat_share else "")
            if home.building() not in self.staff_buildings:
                return home

    def address_text(self, home: _Home) -> str:
        rng = self.rng
        full, short = _STREETS[home.country][home.kind]
        kind = full if rng.random() < 0.3 else rng.choice(short)
        if home.country == "US":
            text = f"{home.house} {home.street} {kind}"
            if home.flat:
                text = rng.choice((f"{text} Apt {home.flat}", f"{text}, #{home.flat}",
                                   f"{text} Unit {home.flat}", f"Apt {home.flat}, {text}"))
            return text
        street = f"{kind} {home.street}" if rng.random() < 0.75 else f"{home.street} {kind}"
        if not home.flat:
            return rng.choice((f"{street}, д. {home.house}", f"{street} {home.house}",
                               f"{street}, дом {home.house}"))
        return rng.choice((f"{street}, д. {home.house}, кв. {home.flat}",
                           f"{street} {home.house}-{home.flat}",
                           f"{street}, {home.house}/{home.flat}",
                           f"{street}, дом {home.house}, квартира {home.flat}",
                           f"{street} {home.house} кв.{home.flat}"))

    def city_text(self, home: _Home) -> str:
        if home.country == "RU" and self.rng.random() < 0.08:
            return f"г. {home.city}"
        return home.city

    # Contacts -------------------------------------------------------------------------------

    def mobile(self, country: str) -> str:
        rng = self.rng
        while True:
            if country == "RU":
                number = f"+7{rng.choice(_RU_MOBILE)}{rng.randrange(10**7):07d}"
            elif country == "UA":
                number = f"+380{rng.choice(_UA_MOBILE)}{rng.randrange(10**7):07d}"
            else:
                exchange = rng.randint(201, 989)
                if exchange % 100 == 11 or exchange == 555:
                    continue
                number = f"+1{rng.choice(_US_AREAS)}{exchange}{rng.randrange(10**4):04d}"
            # No placeholder-like numbers (one digit repeated).
            if number not in self.phones and len(set(number[-7:])) > 2:
                self.phones.add(number)
                return number

    def desk(self, country: str) -> str:
        if country == "US":
            return self.mobile(country)
        while True:
            code = (f"7{self.rng.choice(_RU_LANDLINE)}" if country == "RU"
                    else f"380{self.rng.choice(_UA_LANDLINE)}")
            number = f"+{code}{self.rng.randrange(10**7):07d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def phone_text(self, number: str, country: str) -> str:
        """``number`` as typed by someone in ``country``."""
        rng = self.rng
        if number.startswith("+7"):
            code, rest = number[2:5], number[5:]
            local = (f"8 ({code}) {rest[:3]}-{rest[3:5]}-{rest[5:]}", f"{code}{rest}",
                     f"8{code} {rest[:3]} {rest[3:5]} {rest[5:]}",
                     f"+7 ({code}) {rest}", f"+7-{code}-{rest[:3]}-{rest[3:5]}-{rest[5:]}")
            abroad = (f"+7 ({code}) {rest}", f"+7 {code} {rest[:3]}-{rest[3:5]}-{rest[5:]}")
            home = "RU"
        elif number.startswith("+380"):
            code, rest = number[4:6], number[6:]
            local = (f"+380 ({code}) {rest[:3]}-{rest[3:5]}-{rest[5:]}",
                     f"+38 (0{code}) {rest[:3]}-{rest[3:5]}-{rest[5:]}",
                     f"0{code}-{rest[:3]}-{rest[3:5]}-{rest[5:]}", f"380{code} {rest}",
                     f"(0{code}){rest}")
            abroad = (f"+380 ({code}) {rest[:3]}-{rest[3:5]}-{rest[5:]}", f"+380{code}{rest}")
            home = "UA"
        else:
            code, rest = number[2:5], number[5:]
            local = (f"({code}) {rest[:3]}-{rest[3:]}", f"{code} {rest[:3]} {rest[3:]}",
                     f"+1 ({code}) {rest[:3]}-{rest[3:]}", f"1 {code} {rest[:3]} {rest[3:]}",
                     f"{code}/{rest[:3]}-{rest[3:]}")
            abroad = (f"+1 ({code}) {rest[:3]}-{rest[3:]}", f"+1 {code} {rest}")
            home = "US"
        return rng.choice(local if country == home else abroad)

    def other_phone_text(self, number: str, country: str, written: str) -> str:
        for _ in range(20):
            text = self.phone_text(number, country)
            if text != written:
                return text
        return number

    @staticmethod
    def mailbox(email: str) -> tuple[str, str]:
        local, _, domain = email.lower().partition("@")
        return re.sub(r"[._-]", "", local.split("+")[0]), _SAME_MAILBOX.get(domain, domain)

    def login(self, human: _Human) -> str:
        rng = self.rng
        if rng.random() < 0.25:
            words = rng.sample(_NICK_WORDS, 2)
            return f"{words[0]}{rng.choice(('', '.', '_'))}{words[1]}{rng.randint(1, 2009)}"
        if human.language == "en":
            first, surname = human.first.lower(), human.surname.lower()
        else:
            system = rng.choice(("bgn", "informal", "informal", "icao")
                                if human.language == "ru" else ("national", "informal"))
            first = transliterate(human.first, human.language, system).lower()
            surname = transliterate(human.surname, human.language, system).lower()
        first = re.sub(r"[^a-z]", "", first) or "x"
        surname = re.sub(r"[^a-z]", "", surname) or "x"
        joint = rng.choice(("", ".", "_", "-"))
        shape = rng.choice((f"{surname}{joint}{first}", f"{first}{joint}{surname}",
                            f"{first[0]}{surname}", f"{surname}{first[0]}",
                            f"{first}{str(human.born.year)[2:]}"))
        if rng.random() < 0.6:
            born = human.born
            shape += rng.choice((str(born.year), f"{born.day:02d}{born.month:02d}",
                                 str(rng.randint(1, 99))))
        return shape

    def email(self, human: _Human, *, domain: str | None = None) -> str:
        domain = domain or self.pick(_DOMAINS[human.country])
        for attempt in range(200):
            login = self.login(human)
            if domain in ("gmail.com", "proton.me"):
                login = login.replace("_", ".").replace("-", ".")
            if attempt > 5:
                login += str(self.rng.randint(100, 99999))
            email = f"{login}@{domain}"
            if self.mailbox(email) not in self.mailboxes:
                self.mailboxes.add(self.mailbox(email))
                return email
        raise AssertionError(f"no free mailbox for {human}")

    def alias(self, email: str) -> tuple[str, str]:
        """The same mailbox written by another habit, and which."""
        rng = self.rng
        local, _, domain = email.partition("@")
        if domain in ("outlook.com", "hotmail.com", "proton.me") and rng.random() < 0.7:
            return f"{local}+{rng.choice(('promo', 'win', 'shop', 'sept'))}@{domain}", "+tag"
        if domain in ("icloud.com", "me.com"):
            return f"{local}@{'me.com' if domain == 'icloud.com' else 'icloud.com'}", "icloud/me"
        if domain == "gmail.com":
            bare = local.replace(".", "")
            if "." in local:
                return f"{bare}@{domain}", "gmail dots"
            cut = rng.randrange(1, len(bare))
            return f"{bare[:cut]}.{bare[cut:]}@{domain}", "gmail dots"
        if domain in ("yandex.ru", "ya.ru", "yandex.ua"):
            other = rng.choice([d for d in ("yandex.ru", "ya.ru", "yandex.ua") if d != domain])
            return f"{local.replace('.', '-')}@{other}", "yandex domain"
        return email.upper() if rng.random() < 0.5 else email.capitalize(), "case"

    def handle(self, human: _Human) -> str:
        while True:
            handle = (f"@{self.login(human)}" if self.rng.random() < 0.6
                      else f"vk.com/id{self.rng.randint(10**5, 10**9)}")
            if handle.lower() not in self.handles:
                self.handles.add(handle.lower())
                return handle

    def device(self) -> str:
        roll = self.rng.random()
        if roll < 0.4:       # iOS identifier for vendor
            bits = f"{self.rng.getrandbits(128):032X}"
            return f"{bits[:8]}-{bits[8:12]}-4{bits[13:16]}-A{bits[17:20]}-{bits[20:]}"
        if roll < 0.75:      # Android ID
            return f"{self.rng.getrandbits(64):016x}"
        return f"fp_{self.rng.getrandbits(96):024x}"  # a browser fingerprint

    def ip(self, country: str) -> str:
        if self.rng.random() < 0.15:
            return (f"2a00:{self.rng.randrange(0x1000, 0xffff):x}:{self.rng.randrange(0xffff):x}"
                    f"::{self.rng.randrange(1, 0xffff):x}")
        return (f"{self.rng.choice(_HOME_NETS[country])}.{self.rng.randrange(256)}."
                f"{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}")

    def entrant_ip(self, country: str) -> str:
        if self.rng.random() < 0.1:
            return self.rng.choice(self.carriers[country])
        return self.ip(country)

    # Names ----------------------------------------------------------------------------------

    def name_text(self, human: _Human, *, noisy: bool) -> str:
        """The name as typed into the form. Everybody's name has a little noise; ``noisy``,
        for planted people, has much more."""
        rng = self.rng
        rate = _NAME_NOISE[noisy]
        first, middle, surname = human.first, human.middle, human.surname
        if rng.random() < rate["initials"]:
            if human.language == "en":
                text = rng.choice((f"{surname} {first[0]}.", f"{first[0]}. {surname}"))
            else:
                text = rng.choice((f"{surname} {first[0]}. {middle[0]}.",
                                   f"{first[0]}.{middle[0]}. {surname}"))
        elif human.language == "en":
            text = rng.choice((f"{first} {surname}",) * 6 + (
                f"{first} {middle[0]}. {surname}", f"{surname} {first}",
                f"{surname}, {first}"))
        else:
            text = rng.choice((f"{first} {surname}",) * 5 + (
                f"{surname} {first}", f"{surname} {first} {middle}",
                f"{first} {middle} {surname}"))
        if human.language != "en" and rng.random() < rate["latin"]:
            text = transliterate(text, human.language, rng.choice(("icao", "informal")))
        if "ё" in text.lower() and rng.random() < 0.7:
            text = text.replace("ё", "е").replace("Ё", "Е")
        roll = rng.random()
        if roll < rate["layout"] and _CYRILLIC.search(text):
            text = layout_slip(text)
        elif roll < rate["layout"] + rate["transposed"]:
            text = self.transpose(text)
        roll = rng.random()
        if roll < rate["case"]:
            text = text.upper() if roll < rate["case"] * 0.6 else text.lower()
        return text

    def transpose(self, text: str) -> str:
        """Two neighbouring letters of one word swapped, never the first."""
        words = text.split(" ")
        long = [i for i, word in enumerate(words) if len(word) >= 5 and word.isalpha()]
        if not long:
            return text
        i = self.rng.choice(long)
        word = words[i]
        j = self.rng.randrange(1, len(word) - 1)
        words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2:]
        return " ".join(words)

    # Entries --------------------------------------------------------------------------------

    def moment(self, *, after: datetime | None = None, early: bool = False) -> datetime:
        if after is not None:
            left = int((OPENS + PERIOD - after).total_seconds()) - 1
            return after + timedelta(seconds=self.rng.randint(min(300, max(1, left)),
                                                              max(1, min(left, 5 * 86400))))
        day = self.rng.randrange(int(PERIOD.days * 0.8) if early else PERIOD.days)
        hour = self.rng.choices(range(24), cum_weights=_HOUR_WEIGHTS)[0]
        moment = OPENS + timedelta(days=day, hours=hour, seconds=self.rng.randrange(3600))
        return min(moment, OPENS + PERIOD - timedelta(seconds=1))

    def entry(self, human: _Human, *, home: _Home | None = None, contacts: str | None = None,
              name: str | None = None, moment: datetime | None = None,
              ip: str | None = None, device_share: float = 0.65,
              domain: str | None = None) -> _Draft:
        rng = self.rng
        contacts = contacts or rng.choices(("both", "email", "phone"), (50, 35, 15))[0]
        if home is None and rng.random() < 0.6:
            home = self.home(human.country, flat_share=0.5 if human.country == "US" else 0.8)
        return _Draft(
            moment=moment or self.moment(),
            full_name=name or self.name_text(human, noisy=False),
            country=human.country, born=human.born,
            email=self.email(human, domain=domain) if contacts != "phone" else "",
            phone=(self.phone_text(self.mobile(human.country), human.country)
                   if contacts != "email" else ""),
            address=self.address_text(home) if home else "",
            city=self.city_text(home) if home else "",
            postal_code=home.postal_code if home else "",
            ip=ip or self.entrant_ip(human.country),
            device_id=self.device() if rng.random() < device_share else "",
            social_handle=self.handle(human) if rng.random() < 0.25 else "",
        )

    def at(self, draft: _Draft, home: _Home) -> _Draft:
        return replace(draft, address=self.address_text(home), city=self.city_text(home),
                       postal_code=home.postal_code)

    def add(self, draft: _Draft) -> int:
        if not draft.email and not draft.phone:
            raise AssertionError(f"an entry without email or phone: {draft}")
        self.drafts.append(draft)
        return len(self.drafts) - 1

    def label(self, index: int, kind: str, *, related: str = "", original: int | None = None,
              note: str = "", via: int | None = None) -> None:
        self.labels.append(_Label(index, kind, related, original, note, via))


def layout_slip(text: str) -> str:
    """``text`` as typed with the Latin layout on while meaning Cyrillic: each letter the key
    it sits on ("Иванов" → "Bdfyjd")."""
    out = []
    for character in text:
        key = _KEYS.get(character.lower())
        if key is None:
            out.append(character)
        else:
            out.append(key.upper() if character.isupper() else key)
    return "".join(out)


# --- Staff and relatives -------------------------------------------------------------------

def _make_staff(maker: _Maker, count: int) -> list[_Member]:
    rng = maker.rng
    ids = rng.sample(range(1000, 999999), count)
    members = []
    for number in ids:
        country = maker.pick(_STAFF)
        surname = rng.choice(_COMMON[country]) if rng.random() < 0.1 else None
        human = maker.human(country, surname=surname, born=maker.born(20, 66))
        home = maker.home(country, flat_share=0.85) if rng.random() < 0.93 else None
        if home is not None:
            maker.staff_buildings.add(home.building())
        company = rng.choice(_COMPANIES[country])
        slug = {"RU": "triada.ru", "UA": "svitanok.com.ua", "US": "brightline.com"}[country]
        local = re.sub(r"[^a-z.]", "", transliterate(
            f"{human.first[0]}.{human.surname}", human.language, "icao").lower()
            if human.language != "en" else f"{human.first[0]}.{human.surname}".lower())
        work = f"{local}@{slug}"
        while maker.mailbox(work) in maker.mailboxes:
            work = f"{local}{rng.randint(2, 9)}@{slug}"
        maker.mailboxes.add(maker.mailbox(work))
        members.append(_Member(
            staff_id=f"{number:06d}", human=human, home=home,
            mail=maker.email(human) if rng.random() < 0.8 else "",
            work_mail=work if rng.random() < 0.9 else "",
            mobile=maker.mobile(country) if rng.random() < 0.9 else "",
            desk=maker.desk(country) if rng.random() < 0.5 else "",
            company=company, department=rng.choice(_DEPARTMENTS[country]),
            home_ip=maker.ip(country),
        ))
    return members


def _make_kin(maker: _Maker, staff: Sequence[_Member]) -> list[_Kin]:
    rng = maker.rng
    kin: list[_Kin] = []
    for member in staff:
        own = member.human
        age = (OPENS.date() - own.born).days // 365
        taken: list[str] = []
        for _ in range(rng.choices((0, 1, 2, 3, 4), (25, 35, 25, 10, 5))[0]):
            relation = rng.choices(RELATIONS, (32, 10, 25, 15, 13, 5))[0]
            if relation in ("spouse", "partner") and {"spouse", "partner"} & set(taken) or \
                    relation == "parent" and taken.count("parent") == 2:
                relation = "child"
            taken.append(relation)
            gender = ("f" if own.gender == "m" else "m") if relation == "spouse" \
                else rng.choice("mf")
            family = relation in ("child", "parent", "sibling") and rng.random() < 0.9 or \
                relation == "spouse" and rng.random() < 0.8
            low, high = {"spouse": (age - 7, age + 7), "partner": (age - 9, age + 9),
                         "child": (age - 40, age - 19), "parent": (age + 19, age + 38),
                         "sibling": (age - 10, age + 10), "other": (16, 85)}[relation]
            low, high = max(1, low), max(2, min(96, high))
            human = maker.human(own.country, gender=gender,
                                surname=own.surname_base if family else None,
                                born=maker.born(min(low, high - 1), high),
                                avoid=frozenset() if family else own.family())
            home: _Home | None = None
            if member.home is not None and rng.random() < {
                    "spouse": 0.9, "partner": 0.75, "child": 0.55, "parent": 0.15,
                    "sibling": 0.1, "other": 0.05}[relation]:
                home = member.home if rng.random() < 0.7 else None
            elif rng.random() < 0.25:
                home = maker.home(own.country)
            grown = (OPENS.date() - human.born).days >= 14 * 365
            kin.append(_Kin(member, human, relation,
                            mail=maker.email(human) if grown and rng.random() < 0.45 else "",
                            mobile=(maker.mobile(own.country)
                                    if grown and rng.random() < 0.6 else ""),
                            home=home))
    return kin


def _staff_row(maker: _Maker, member: _Member) -> dict[str, str]:
    rng = maker.rng
    human = member.human
    if human.language == "en":
        name = rng.choice((f"{human.first} {human.surname}",
                           f"{human.surname}, {human.first} {human.middle}"))
    else:
        name = rng.choice((f"{human.surname} {human.first} {human.middle}",) * 3
                          + (f"{human.first} {human.middle} {human.surname}",
                             f"{human.first} {human.surname}"))
    mails = [m for m in (member.work_mail, member.mail) if m]
    phones = [maker.phone_text(p, human.country) for p in (member.mobile, member.desk) if p]
    home = member.home
    return {
        "staff_id": member.staff_id, "full_name": name, "email": ";".join(mails),
        "phone": ";".join(phones), "birth_date": human.born.isoformat(),
        "address": maker.address_text(home) if home else "",
        "city": home.city if home else "", "postal_code": home.postal_code if home else "",
        "country": human.country, "department": member.department, "company": member.company,
        "account": "",
    }


def _kin_row(maker: _Maker, kin: _Kin) -> dict[str, str]:
    human = kin.human
    name = (f"{human.surname} {human.first} {human.middle}"
            if human.language != "en" and maker.rng.random() < 0.6
            else f"{human.first} {human.surname}")
    home = kin.home
    return {
        "staff_id": kin.member.staff_id, "full_name": name, "relation": kin.relation,
        "email": kin.mail,
        "phone": maker.phone_text(kin.mobile, human.country) if kin.mobile else "",
        "address": maker.address_text(home) if home else "",
        "city": home.city if home else "", "postal_code": home.postal_code if home else "",
        "country": home.country if home else "",
        "birth_date": human.born.isoformat(),
    }


# --- Planting ------------------------------------------------------------------------------

class _Planter:
    def __init__(self, maker: _Maker, staff: list[_Member], kin: list[_Kin]) -> None:
        self.m = maker
        self.rng = maker.rng
        self.staff = staff
        self.kin = kin
        self.devices: list[tuple[_Member, int, str]] = []   # employee or relative entries
        self.direct: list[tuple[_Member, int]] = []          # proxies with a staff contact
        self.carried: list[int] = []                          # positives via a carrier NAT

    def _positive(self, draft: _Draft, kind: str, member: _Member, note: str,
                  via: int | None = None) -> int:
        index = self.m.add(draft)
        self.m.label(index, kind, related=member.staff_id, note=note, via=via)
        if any(draft.ip in ips for ips in self.m.carriers.values()):
            self.carried.append(index)
        if draft.device_id and kind in ("employee", "relative"):
            self.devices.append((member, index, kind))
        return index

    def _ip(self, member: _Member) -> str:
        roll = self.rng.random()
        if roll < 0.35:
            return member.home_ip
        if roll < 0.7:
            return self.rng.choice(self.m.carriers[member.human.country])
        return self.m.ip(member.human.country)

    def _stranger(self, member: _Member) -> _Human:
        own = member.human
        while True:
            human = self.m.human(own.country, avoid=own.family())
            if human.born != own.born:
                return human

    def employees(self, count: int) -> None:
        rng = self.rng
        able = [m for m in self.staff if m.mail or m.mobile or m.work_mail]
        for member in rng.sample(able, min(count, len(able))):
            human = member.human
            links = []
            email = phone = ""
            if member.mail and rng.random() < 0.65:
                email = member.mail
                links.append("personal email")
                if rng.random() < 0.3:
                    email, how = self.m.alias(email)
                    links[-1] += f" ({how})"
            elif member.work_mail and rng.random() < 0.3:
                email = member.work_mail
                links.append("work email")
            if member.mobile and (not links or rng.random() < 0.5):
                phone = self.m.phone_text(member.mobile, human.country)
                links.append("personal phone")
            if not email and not phone:
                email = member.work_mail or member.mail
                links.append("work email" if email == member.work_mail else "personal email")
            draft = _Draft(moment=self.m.moment(), full_name=self.m.name_text(human, noisy=True),
                           country=human.country, born=human.born, email=email, phone=phone,
                           ip=self._ip(member),
                           device_id=self.m.device() if rng.random() < 0.7 else "")
            if member.home is not None and rng.random() < 0.45:
                draft = self.m.at(draft, member.home)
                links.append("home address")
            self._positive(draft, "employee", member, ", ".join(links))

    def relatives(self, count: int) -> None:
        rng = self.rng
        adult = OPENS.date().replace(year=OPENS.year - 18)
        declared = [k for k in self.kin if (k.mail or k.mobile or k.home)
                    and k.human.born <= adult]
        share = min(len(declared), round(count * 0.6))
        for kin in rng.sample(declared, share):
            human, member = kin.human, kin.member
            have = [what for what, value in (("email", kin.mail), ("phone", kin.mobile),
                                             ("address", kin.home)) if value]
            used = rng.sample(have, rng.randint(1, len(have)))
            draft = self.m.entry(human, name=self.m.name_text(human, noisy=True),
                                 ip=self._ip(member))
            draft = replace(draft, address="", city="", postal_code="")
            if "email" in used:
                draft = replace(draft, email=kin.mail)
            if "phone" in used:
                draft = replace(draft, phone=self.m.phone_text(kin.mobile, human.country))
            if "address" in used and kin.home is not None:
                draft = self.m.at(draft, kin.home)
            self._positive(draft, "relative", member,
                           f"declared {kin.relation}: {', '.join(sorted(used))}")
        at_home = [m for m in self.staff if m.home is not None]
        for _ in range(count - share):
            member = rng.choice(at_home)
            assert member.home is not None
            own = member.human
            human = own
            while human.first == own.first:
                human = self.m.human(own.country, surname=own.surname_base,
                                     born=self.m.born(18, 85))
            draft = self.m.entry(human, name=self.m.name_text(human, noisy=True),
                                 ip=self._ip(member))
            self._positive(self.m.at(draft, member.home), "relative", member,
                           "undeclared, family surname at the staff home")

    def households(self, count: int) -> None:
        at_home = [m for m in self.staff if m.home is not None]
        for _ in range(count):
            member = self.rng.choice(at_home)
            assert member.home is not None
            human = self._stranger(member)
            draft = self.m.entry(human, ip=self._ip(member))
            self._positive(self.m.at(draft, member.home), "household", member,
                           "other surname at the staff home")

    def proxies(self, count: int) -> None:
        rng = self.rng
        plans = sorted(rng.choices(("phone", "email", "kin", "device", "chain"),
                                   (28, 27, 15, 15, 15), k=count),
                       key=lambda plan: plan == "chain")
        with_phone = [m for m in self.staff if m.mobile]
        with_mail = [m for m in self.staff if m.mail]
        reachable = [k for k in self.kin if k.mail or k.mobile]
        for plan in plans:
            if plan == "device" and not self.devices:
                plan = "phone"
            if plan == "chain" and not self.direct:
                plan = "email"
            if plan == "phone":
                member = rng.choice(with_phone)
                human = self._stranger(member)
                draft = self.m.entry(human, contacts=rng.choice(("phone", "both")),
                                     device_share=0.85)
                draft = replace(draft, phone=self.m.phone_text(member.mobile, human.country))
                self.direct.append((member, self._positive(draft, "proxy", member,
                                                           "staff personal phone")))
            elif plan == "email":
                member = rng.choice(with_mail)
                human = self._stranger(member)
                email, note = member.mail, "staff personal email"
                if rng.random() < 0.3:
                    email, how = self.m.alias(email)
                    note += f" ({how})"
                draft = replace(self.m.entry(human, contacts=rng.choice(("email", "both")),
                                             device_share=0.85), email=email)
                self.direct.append((member, self._positive(draft, "proxy", member, note)))
            elif plan == "kin":
                kin = rng.choice(reachable)
                human = self._stranger(kin.member)
                draft = self.m.entry(human, contacts="both")
                if kin.mobile and (not kin.mail or rng.random() < 0.5):
                    draft = replace(draft, phone=self.m.phone_text(kin.mobile, human.country))
                    note = f"{kin.relation}'s phone"
                else:
                    draft = replace(draft, email=kin.mail)
                    note = f"{kin.relation}'s email"
                self._positive(draft, "proxy", kin.member, note)
            elif plan == "device":
                member, source, kind = rng.choice(self.devices)
                human = self._stranger(member)
                draft = self.m.entry(human, moment=self.m.moment(
                    after=self.m.drafts[source].moment))
                draft = replace(draft, device_id=self.m.drafts[source].device_id)
                self._positive(draft, "proxy", member, f"device of the {kind} entry",
                               via=source)
            else:
                member, source = rng.choice(self.direct)
                if not self.m.drafts[source].device_id:
                    self.m.drafts[source] = replace(self.m.drafts[source],
                                                    device_id=self.m.device())
                human = self._stranger(member)
                draft = self.m.entry(human, moment=self.m.moment(
                    after=self.m.drafts[source].moment))
                draft = replace(draft, device_id=self.m.drafts[source].device_id)
                self._positive(draft, "proxy", member, "chain: device of a proxy", via=source)

    def duplicates(self, count: int) -> None:
        rng = self.rng
        planted = 0
        while planted < count:
            country = self.m.pick(_ENTRANTS)
            human = self.m.human(country)
            how = rng.choices(("alias", "phone", "device", "home"), (35, 28, 20, 17))[0]
            domain = rng.choice(("gmail.com", "outlook.com", "proton.me", "icloud.com",
                                 "yandex.ru" if country != "US" else "gmail.com")) \
                if how == "alias" else None
            home = self.m.home(country) if how == "home" or rng.random() < 0.5 else None
            contacts = {"alias": "both" if rng.random() < 0.4 else "email",
                        "phone": "phone" if rng.random() < 0.5 else "both"}.get(how, "both")
            original = self.m.entry(human, home=home, contacts=contacts, domain=domain,
                                    moment=self.m.moment(early=True),
                                    device_share=1.0 if how == "device" else 0.6)
            if home is None:
                original = replace(original, address="", city="", postal_code="")
            first = self.m.add(original)
            name = (original.full_name if how == "home" or rng.random() < 0.5
                    else self.m.name_text(human, noisy=True))
            fresh = self.m.entry(human, name=name, moment=self.m.moment(after=original.moment),
                                 contacts="email" if how == "phone" else "both")
            fresh = replace(fresh, address="", city="", postal_code="")
            if how == "alias":
                email, note = self.m.alias(original.email)
                fresh = replace(fresh, email=email, phone=fresh.phone if rng.random() < 0.3
                                else "")
                note = f"mailbox alias ({note})"
            elif how == "phone":
                fresh = replace(fresh, phone=self._rewrite_phone(original, human.country))
                note = "phone in another shape"
            elif how == "device":
                fresh = replace(fresh, device_id=original.device_id)
                note = "same device, similar name"
            else:
                fresh = replace(fresh, full_name=original.full_name)
                note = "same name, birth date and home, new contacts"
            if home is not None and (how == "home" or rng.random() < 0.5):
                fresh = self.m.at(fresh, home)
            index = self.m.add(fresh)
            self.m.label(index, "duplicate", original=first, note=note)
            planted += 1

    def _rewrite_phone(self, original: _Draft, country: str) -> str:
        return self.m.other_phone_text(self._number_of(original.phone, country), country,
                                       original.phone)

    def _number_of(self, text: str, country: str) -> str:
        digits = _digits(text)
        if country == "RU":
            return "+7" + digits[-10:]
        if country == "UA":
            return "+380" + digits[-9:]
        return "+1" + digits[-10:]

    # Hard negatives -------------------------------------------------------------------------

    def _clean(self, draft: _Draft, note: str) -> None:
        self.m.label(self.m.add(draft), "clean", note=note)

    def namesakes(self, count: int) -> None:
        for _ in range(count):
            own = self.rng.choice(self.staff).human
            while True:
                born = self.m.born()
                if abs((born - own.born).days) > 400:
                    break
            human = replace(own, born=born)
            name = self.rng.choice((
                f"{own.first} {own.surname}", f"{own.surname} {own.first} {own.middle}",
                f"{own.surname} {own.first[0]}. {own.middle[0]}." if own.middle
                else f"{own.surname} {own.first[0]}."))
            self._clean(self.m.entry(human, name=name), "namesake")

    def common_surnames(self, count: int) -> None:
        common = [m for m in self.staff if m.human.surname_base in _COMMON[m.human.country]]
        if not common:
            raise AssertionError("no staff member has a common surname")
        for _ in range(count):
            own = self.rng.choice(common).human
            while True:
                human = self.m.human(own.country, surname=own.surname_base)
                if human.first != own.first and human.born != own.born:
                    break
            self._clean(self.m.entry(human), "common_surname")

    def neighbours(self, count: int) -> None:
        flats = [m for m in self.staff if m.home is not None and m.home.flat]
        for _ in range(count):
            member = self.rng.choice(flats)
            assert member.home is not None
            flat = member.home.flat
            while flat == member.home.flat:
                flat = str(self.rng.randint(1, 400))
            human = self._stranger(member)
            self._clean(self.m.entry(human, home=replace(member.home, flat=flat)),
                        "same_building")

    def shared_ips(self, count: int) -> None:
        if not self.carried:
            raise AssertionError("no planted positive came through a carrier NAT address")
        for _ in range(count):
            source = self.m.drafts[self.rng.choice(self.carried)]
            self._clean(self.m.entry(self.m.human(source.country), ip=source.ip), "shared_ip")

    def dotted(self, pairs: int) -> None:
        rng = self.rng
        for _ in range(pairs):
            domain = rng.choice(_DOTTED)
            country = "UA" if domain in ("ukr.net", "bigmir.net") else "RU"
            first = self.m.human(country)
            while True:
                login = re.sub(r"[^a-z.]", "", self.m.login(first).replace("_", "."))
                if "." in login.strip(".") and ".." not in login and \
                        self.m.mailbox(f"{login}@{domain}") not in self.m.mailboxes:
                    login = login.strip(".")
                    break
            self.m.mailboxes.add(self.m.mailbox(f"{login}@{domain}"))
            second = self.m.human(country)
            for human, email in ((first, f"{login}@{domain}"),
                                 (second, f"{login.replace('.', '')}@{domain}")):
                draft = self.m.entry(human, contacts=rng.choice(("email", "both")))
                self._clean(replace(draft, email=email), "dotted_address")

    def twins(self, pairs: int) -> None:
        for _ in range(pairs):
            country = self.m.pick(_ENTRANTS)
            born = self.m.born(18, 60)
            first = self.m.human(country, born=born)
            while True:
                second = self.m.human(country, surname=first.surname_base, born=born)
                if second.first != first.first:
                    break
            home = self.m.home(country)
            ip = self.m.ip(country) if self.rng.random() < 0.5 else None
            for human in (first, second):
                self._clean(self.m.entry(human, home=home, ip=ip), TWINS)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _split(total: int, shares: dict[str, float]) -> dict[str, int]:
    return {name: max(MINIMUM_PER_KIND, round(total * share)) for name, share in shares.items()}


def generate(entries: int, staff: int, seed: int) -> Population:
    """A population of ``entries`` entries and ``staff`` staff members, the same for a seed.

    Raises ``ValueError`` when ``entries`` is too small to hold the planted rows."""
    if staff < 20:
        raise ValueError(f"staff is {staff}, expected at least 20")
    kinds = _split(round(entries * POSITIVE_SHARE), KIND_SHARES)
    negatives = _split(round(entries * NEGATIVE_SHARE), NEGATIVE_SHARES)
    kinds["employee"] = min(kinds["employee"], staff // 2)
    planned = sum(kinds.values()) + kinds["duplicate"] + sum(negatives.values())
    if entries < planned * 2:
        raise ValueError(f"entries is {entries}, expected at least {planned * 2} "
                         f"to hold {planned} planted rows among clean ones")
    maker = _Maker(seed)
    members = _make_staff(maker, staff)
    kin = _make_kin(maker, members)
    staff_rows = [_staff_row(maker, member) for member in members]
    kin_rows = [_kin_row(maker, one) for one in kin]
    planter = _Planter(maker, members, kin)
    planter.employees(kinds["employee"])
    planter.relatives(kinds["relative"])
    planter.households(kinds["household"])
    planter.proxies(kinds["proxy"])
    planter.duplicates(kinds["duplicate"])
    planter.namesakes(negatives["namesake"])
    planter.common_surnames(negatives["common_surname"])
    planter.neighbours(negatives["same_building"])
    planter.shared_ips(negatives["shared_ip"])
    planter.dotted(max(2, negatives["dotted_address"] // 2))
    planter.twins(max(2, negatives[TWINS] // 2))
    while len(maker.drafts) < entries:
        maker.add(maker.entry(maker.human(maker.pick(_ENTRANTS))))
    return _assemble(maker, staff_rows, kin_rows)


def _assemble(maker: _Maker, staff_rows: list[dict[str, str]],
              kin_rows: list[dict[str, str]]) -> Population:
    drafts = maker.drafts
    order = sorted(range(len(drafts)), key=lambda i: (drafts[i].moment, i))
    ids = {index: f"x{place:06d}" for place, index in enumerate(order, start=1)}
    rows = []
    for index in order:
        draft = drafts[index]
        offset = timezone(timedelta(hours=maker.rng.choice(_OFFSETS[draft.country])))
        rows.append({
            "entry_id": ids[index],
            "submitted_at": draft.moment.astimezone(offset).isoformat(timespec="seconds"),
            "full_name": draft.full_name, "email": draft.email, "phone": draft.phone,
            "birth_date": draft.born.isoformat(), "address": draft.address,
            "city": draft.city, "postal_code": draft.postal_code, "country": draft.country,
            "ip": draft.ip, "device_id": draft.device_id, "social_handle": draft.social_handle,
            "account": "", "user_agent": "",
        })
    labels = []
    for label in sorted(maker.labels, key=lambda one: ids[one.index]):
        note = label.note + (f" via {ids[label.via]}" if label.via is not None else "")
        labels.append({"entry_id": ids[label.index], "kind": label.kind,
                       "related_to": (ids[label.original] if label.original is not None
                                      else label.related),
                       "note": note})
    return Population(entries=rows, staff=staff_rows, relatives=kin_rows, labels=labels)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--staff", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True, help="folder for the CSV files")
    parser.add_argument("--mess", action="store_true",
                        help="also write the files as real ones come into OUT/messy")
    parser.add_argument("--zone", default="Europe/Kyiv",
                        help="with --mess: the time zone of the moments written without offset")
    options = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        population = generate(options.entries, options.staff, options.seed)
    except ValueError as problem:
        parser.error(str(problem))
    write(population, options.out)
    print(f"{len(population.entries)} entries, {len(population.staff)} staff, "
          f"{len(population.relatives)} relatives in {options.out} "
          f"({time.perf_counter() - started:.1f} s)")
    counts = population.label_counts()
    for kind in KINDS:
        print(f"  {kind:<24}{counts[kind]:>7}")
    for note in NOTES:
        print(f"  clean: {note:<17}{counts['clean:' + note]:>7}")
    if options.mess:
        write_mess(population, options.seed, options.out / "messy", zone=options.zone)
    return 0


if __name__ == "__main__":
    sys.exit(main())
