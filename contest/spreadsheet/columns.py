"""Which column of a file gives which field: headers in Russian, Ukrainian and English.

A file's header row is matched against the names people give each field (:data:`HEADERS`):
``ФИО``, ``Эл. почта``, ``Дата рождения``, ``Прізвище``, ``E-mail``, ``Date of birth``…
Headers are compared by their letters and digits only, case folded and ``ё`` read as ``е``,
so ``Ф.И.О.``, ``фио`` and ``ФИО*`` are one name. A person may say what a column gives
(``--map "Моб. тел.=phone"`` on the command line, the mapping form on the import page):
what they say wins over the names.

A name split over columns (``Фамилия``, ``Имя``, ``Отчество``; ``First name``, ``Last
name``) is joined into ``full_name`` in the order people write that language's full name:
surname, given name, patronymic for Russian and Ukrainian headers (as a ``ФИО`` column
holds it), given name, middle name, surname for English ones. A lone ``Имя`` or ``Name``
column is the full name: social networks export the name people show there.

Every column the caller does not read is listed as unknown, so nothing is left out unseen.
Two columns that give one field are joined when the field holds several values (a staff
member's work and personal phone), and refused otherwise: the person says which one.
"""

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from contest.errors import ImportFailed
from contest.i18n import N_, Message

FULL_NAME = "full_name"
IGNORE = "-"
"""What ``--map column=-`` maps a column to: it is not read."""


class NamePart(StrEnum):
    """A part of a name written in a column of its own."""

    SURNAME = "surname"
    GIVEN_NAME = "given_name"
    PATRONYMIC = "patronymic"


HEADERS: Mapping[str, tuple[str, ...]] = {
    "entry_id": ("entry_id", "entry id", "id", "id заявки", "номер заявки", "№ заявки",
                 "ид", "ідентифікатор", "номер"),
    "submitted_at": ("submitted_at", "submitted", "submitted at", "timestamp", "date",
                     "date and time", "created", "created_at", "entry date", "time",
                     "дата", "дата и время", "дата заявки", "дата подачи", "время",
                     "время заявки", "дата участия", "дата і час", "дата заявки",
                     "дата подання", "час", "дата участі"),
    "full_name": ("full_name", "full name", "name", "фио", "полное имя", "имя и фамилия",
                  "фамилия имя отчество", "участник", "піб", "повне ім'я",
                  "ім'я та прізвище", "прізвище ім'я по батькові", "учасник",
                  "сотрудник", "працівник", "employee", "employee name", "имя"),
    NamePart.SURNAME: ("surname", "last name", "last_name", "lastname", "family name",
                       "фамилия", "прізвище"),
    NamePart.GIVEN_NAME: ("first name", "first_name", "firstname", "given name",
                          "given_name", "имя", "ім'я", "імя"),
    NamePart.PATRONYMIC: ("patronymic", "middle name", "middle_name", "отчество",
                          "по батькові", "побатькові"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail", "почта",
              "эл. почта", "электронная почта", "адрес электронной почты", "емейл",
              "имейл", "ел. пошта", "електронна пошта", "пошта", "personal email",
              "work email", "личная почта", "рабочая почта", "особиста пошта",
              "робоча пошта"),
    "phone": ("phone", "phone number", "telephone", "tel", "mobile", "mobile phone",
              "телефон", "номер телефона", "тел", "моб. телефон", "мобильный",
              "мобильный телефон", "номер телефону", "мобільний", "мобільний телефон",
              "personal phone", "work phone", "личный телефон", "рабочий телефон",
              "особистий телефон", "робочий телефон"),
    "birth_date": ("birth_date", "birth date", "date of birth", "birthday", "dob",
                   "birthdate", "дата рождения", "д.р.", "день рождения",
                   "дата народження", "день народження"),
    "address": ("address", "street address", "home address", "адрес", "адрес проживания",
                "домашний адрес", "адреса", "адреса проживання", "домашня адреса"),
    "city": ("city", "town", "город", "населенный пункт", "місто", "населений пункт"),
    "postal_code": ("postal_code", "postal code", "postcode", "zip", "zip code",
                    "индекс", "почтовый индекс", "індекс", "поштовий індекс"),
    "country": ("country", "страна", "країна"),
    "ip": ("ip", "ip address", "ip-адрес", "ip-адреса"),
    "device_id": ("device_id", "device id", "device", "устройство", "пристрій"),
    "user_agent": ("user_agent", "user agent", "user-agent", "browser", "браузер"),
    "social_handle": ("social_handle", "handle", "username", "user name", "nickname",
                      "ник", "никнейм", "аккаунт", "профиль", "нік", "нікнейм",
                      "акаунт", "профіль"),
    "account": ("account", "social account", "social network account", "аккаунт в соцсети",
                "аккаунт в социальной сети", "акаунт у соцмережі", "акаунт в соцмережі"),
    "staff_id": ("staff_id", "staff id", "employee id", "employee number",
                 "personnel number", "табельный номер", "таб. №", "таб. номер",
                 "id сотрудника", "табельний номер", "id працівника"),
    "department": ("department", "отдел", "подразделение", "відділ", "підрозділ"),
    "company": ("company", "employer", "компания", "организация", "юрлицо", "компанія",
                "організація"),
    "relation": ("relation", "relationship", "родство", "степень родства",
                 "кем приходится", "спорідненість", "ступінь спорідненості",
                 "ким доводиться"),
}
"""The names people give each field in a header, in English, Russian and Ukrainian."""

