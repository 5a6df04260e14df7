"""Benchmark: import a file of realistic entries and print rows per second.

Generates ``--rows`` entrants with Faker (ru_RU, uk_UA and en_US; some give only a phone,
some only an email, about 1% have an invalid field), writes them in each ``--formats``:

- ``utf8``: the project's own CSV (UTF-8, commas, its column names, ISO 8601 moments with
  an offset);
- ``cp1251``: what Excel in a Russian locale saves: Windows-1251, semicolons, Russian
  headers, ``DD.MM.YYYY`` birth dates and moments in Moscow time without a zone;
- ``xlsx``: the same as an Excel workbook (openpyxl), dates and moments as date cells;

and for each, reads the file alone (:func:`contest.spreadsheet.table.read_table`), then
imports it into a fresh contest of a migrated database (SQLite in a temporary folder unless
``--database-url`` names another, which must be empty), then imports it again, which must
add nothing. Target: 5,000 rows/s on SQLite on a two-core machine.

    .venv/bin/python bench/import_entries.py --rows 100000 [--formats utf8,cp1251,xlsx]
"""

import argparse
import csv
import io
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from faker import Faker
from openpyxl import Workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session

from contest.canonical import canonical_json
from contest.db import make_engine, upgrade
from contest.entries.csv_import import ImportReport, import_entries_file
from contest.entries.submission import COLUMNS
from contest.ledger.note import Signer
from contest.models import Contest, RulesVersion
from contest.rules.canonical import rules_sha256
from contest.rules.document import (
    Announcement,
    ComplaintChannel,
    Eligibility,
    EntryLimits,
    EntryPeriod,
    Money,
    Party,
    Prize,
    RulesDocument,
)
from contest.rules.versions import PublishedContest
from contest.spreadsheet.table import Reading, read_table

OPENS = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CLOSES = OPENS + timedelta(days=30)
LOCALES = {"ru_RU": "RU", "uk_UA": "UA", "en_US": "US"}
PHONE_SHAPES = {
    "RU": lambda r: f"8 ({r.randint(900, 999)}) {r.randint(100, 999)}-{r.randint(10, 99)}-"
                    f"{r.randint(10, 99)}",
    "UA": lambda r: f"+380 {r.choice([50, 63, 66, 67, 68, 73, 93, 96, 97, 98, 99])} "
                    f"{r.randint(100, 999)} {r.randint(1000, 9999)}",
    "US": lambda r: f"({r.choice([212, 213, 312, 415, 503, 617, 646, 702, 718, 917])}) "
                    f"{r.randint(200, 999)}-{r.randint(1000, 9999)}",
}
INVALID = [
    ("email", "not-an-email"), ("birth_date", "31.12.1990"), ("phone", "12"),
    ("country", "XX"), ("submitted_at", "yesterday"), ("ip", "999.1.1.1"),
]


def rules() -> RulesDocument:
    return RulesDocument(
        language="en", title="Benchmark giveaway",
        sponsor=Party("Bench Foods LLC"), organiser=Party("Bench Promo"),
        period=EntryPeriod(timezone="Europe/Moscow", opens_at=OPENS, closes_at=CLOSES,
                           draw_at=CLOSES + timedelta(days=2)),
        eligibility=Eligibility(min_age=18, legal_min_age=18, countries=tuple(LOCALES.values())),
        limits=EntryLimits(per_person=1, per_household=3),
        prizes=(Prize("Gift card", 3, Money(Decimal("100.00"), "USD")),),
        winners=3, alternates=2,
        announcement=Announcement(notify_by="email", notify_within_days=3),
        complaints=ComplaintChannel(channel="complaints@bench.example"),
    )


def make_contest(session: Session, document: RulesDocument) -> tuple[Contest, RulesVersion]:
    now = OPENS - timedelta(days=1)
    data = canonical_json(document.to_data()).decode()
    contest = Contest(slug=f"bench-{time.time_ns()}", language="en", title=document.title,
                      draft_json=data, created_at=now, updated_at=now)
    session.add(contest)
    session.flush()
    assert contest.id is not None
    version = RulesVersion(contest_id=contest.id, version=1, sha256=rules_sha256(document),
                           canonical_json=data, published_at=now)
    session.add(version)
    session.commit()
    return contest, version


RUSSIAN_HEADERS = {
    "entry_id": "Номер заявки", "submitted_at": "Дата и время", "full_name": "ФИО",
    "email": "Эл. почта", "phone": "Телефон", "birth_date": "Дата рождения",
    "address": "Адрес", "city": "Город", "postal_code": "Индекс", "country": "Страна",
    "ip": "IP-адрес", "device_id": "Устройство", "social_handle": "Ник",
}
MOSCOW = ZoneInfo("Europe/Moscow")


