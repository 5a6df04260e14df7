"""Builders for entry tests: an entrant's fields and a CSV file of them."""

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from contest.entries.submission import COLUMNS
from tests.builders import OPENS

DURING = OPENS + timedelta(days=1)


def entrant(**fields: str | None) -> dict[str, str | None]:
    """A valid adult entrant from Russia; ``fields`` override or (with None) remove fields."""
    data: dict[str, str | None] = {
        "full_name": "Anna Petrova",
        "email": "anna@example.ru",
        "phone": "+7 916 123 4567",
        "birth_date": "1990-05-17",
        "address": "ul. Lenina 5, kv. 3",
        "city": "Moscow",
        "postal_code": "101000",
        "country": "RU",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def csv_bytes(rows: Iterable[Mapping[str, str | None]], columns: Iterable[str] = COLUMNS,
              encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    names = list(columns)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([row.get(name) or "" for name in names])
    return out.getvalue().encode(encoding)


def at(moment: datetime) -> str:
    return moment.isoformat()