_PARTS: Mapping[str, NamePart] = {part.value: part for part in NamePart}
_CYRILLIC_PART_ORDER = (NamePart.SURNAME, NamePart.GIVEN_NAME, NamePart.PATRONYMIC)
_LATIN_PART_ORDER = (NamePart.GIVEN_NAME, NamePart.PATRONYMIC, NamePart.SURNAME)


def header_key(text: str) -> str:
    """A header as it is compared: its letters and digits, case folded, ``ё`` as ``е``."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return "".join(character for character in folded if character.isalnum())


def _names_by_key() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for field, names in HEADERS.items():
        for name in names:
            if not header_key(name):
                continue
            fields = found.setdefault(header_key(name), [])
            if field not in fields:
                fields.append(field)
    return found


_BY_KEY = _names_by_key()


@dataclass(frozen=True)
class Column:
    """One column of the file and what is read from it."""

    position: int
    """0-based, in the header row."""
    header: str
    """As written in the file (trimmed)."""
    field: str | None
    """The field it gives (a :class:`NamePart` for part of a name); ``None``: not read."""
    said: bool = False
    """The person mapped it (``--map``), rather than its header's name."""


@dataclass(frozen=True)
class ColumnMap:
    """What each column of a file gives."""

    columns: tuple[Column, ...]
    name_parts: tuple[Column, ...] = ()
    """The columns of a split name, in the order they are joined into ``full_name``."""

    def positions(self, field: str) -> tuple[int, ...]:
        """The columns giving ``field``, in file order."""
        return tuple(column.position for column in self.columns if column.field == field)

    @property
    def fields(self) -> frozenset[str]:
        """The fields some column gives (``full_name`` when split over columns)."""
        given = {column.field for column in self.columns if column.field is not None}
        return frozenset(given | ({FULL_NAME} if self.name_parts else set()))

    @property
    def unknown(self) -> tuple[str, ...]:
        """The headers of the columns not read."""
        return tuple(column.header or f"#{column.position + 1}" for column in self.columns
                     if column.field is None)

    def header_of(self, field: str) -> str:
        """How the file names ``field``'s column(s): for a split name, ``A + B + C``."""
        if field == FULL_NAME and self.name_parts and not self.positions(FULL_NAME):
            return " + ".join(column.header for column in self.name_parts)
        return " + ".join(column.header for column in self.columns if column.field == field)

    def description(self) -> Message:
        """The mapping in words: ``Фамилия + Имя + Отчество → full_name, Телефон → phone``."""
        used: dict[str, str] = {}
        for column in self.columns:
            if column.field is None:
                continue
            field = FULL_NAME if isinstance(column.field, NamePart) else column.field
            if field not in used:
                used[field] = self.header_of(field)
        text = ", ".join(f"{header} → {field}" for field, header in used.items())
        return Message(N_("columns: {mapping}"), {"mapping": text or "—"})

    def as_text(self) -> str:
        """The mapping as ``--map`` options would give it (``header=field``, one per column
        read), for the person to copy and change."""
        return " ".join(f"{column.header}={column.field}" for column in self.columns
                        if column.field is not None)


