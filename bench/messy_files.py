"""The labelled benchmark population written the way real files come: the mess of issue 19.

The mess is a rendering: it never changes who is related to whom. The same population and
seed give the same people, ids and labels as the clean files of ``write`` in
:mod:`bench.fraud_population`; only how the three files are written changes:

* **entries** — UTF-8 with a byte order mark, ``;`` or tab (by the seed), CRLF, English or
  project headers (:data:`ENTRY_HEADERS`). ``submitted_at`` is converted to the local time of
  ``zone`` and written without an offset as ``2026-11-02T20:27:24``, ``2026-11-04 19:35`` or
  ``04.11.2026 19:40`` (minutes only: the seconds are dropped, which keeps submission order),
  a few keep their offset; ``birth_date`` is mostly ``DD.MM.YYYY``, some ISO 8601; some
  Cyrillic names are turned to the ФИО order (``Иван Петрович Сидоров`` → ``Сидоров Иван
  Петрович``, ``Иван Сидоров`` → ``Сидоров Иван``). Hard negatives get the same mess.
* **staff** — Windows-1251, ``;``, CRLF, the name split into surname, given name and
  patronymic (or middle name), Russian headers (:data:`STAFF_HEADERS`); several phones or
  mailboxes in one cell are separated by ``, ``; ``ʼ`` (not in Windows-1251) is written ``’``.
* **relatives** — an ``.xlsx`` workbook (openpyxl), Ukrainian headers
  (:data:`RELATIVE_HEADERS`), the name split, birth dates as Excel date cells (the relative's
  birth date, which the clean ``relatives.csv`` does not carry; some left empty), phones that
  are digits only as number cells (so ``0501234567`` loses its leading zero, as in Excel).

About 7% of the staff and relatives' phones are broken, half each way:

* an **unassigned area code** (``+1 466 …``, ``+7 870 …``, ``+380 60 …``): the person really
  uses that number, so it replaces theirs wherever it appears — in the roster and in every
  entry that carries it (an employee's own entry, a proxy's);
* a **typo** in the roster only (a digit dropped, doubled or two swapped): entries keep the
  right number.

Headers used, by field (the importer's column mapping must know each of them):

* entries: entry_id, submitted_at, Full name, Email, Phone, Date of birth, Address, City,
  Postal code, Country, IP address, device_id, social_handle;
* staff: Фамилия, Имя, Отчество (joined to full_name), Телефон, Эл. почта, Дата рождения,
  Адрес, Город, Индекс, Страна, Табельный номер (staff_id), Отдел, Компания;
* relatives: Табельний номер (staff_id), Прізвище, Ім'я, По батькові (joined to full_name),
  Ступінь спорідненості (relation, the project's codes), Дата народження (birth_date),
  Телефон, Ел. пошта, Адреса, Місто, Індекс, Країна.

    files = messy_files(population, seed=7)            # {"entries": (name, bytes), …}
    entrants, staff, relatives = read_population(files, reading)
"""

import csv
import io
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from random import Random
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from contest.identity.contacts import phone_e164, phone_key

if TYPE_CHECKING:
    from contest.fraud.people import PeopleFile
    from contest.spreadsheet.table import Reading

ENTRY_HEADERS: dict[str, str] = {
    "entry_id": "entry_id", "submitted_at": "submitted_at", "full_name": "Full name",
    "email": "Email", "phone": "Phone", "birth_date": "Date of birth", "address": "Address",
    "city": "City", "postal_code": "Postal code", "country": "Country", "ip": "IP address",
    "device_id": "device_id", "social_handle": "social_handle",
}
"""The entries file's header for each entries column, in file order."""

STAFF_HEADERS: tuple[str, ...] = (
    "Фамилия", "Имя", "Отчество", "Телефон", "Эл. почта", "Дата рождения", "Адрес", "Город",
    "Индекс", "Страна", "Табельный номер", "Отдел", "Компания",
)
STAFF_FIELDS: tuple[str, ...] = (
    "surname", "given_name", "patronymic", "phone", "email", "birth_date", "address", "city",
    "postal_code", "country", "staff_id", "department", "company",
)
"""What each of :data:`STAFF_HEADERS` holds (the three name parts make ``full_name``)."""

RELATIVE_HEADERS: tuple[str, ...] = (
    "Табельний номер", "Прізвище", "Ім'я", "По батькові", "Ступінь спорідненості",
    "Дата народження", "Телефон", "Ел. пошта", "Адреса", "Місто", "Індекс", "Країна",
)
RELATIVE_FIELDS: tuple[str, ...] = (
    "staff_id", "surname", "given_name", "patronymic", "relation", "birth_date", "phone",
    "email", "address", "city", "postal_code", "country",
)
"""What each of :data:`RELATIVE_HEADERS` holds."""

