"""The import page's form: what the marketer chose about reading their file (what each column
gives, the zone of moments written without one, the order of ambiguous dates), as sent back
with each "Preview again" and "Import", and the folder where the uploaded file waits between
them (:mod:`contest.entries.held_files`)."""

import json
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from contest.entries.held_files import HeldFiles
from contest.spreadsheet.columns import FULL_NAME, IGNORE, ColumnMap, NamePart, header_key
from contest.spreadsheet.table import Reading

DAY_FIRST = "day"
MONTH_FIRST = "month"
ORDERS = ("", DAY_FIRST, MONTH_FIRST)
"""The choices of the date order: the contest's default, day first, month first."""


def field_labels() -> dict[str, str]:
    """Each field a column may give, in words of the page's language."""
    return {
        "entry_id": _("Entry number in the file"),
        "submitted_at": _("Date and time of the entry"),
        "full_name": _("Full name"),
        "surname": _("Surname (part of the name)"),
        "given_name": _("Given name (part of the name)"),
        "patronymic": _("Patronymic or middle name (part of the name)"),
        "email": _("E-mail"),
        "phone": _("Phone"),
        "birth_date": _("Date of birth"),
        "address": _("Street address"),
        "city": _("City"),
        "postal_code": _("Postal code"),
        "country": _("Country"),
        "ip": _("IP address"),
        "device_id": _("Device"),
        "social_handle": _("Nickname or profile in a social network"),
        "account": _("Social account (vk:123456, tg:987654, ig:username)"),
        "user_agent": _("Browser or program"),
    }


def fields_read(columns: ColumnMap) -> list[tuple[str, str]]:
    """The fields the file gives, in the order of their first column, each with the
    header(s) it is read from (``Фамилия + Имя`` for a split name): the columns of the
    preview's table."""
    found: dict[str, str] = {}
    for column in columns.columns:
        if column.field is None:
            continue
        field = FULL_NAME if isinstance(column.field, NamePart) else column.field
        found.setdefault(field, columns.header_of(field))
    return list(found.items())


def held_files() -> HeldFiles:
    """The uploads waiting for their import, in the instance folder."""
    return HeldFiles(Path(current_app.instance_path) / "held-imports")


@dataclass(frozen=True)
class Choices:
    """How the marketer asks for their file to be read: one field (or ``-``) per column of
    the file, in file order, the zone as typed, and the date order (:data:`ORDERS`)."""

    headers: tuple[str, ...]
    fields: tuple[str, ...]
    zone: str
    order: str = ""

    @classmethod
    def as_read(cls, columns: ColumnMap, zone: str) -> "Choices":
        """The choices that read the file as ``columns`` says it was read."""
        return cls(tuple(column.header for column in columns.columns),
                   tuple(column.field or IGNORE for column in columns.columns), zone)

    @classmethod
    def from_form(cls, form: "MultiDict[str, str]", allowed: tuple[str, ...]) -> "Choices":
        """The choices sent with the form; a field not offered is read as ``-`` (the form
        offers no other), an order not offered as the default."""
        headers: list[str] = []
        fields: list[str] = []
        while f"header-{len(headers)}" in form:
            headers.append(form[f"header-{len(headers)}"])
            chosen = form.get(f"column-{len(fields)}", IGNORE)
            fields.append(chosen if chosen in allowed else IGNORE)
        order = form.get("order", "")
        return cls(tuple(headers), tuple(fields), form.get("zone", "").strip(),
                   order if order in ORDERS else "")

    def reading(self, zone: str) -> Reading:
        """How to read the file: ``zone`` is the IANA name the typed zone was found as."""
        return Reading(zone=ZoneInfo(zone),
                       month_first=None if not self.order else self.order == MONTH_FIRST,
                       said=self.said())

    def said(self) -> dict[str, str]:
        """What each column gives, keyed as :func:`~contest.spreadsheet.columns.map_columns`
        finds a column: by its header, or by its number (``#3``) when its header is empty or
        another column's header reads the same."""
        keys = [header_key(header) for header in self.headers]
        return {(header if keys[place] and keys.count(keys[place]) == 1 else f"#{place + 1}"):
                field for place, (header, field) in enumerate(zip(self.headers, self.fields,
                                                                   strict=True))}

    def as_json(self) -> str:
        """The choices as the page keeps them, to tell whether they changed since the
        preview it shows."""
        return json.dumps({"headers": self.headers, "fields": self.fields, "zone": self.zone,
                           "order": self.order},
                          ensure_ascii=False, sort_keys=True)