def map_columns(header: Sequence[str], fields: Iterable[str], *,
                said: Mapping[str, str] | None = None,
                several: Iterable[str] = ()) -> ColumnMap:
    """What each column of ``header`` gives, among ``fields`` (and the parts of a name when
    ``full_name`` is one of them).

    ``said`` maps a header (compared as :func:`header_key` compares) to a field, or to
    :data:`IGNORE`; it wins over the names. ``several`` are the fields that hold several
    values: two columns giving one are joined. Raises :class:`ImportFailed` when ``said``
    names a column or a field the file or the caller does not have, or two columns give a
    field that holds one value.
    """
    wanted = list(fields)
    allowed = {*wanted, *((*NamePart,) if FULL_NAME in wanted else ())}
    told = _said(header, said or {}, allowed)
    columns: list[Column] = []
    trimmed = [text.strip() for text in header]
    for position, text in enumerate(trimmed):
        if position in told:
            field = told[position]
            columns.append(Column(position, text, None if field == IGNORE else field, True))
            continue
        candidates = [field for field in _BY_KEY.get(header_key(text), []) if field in allowed]
        columns.append(Column(position, text, candidates[0] if candidates else None))
    columns = _lone_given_name(columns, allowed)
    _refuse_repeats(columns, set(several))
    parts = [column for column in columns if isinstance(column.field, NamePart)]
    if any(column.field == FULL_NAME for column in columns) or not parts:
        # A full name column is read; parts beside it are not needed.
        columns = [Column(c.position, c.header, None, c.said) if isinstance(c.field, NamePart)
                   else c for c in columns]
        return ColumnMap(tuple(columns))
    order = _CYRILLIC_PART_ORDER if any(_cyrillic(column.header) for column in parts) \
        else _LATIN_PART_ORDER
    joined = sorted(parts, key=lambda column: order.index(NamePart(column.field or "")))
    return ColumnMap(tuple(columns), tuple(joined))


def _said(header: Sequence[str], said: Mapping[str, str], allowed: set[str]) -> dict[int, str]:
    keys = [header_key(text) for text in header]
    told: dict[int, str] = {}
    for column, field in said.items():
        field = field.strip()
        if field != IGNORE and field not in allowed:
            raise ImportFailed(N_("--map {column}={field}: {field} is not a field; the fields "
                                  "are {fields}"),
                               {"column": column, "field": field,
                                "fields": ", ".join(sorted(allowed))})
        key = header_key(column)
        matches = [position for position, name in enumerate(keys) if name == key and key]
        if not matches and column.strip().startswith("#") and column.strip()[1:].isdigit():
            number = int(column.strip()[1:])
            matches = [number - 1] if 1 <= number <= len(header) else []
        if not matches:
            raise ImportFailed(N_("--map {column}={field}: the file has no column {column}; "
                                  "its columns are {columns}"),
                               {"column": column, "field": field,
                                "columns": ", ".join(text.strip() for text in header)})
        for position in matches:
            # A part of a name said by its word is that part (joined into the full name).
            told[position] = _PARTS.get(field, field)
    return told


def _lone_given_name(columns: list[Column], allowed: set[str]) -> list[Column]:
    """A given-name column with no surname beside it is the full name (``Имя`` in a social
    network's export is the name shown there); a full-name header that also names a given
    name (``Имя``) is the given name when a surname column is beside it."""
    has_surname = any(column.field == NamePart.SURNAME for column in columns)
    result = []
    for column in columns:
        field = column.field
        if not column.said and field is not None:
            choices = _BY_KEY.get(header_key(column.header), [])
            if has_surname and NamePart.GIVEN_NAME in choices:
                field = NamePart.GIVEN_NAME
            elif not has_surname and field == NamePart.GIVEN_NAME and FULL_NAME in allowed:
                field = FULL_NAME
        result.append(Column(column.position, column.header, field, column.said))
    return result


def _refuse_repeats(columns: Sequence[Column], several: set[str]) -> None:
    by_field: dict[str, list[str]] = {}
    for column in columns:
        if column.field is not None:
            by_field.setdefault(column.field, []).append(column.header)
    for field, headers in by_field.items():
        if len(headers) > 1 and field not in several:
            raise ImportFailed(
                N_("the columns {columns} all give {field}; say which one to read with "
                   "--map (or on the import page), and map the others to -"),
                {"columns": ", ".join(headers), "field": field})


def _cyrillic(text: str) -> bool:
    return any("CYRILLIC" in unicodedata.name(character, "") for character in text)