# Country calling code → (digits of the national number, digits of its area code), and area
# codes no number is assigned in (checked below with the phone reader: never valid).
_PLANS = {"7": (10, 3), "380": (9, 2), "1": (10, 3)}
_UNASSIGNED = {"7": ("870", "881", "893"), "380": ("60", "70", "90"),
               "1": ("466", "426", "976")}
BROKEN_SHARE = 0.07

_MOMENT_SHAPES = {"offset": 6, "iso": 34, "minutes": 30, "dotted": 30}
_PATRONYMIC = re.compile(r"[\w'ʼ’-]+(?:вич|вна|ична|ич)$")
_CYRILLIC = re.compile(r"[А-Яа-яЁёІіЇїЄєҐґ]")
# Letters Windows-1251 lacks, as people's Windows-1251 files write them.
_CP1251 = str.maketrans({"ʼ": "’"})


class Rows(Protocol):
    """The population's files as rows keyed by the clean files' columns
    (:class:`bench.fraud_population.Population` is one)."""

    @property
    def entries(self) -> list[dict[str, str]]: ...

    @property
    def staff(self) -> list[dict[str, str]]: ...

    @property
    def relatives(self) -> list[dict[str, str]]: ...


@dataclass(frozen=True)
class Mess:
    """The messy files, name and bytes per kind ("entries", "staff", "relatives"), and how
    many values were written each messy way (see :func:`render_mess`)."""

    files: dict[str, tuple[str, bytes]]
    counts: Counter[str]


@dataclass(frozen=True)
class BrokenPhone:
    """One roster phone written broken: ``written`` instead of ``clean``."""

    clean: str
    written: str
    how: str  # "unassigned area" or "typo"


def messy_files(population: Rows, seed: int, *, zone: str = "Europe/Moscow",
                broken_share: float = BROKEN_SHARE) -> dict[str, tuple[str, bytes]]:
    """The entries, staff and relatives files of ``population`` as real files come, the same
    for a seed: {"entries": (file name, bytes), "staff": …, "relatives": …}; about
    ``broken_share`` of the roster phones are broken, half each way."""
    return render_mess(population, seed, zone=zone, broken_share=broken_share).files


def render_mess(population: Rows, seed: int, *, zone: str = "Europe/Moscow",
                broken_share: float = BROKEN_SHARE) -> Mess:
    """:func:`messy_files` with the count of each kind of mess written."""
    rng = Random(f"mess {seed}")
    counts: Counter[str] = Counter()
    phones = _PhoneMess(population, rng, counts, broken_share)
    staff_country = {row["staff_id"]: row["country"] for row in population.staff}
    staff = _staff_file(population.staff, phones, rng, counts)
    relatives = _relatives_file(population.relatives, staff_country, phones, rng, counts)
    entries = _entries_file(population.entries, phones, ZoneInfo(zone), rng, counts)
    return Mess(files={"entries": entries, "staff": staff, "relatives": relatives},
                counts=counts)


def read_population(files: Mapping[str, tuple[str, bytes]], reading: "Reading") -> tuple[
        "PeopleFile", "PeopleFile", "PeopleFile"]:
    """The entrants, staff and relatives of :func:`messy_files` read by the project's readers
    with ``reading`` (the zone of naive moments, the day-month order, what columns give).

    Needs the readers of issue 19 (``name=`` and ``reading=`` keywords); with those, every
    header above is recognised and no row is refused."""
    from contest.fraud.people import read_entries, read_relatives, read_staff

    name, raw = files["staff"]
    staff = read_staff(raw, name=name, reading=reading)
    name, raw = files["relatives"]
    relatives = read_relatives(raw, staff.people, name=name,
                               reading=reading)
    name, raw = files["entries"]
    entrants = read_entries(raw, name=name, reading=reading)
    return entrants, staff, relatives


# --- Phones --------------------------------------------------------------------------------

def _calling_code(e164: str) -> str:
    return next(code for code in ("380", "7", "1") if e164.startswith("+" + code))


def _digit_places(text: str) -> list[int]:
    return [i for i, character in enumerate(text) if character.isdigit()]


def with_area(text: str, e164: str, area: str) -> str:
    """``text``, a way of writing ``e164``, with its area code replaced by ``area`` and every
    other character kept ("8 (916) 123-45-67" → "8 (870) 123-45-67")."""
    national, _ = _PLANS[_calling_code(e164)]
    places = _digit_places(text)
    start = len(places) - national
    characters = list(text)
    for place, digit in zip(places[start:start + len(area)], area, strict=True):
        characters[place] = digit
    return "".join(characters)