def generate(rows: int, seed: int = 2026) -> bytes:
    """A CSV file of ``rows`` entrants, about 1% of them with one invalid field."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in entrants(rows, seed):
        writer.writerow([row[column] for column in COLUMNS])
    return out.getvalue().encode()


def as_excel_would(rows: int, seed: int = 2026) -> tuple[bytes, bytes]:
    """The same entrants as :func:`generate`, as a Russian Excel writes them: a CSV file
    (Windows-1251, ``;``) and a workbook, Russian headers, local dates and moments."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([RUSSIAN_HEADERS[column] for column in COLUMNS])
    # Not write-only: that mode writes each string into its cell and no size, which Excel
    # never does (its files share their strings and declare their size first); read, such a
    # file costs openpyxl a whole pass more.
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Участники"
    sheet.append([RUSSIAN_HEADERS[column] for column in COLUMNS])
    for row in entrants(rows, seed):
        local = dict(row)
        cells: list[object] = [row[column] for column in COLUMNS]
        try:
            moment = datetime.fromisoformat(row["submitted_at"]).astimezone(MOSCOW)
            local["submitted_at"] = moment.strftime("%d.%m.%Y %H:%M:%S")
            cells[COLUMNS.index("submitted_at")] = moment.replace(tzinfo=None)
        except ValueError:
            pass  # an invalid moment stays as written
        try:
            born = date.fromisoformat(row["birth_date"])
            local["birth_date"] = born.strftime("%d.%m.%Y")
            cells[COLUMNS.index("birth_date")] = born
        except ValueError:
            pass
        writer.writerow([local[column] for column in COLUMNS])
        sheet.append(cells)
    workbook = io.BytesIO()
    book.save(workbook)
    return out.getvalue().encode("cp1251", errors="replace"), workbook.getvalue()


def entrants(rows: int, seed: int = 2026) -> Iterator[dict[str, str]]:
    """``rows`` entrants' fields as the project's CSV writes them."""
    rng = random.Random(seed)
    fakers = {locale: Faker(locale) for locale in LOCALES}
    for faker in fakers.values():
        faker.seed_instance(seed)
    span = int((CLOSES - OPENS).total_seconds())
    for number in range(rows):
        locale = rng.choice(list(LOCALES))
        faker, country = fakers[locale], LOCALES[locale]
        contact = rng.random()
        row = {
            "entry_id": f"b{number}" if rng.random() < 0.7 else "",
            "submitted_at": (OPENS + timedelta(seconds=rng.randrange(span))).isoformat(),
            "full_name": faker.name(),
            "email": f"{faker.user_name()}{number}@{faker.free_email_domain()}"
                     if contact < 0.85 else "",
            "phone": PHONE_SHAPES[country](rng) if contact > 0.6 else "",
            "birth_date": faker.date_of_birth(minimum_age=14, maximum_age=80).isoformat(),
            "address": faker.street_address(),
            "city": faker.city(),
            "postal_code": faker.postcode(),
            "country": country,
            "ip": faker.ipv4() if rng.random() < 0.8 else faker.ipv6(),
            "device_id": faker.uuid4() if rng.random() < 0.5 else "",
            "social_handle": f"@{faker.user_name()}" if rng.random() < 0.3 else "",
        }
        if rng.random() < 0.01:
            column, value = rng.choice(INVALID)
            row[column] = value
        yield row


SIGNER = Signer.generate("bench.example/log")


def timed_import(engine: Engine, contest: Contest, version: RulesVersion,
                 document: RulesDocument, data: bytes, name: str
                 ) -> tuple[ImportReport, float]:
    started = time.perf_counter()
    with Session(engine, expire_on_commit=False) as session:
        report = import_entries_file(
            session, contest=PublishedContest(contest, version, document),
            stream=io.BytesIO(data), now=CLOSES + timedelta(hours=1), signer=SIGNER,
            name=name,
        )
        session.commit()
    return report, time.perf_counter() - started


def timed_read(data: bytes, name: str) -> float:
    """Seconds to read the file alone, as every import does first."""
    started = time.perf_counter()
    read_table(data, name=name, fields=COLUMNS, dates=("birth_date",),
               moments=("submitted_at",), reading=Reading(zone=MOSCOW))
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="an empty database (default: temporary SQLite)")
    parser.add_argument("--formats", default="utf8,cp1251,xlsx",
                        help="which files to import, comma-separated: utf8, cp1251, xlsx")
    options = parser.parse_args(argv)
    formats = options.formats.split(",")

    with tempfile.TemporaryDirectory() as folder:
        url = options.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        started = time.perf_counter()
        files = {"utf8": (generate(options.rows), "entries.csv")}
        if {"cp1251", "xlsx"} & set(formats):
            windows, workbook = as_excel_would(options.rows)
            files |= {"cp1251": (windows, "участники.csv"), "xlsx": (workbook, "участники.xlsx")}
        print(f"generated {options.rows} rows in {len(files)} formats "
              f"in {time.perf_counter() - started:.1f} s")
        engine = make_engine(url)
        upgrade(engine)
        document = rules()
        for kind in formats:
            data, name = files[kind]
            seconds = timed_read(data, name)
            print(f"{kind} ({len(data) / 1e6:.1f} MB): read alone {seconds:.2f} s, "
                  f"{options.rows / seconds:,.0f} rows/s")
            with Session(engine, expire_on_commit=False) as session:
                contest, version = make_contest(session, document)
            for label in ("first import", "second import"):
                report, seconds = timed_import(engine, contest, version, document, data, name)
                print(f"  {label} ({engine.dialect.name}): {report.summary()}")
                print(f"    {seconds:.2f} s, {report.total_rows / seconds:,.0f} rows/s")
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
