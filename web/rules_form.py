"""The marketer's rules editor: flat form fields ↔ the rules document's JSON data.

Input names are the document's dotted paths (``prizes.0.quantity``), the same paths the
domain's validation reports, so every error lands next to its field. This module only
converts types; whether the values make sense is for :func:`contest.rules.parse.parse_rules`.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from contest.rules.document import Relation
from contest.rules.parse import time_zones

INTEGERS = {"eligibility.min_age", "eligibility.legal_min_age", "limits.per_person",
            "winners", "alternates", "announcement.notify_within_days",
            "announcement.claim_days", "complaints.response_business_days"}
OPTIONAL_INTEGERS = {"eligibility.max_age", "limits.per_household", "limits.per_day"}
BOOLEANS = {"eligibility.residency_required", "exclusions.employees",
            "exclusions.agency_employees", "exclusions.household"}
CODE_LISTS = {"eligibility.countries", "eligibility.regions"}
MOMENTS = ("opens_at", "closes_at", "draw_at")
ROWS = {
    "agencies": ("legal_name", "address", "contact"),
    "prizes": ("name", "quantity", "retail_value.amount", "retail_value.currency",
               "cash_alternative.amount", "cash_alternative.currency"),
    "sections": ("kind", "title", "text"),
}
SCALARS = ("title", "language", "sponsor.legal_name", "sponsor.address", "sponsor.contact",
           "organiser.legal_name", "organiser.address", "organiser.contact", "period.timezone",
           "selection.method", "selection.randomness", "selection.details",
           "announcement.notify_by", "announcement.publish_on", "announcement.name_format",
           "complaints.channel", "limits.counts")
BLANK_ROWS = 1


def form_to_draft(form: Mapping[str, str], family: list[str]) -> dict[str, Any]:
    """The draft data from a submitted editor form (``family``: the ticked relations)."""
    draft: dict[str, Any] = {}
    for path in SCALARS:
        value = form.get(path, "").strip()
        if path == "announcement.publish_on" and not value:
            _put(draft, path, None)
        else:
            _put(draft, path, value)
    for path in INTEGERS:
        _put(draft, path, _integer(form.get(path, "")))
    for path in OPTIONAL_INTEGERS:
        raw = form.get(path, "").strip()
        _put(draft, path, _integer(raw) if raw else None)
    for path in BOOLEANS:
        _put(draft, path, form.get(path) == "on")
    for path in CODE_LISTS:
        codes = form.get(path, "").replace(",", " ").upper().split()
        _put(draft, path, codes)
    _put(draft, "exclusions.family", [r for r in family if r in set(Relation)])
    zone = form.get("period.timezone", "").strip()
    for name in MOMENTS:
        _put(draft, f"period.{name}", _moment(form.get(f"period.{name}", "").strip(), zone))
    for group, columns in ROWS.items():
        draft[group] = _rows(form, group, columns)
    return draft


def draft_to_form(draft: Mapping[str, Any]) -> dict[str, str]:
    """Flat form values for the editor, with one blank row after each list."""
    values: dict[str, str] = {}
    for path in (*SCALARS, *INTEGERS, *OPTIONAL_INTEGERS):
        value = _get(draft, path)
        values[path] = "" if value is None else str(value)
    for path in BOOLEANS:
        values[path] = "on" if _get(draft, path) else ""
    for path in CODE_LISTS:
        codes = _get(draft, path)
        values[path] = " ".join(codes) if isinstance(codes, list) else str(codes or "")
    zone = str(_get(draft, "period.timezone") or "")
    for name in MOMENTS:
        values[f"period.{name}"] = _local(_get(draft, f"period.{name}"), zone)
    for group, columns in ROWS.items():
        rows = draft.get(group) or []
        for index in range(len(rows) + BLANK_ROWS):
            row = rows[index] if index < len(rows) else {}
            for column in columns:
                value = _get(row, column) if isinstance(row, Mapping) else None
                values[f"{group}.{index}.{column}"] = "" if value is None else str(value)
    return values


def row_count(values: Mapping[str, str], group: str) -> int:
    first = ROWS[group][0]
    count = 0
    while f"{group}.{count}.{first}" in values:
        count += 1
    return count


def family_of(draft: Mapping[str, Any]) -> list[str]:
    family = _get(draft, "exclusions.family")
    return [str(r) for r in family] if isinstance(family, list) else []


def _rows(form: Mapping[str, str], group: str, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    index = 0
    while any(f"{group}.{index}.{c}" in form for c in columns):
        cells = {c: form.get(f"{group}.{index}.{c}", "").strip() for c in columns}
        index += 1
        if not any(v for c, v in cells.items() if c != "kind"):
            continue
        row: dict[str, Any] = {}
        for column, value in cells.items():
            _put(row, column, _integer(value) if column == "quantity" else value)
        if group == "prizes" and not any(row.get("cash_alternative", {}).values()):
            row["cash_alternative"] = None
        rows.append(row)
    return rows


def _integer(raw: str) -> int | str:
    raw = raw.strip()
    try:
        return int(raw)
    except ValueError:
        return raw


def _moment(raw: str, zone: str) -> str:
    """``2026-12-01T10:00:30`` in ``zone`` → ISO 8601 with the zone's offset at that moment;
    what cannot be read so is kept as typed, for the validation to name."""
    moment = local_moment(raw, zone)
    return raw if moment is None else moment.isoformat()


def local_moment(raw: str, zone: str) -> datetime | None:
    """A ``datetime-local`` field's value as a moment in ``zone`` (a value with its own offset
    keeps it); None when it cannot be read so (no such zone: ``Europe`` is a folder of them)."""
    try:
        local = datetime.fromisoformat(raw.strip())
        if local.tzinfo is None:
            if zone not in time_zones():
                return None
            local = local.replace(tzinfo=ZoneInfo(zone))
        local.isoformat()  # a moment out of range fails here, not later
        return local
    except (ValueError, OverflowError):
        return None


def _local(value: Any, zone: str) -> str:
    """A draft's moment as the editor's ``datetime-local`` input shows it: the wall time in
    ``zone`` to the second (to the fraction, when it has one), so that saving the form
    unchanged keeps the moment exactly. A moment that cannot be shown so (not ISO 8601, no
    such zone, or outside the calendar there: year 1 in Tokyo is year 0 in UTC) is shown
    as stored: a draft may hold anything, and its page must still open."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            if zone not in time_zones():
                return value
            moment = moment.astimezone(ZoneInfo(zone))
    except (ValueError, OverflowError):
        return value
    fraction = moment.microsecond
    precision = ("seconds" if not fraction else
                 "milliseconds" if not fraction % 1000 else "microseconds")
    return moment.replace(tzinfo=None).isoformat(timespec=precision)


def _put(target: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = value


def _get(source: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(source, Mapping):
            return None
        source = source.get(part)
    return source