class _PhoneMess:
    """Decides which roster phones are broken and how, and rewrites the entries that carry a
    number whose owner really uses one with an unassigned area code."""

    def __init__(self, population: Rows, rng: Random, counts: Counter[str],
                 broken_share: float) -> None:
        self.rng = rng
        self.counts = counts
        self.broken_share = broken_share
        self.moved: dict[str, str] = {}        # E.164 → the unassigned area its owner uses
        # Every number in the files: a typo must not land on somebody's real number.
        self.known: set[str] = set()
        for row in population.entries:
            if row["phone"] and (number := phone_e164(row["phone"], row["country"] or None)):
                self.known.add(number)
        staff_country = {row["staff_id"]: row["country"] for row in population.staff}
        for row in population.staff:
            self._know(row["phone"], row["country"])
        for row in population.relatives:
            self._know(row["phone"], row["country"] or staff_country.get(row["staff_id"], ""))

    def _know(self, field: str, country: str) -> None:
        for text in _values(field):
            if number := phone_e164(text, country or None):
                self.known.add(number)

    def roster(self, text: str, country: str) -> BrokenPhone | None:
        """How one roster phone is written: None when as it is."""
        roll = self.rng.random()
        if roll >= self.broken_share:
            return None
        number = phone_e164(text, country or None)
        if number is None:
            return None
        if roll < self.broken_share / 2:
            code = _calling_code(number)
            for area in self.rng.sample(_UNASSIGNED[code], len(_UNASSIGNED[code])):
                written = with_area(text, number, area)
                # "466.900.2528" reads as a Swedish number: not the mess meant here.
                if phone_key(written, country or None) is None:
                    self.moved[number] = area
                    self.counts["roster phone: unassigned area code"] += 1
                    return BrokenPhone(text, written, "unassigned area")
            return None
        for _ in range(20):
            written = self._typo(text)
            if phone_e164(written, country or None) not in self.known:
                self.counts["roster phone: typo"] += 1
                return BrokenPhone(text, written, "typo")
        return None

    def _typo(self, text: str) -> str:
        """A digit of the subscriber number dropped, doubled, or swapped with the next."""
        places = _digit_places(text)[-7:]
        i = self.rng.randrange(len(places) - 1)
        here, there = places[i], places[i + 1]
        how = self.rng.randrange(3)
        if how == 0:
            return text[:here] + text[here + 1:]
        if how == 1:
            return text[:here] + text[here] + text[here:]
        if text[here] == text[there]:
            return text[:here] + text[here + 1:]
        characters = list(text)
        characters[here], characters[there] = text[there], text[here]
        return "".join(characters)

    def entry(self, text: str, country: str) -> str:
        """An entry's phone: the person's own number as they really write it."""
        if not text or not self.moved:
            return text
        number = phone_e164(text, country or None)
        if number is None or number not in self.moved:
            return text
        written = with_area(text, number, self.moved[number])
        self.counts["entry phone: unassigned area code"] += 1
        if phone_key(written, country or None) is not None:
            self.counts["entry phone: unassigned area code, yet read as valid"] += 1
        return written


def _values(field: str) -> list[str]:
    return [value.strip() for value in field.split(";") if value.strip()]


# --- Names, dates, moments -----------------------------------------------------------------

def split_name(full_name: str) -> tuple[str, str, str]:
    """(surname, given name, patronymic or middle name) of a name as rosters write it:
    "Surname, Given [Middle]", "Surname Given Patronymic" (the patronymic told by its
    ending) or "Given [Middle] Surname"."""
    if "," in full_name:
        surname, _, rest = full_name.partition(",")
        given, _, middle = rest.strip().partition(" ")
        return surname.strip(), given, middle.strip()
    words = full_name.split()
    if len(words) == 3 and _PATRONYMIC.match(words[2]) and not _PATRONYMIC.match(words[1]):
        return words[0], words[1], words[2]
    if len(words) >= 2:
        return words[-1], words[0], " ".join(words[1:-1])
    return full_name, "", ""


def _fio_order(name: str, rng: Random, counts: Counter[str]) -> str:
    """Some Cyrillic names turned surname first, as ФИО columns hold them."""
    if not _CYRILLIC.search(name):
        return name
    words = name.split(" ")
    if len(words) == 3 and _PATRONYMIC.match(words[1]) and rng.random() < 0.6:
        counts["entry name: surname first (ФИО)"] += 1
        return f"{words[2]} {words[0]} {words[1]}"
    if len(words) == 2 and rng.random() < 0.15:
        counts["entry name: two words swapped"] += 1
        return f"{words[1]} {words[0]}"
    return name


def _day(text: str, rng: Random, counts: Counter[str], *, file: str,
         dotted_share: float) -> str:
    if not text:
        return ""
    if rng.random() < dotted_share:
        counts[f"{file} birth date DD.MM.YYYY"] += 1
        return date.fromisoformat(text).strftime("%d.%m.%Y")
    counts[f"{file} birth date ISO 8601"] += 1
    return text


def _moment(text: str, zone: ZoneInfo, rng: Random, counts: Counter[str]) -> str:
    shapes = list(_MOMENT_SHAPES)
    shape = rng.choices(shapes, weights=list(_MOMENT_SHAPES.values()))[0]
    counts[f"entry moment: {shape}"] += 1
    if shape == "offset":
        return text
    local = datetime.fromisoformat(text).astimezone(zone)
    if shape == "iso":
        return local.strftime("%Y-%m-%dT%H:%M:%S")
    if shape == "minutes":
        return local.strftime("%Y-%m-%d %H:%M")
    return local.strftime("%d.%m.%Y %H:%M")


# --- The three files -----------------------------------------------------------------------

def _entries_file(rows: Sequence[Mapping[str, str]], phones: _PhoneMess, zone: ZoneInfo,
                  rng: Random, counts: Counter[str]) -> tuple[str, bytes]:
    delimiter = rng.choice((";", "\t"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(ENTRY_HEADERS.values())
    for row in rows:
        messy = dict(row)
        messy["submitted_at"] = _moment(row["submitted_at"], zone, rng, counts)
        messy["birth_date"] = _day(row["birth_date"], rng, counts, file="entry",
                                   dotted_share=0.8)
        messy["full_name"] = _fio_order(row["full_name"], rng, counts)
        messy["phone"] = phones.entry(row["phone"], row["country"])
        writer.writerow(messy[column] for column in ENTRY_HEADERS)
    name = "entries-export.csv" if delimiter == ";" else "entries-export.txt"
    counts[f"entries delimiter {delimiter!r}"] += 1
    return name, out.getvalue().encode("utf-8-sig")


def _staff_file(rows: Sequence[Mapping[str, str]], phones: _PhoneMess, rng: Random,
                counts: Counter[str]) -> tuple[str, bytes]:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(STAFF_HEADERS)
    for row in rows:
        surname, given, patronymic = split_name(row["full_name"])
        written = []
        for text in _values(row["phone"]):
            broken = phones.roster(text, row["country"])
            written.append(broken.written if broken else text)
        values = {
            **row, "surname": surname, "given_name": given, "patronymic": patronymic,
            "phone": ", ".join(written), "email": ", ".join(_values(row["email"])),
            "birth_date": _day(row["birth_date"], rng, counts, file="staff", dotted_share=0.85),
        }
        writer.writerow(values[field] for field in STAFF_FIELDS)
    text = out.getvalue().translate(_CP1251)
    return "staff-roster.csv", text.encode("cp1251")


def _relatives_file(rows: Sequence[Mapping[str, str]], staff_country: Mapping[str, str],
                    phones: _PhoneMess, rng: Random,
                    counts: Counter[str]) -> tuple[str, bytes]:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Родичі")
    sheet.append(RELATIVE_HEADERS)
    for row in rows:
        surname, given, patronymic = split_name(row["full_name"])
        country = row["country"] or staff_country.get(row["staff_id"], "")
        phone: str | int = row["phone"]
        if row["phone"]:
            broken = phones.roster(row["phone"], country)
            phone = broken.written if broken else row["phone"]
            if phone.isdigit():
                phone = int(phone)
                counts["relative phone as a number cell"] += 1
        born: object = ""
        if row.get("birth_date") and rng.random() < 0.85:
            cell = WriteOnlyCell(sheet, value=datetime.fromisoformat(row["birth_date"]))
            cell.number_format = "DD.MM.YYYY"
            born = cell
            counts["relative birth date as an Excel date"] += 1
        values: dict[str, object] = {
            **row, "surname": surname, "given_name": given, "patronymic": patronymic,
            "phone": phone, "birth_date": born,
        }
        sheet.append([values[field] if values[field] != "" else None
                      for field in RELATIVE_FIELDS])
    out = io.BytesIO()
    book.save(out)
    return "relatives.xlsx", out.getvalue()
