"""The marketer's rules wizard: its form fields ↔ the rules document's JSON data.

Input names are the document's dotted paths (``prizes.0.quantity``), the same paths the
domain's validation reports, so every error lands next to its field. Each step of the wizard
(:mod:`contest.rules.wizard`) posts its own fields; a form is read into the draft as it
stands, changing only the fields of the steps posted. Values are read as people write them
(:mod:`contest.rules.written`): a time zone by its city, countries, regions
(:mod:`contest.rules.regions`) and currencies by name,
amounts in the person's locale, moments as wall times in the contest's zone. Whether the
values make sense is for :func:`contest.rules.parse.parse_rules`.

The social sources (``sources``) are rows of their own: a network, a post, a community or
channel, and the conditions as checkboxes named by their kind
(``sources.0.conditions.reposted``, ``sources.0.conditions.tagged.at_least``). A post or
community may be pasted as its address (``https://vk.com/wall-123456_789``,
``vk.com/club123456``, ``t.me/brand_news``) and is kept as its id. The validation names a
condition by its place in the list (``sources.0.conditions.1.kind``): :func:`field_of` turns
that into the name of its box, so the error stands beside it.
"""

import copy
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from contest.errors import FieldError, Malformed
from contest.i18n import N_
from contest.rules.document import ConditionKind, Relation
from contest.rules.parse import country_codes, time_zones
from contest.rules.regions import find_regions, region_written
from contest.rules.wizard import STEPS, Step, step_of
from contest.rules.written import (
    country_name,
    currency_name,
    find_countries,
    find_currency,
    find_zone,
    read_amount,
    write_amount,
)
from contest.zones import zone_label

INTEGERS = {"eligibility.min_age", "eligibility.legal_min_age", "limits.per_person",
            "winners", "alternates", "announcement.notify_within_days",
            "announcement.claim_days", "complaints.response_business_days"}
OPTIONAL_INTEGERS = {"eligibility.max_age", "limits.per_household", "limits.per_day"}
BOOLEANS = {"eligibility.residency_required", "exclusions.employees",
            "exclusions.agency_employees", "exclusions.household"}
COUNTRIES = "eligibility.countries"
REGIONS = "eligibility.regions"
MOMENTS = ("opens_at", "closes_at", "draw_at")
ZONE = "period.timezone"
AMOUNTS = ("retail_value.amount", "cash_alternative.amount")
CURRENCIES = ("retail_value.currency", "cash_alternative.currency")
ROWS = {
    "agencies": ("legal_name", "address", "contact"),
    "prizes": ("name", "quantity", "retail_value.amount", "retail_value.currency",
               "cash_alternative.amount", "cash_alternative.currency"),
    "sections": ("kind", "title", "text"),
}
SOURCES = "sources"
SOURCE_FIELDS = ("network", "post", "community")
ADDABLE = (*ROWS, SOURCES)
"""The lists the editor adds a blank row to ("Add a prize", "Add a source")."""
REMOVE = "remove:"
"""The value of the button that removes a source: ``remove:sources.0``."""
SCALARS = ("title", "language", "sponsor.legal_name", "sponsor.address", "sponsor.contact",
           "organiser.legal_name", "organiser.address", "organiser.contact",
           "selection.method", "selection.randomness", "selection.details",
           "announcement.notify_by", "announcement.publish_on", "announcement.name_format",
           "complaints.channel", "limits.counts")


@dataclass(frozen=True)
class FormReading:
    """A submitted form read into the draft, and what could not be read as written (each
    such value is kept in the draft as typed, for the person to correct)."""

    draft: dict[str, Any]
    errors: tuple[FieldError, ...]


def read_form(form: Mapping[str, str], family: list[str], *,
              draft: Mapping[str, Any] | None = None, language: str = "en",
              steps: Collection[Step] = STEPS) -> FormReading:
    """The draft with the fields of ``steps`` taken from ``form`` (``family``: the ticked
    relations). A text field missing from the form keeps the draft's value; checkboxes and
    rows are read for their step, since an unticked box or an emptied row sends nothing."""
    read = _Reading(form, language)
    result: dict[str, Any] = copy.deepcopy(dict(draft)) if draft else {}

    def wanted(path: str) -> bool:
        return step_of(path) in steps

    for path in SCALARS:
        if path in form and wanted(path):
            value = form[path].strip()
            _put(result, path, None if path == "announcement.publish_on" and not value
                 else value)
    for path in INTEGERS:
        if path in form and wanted(path):
            _put(result, path, _integer(form[path]))
    for path in OPTIONAL_INTEGERS:
        if path in form and wanted(path):
            raw = form[path].strip()
            _put(result, path, _integer(raw) if raw else None)
    if Step.WHO in steps:
        for path in BOOLEANS:
            _put(result, path, form.get(path) == "on")
        _put(result, "exclusions.family", [r for r in family if r in set(Relation)])
    if COUNTRIES in form and wanted(COUNTRIES):
        _put(result, COUNTRIES, read.countries(form[COUNTRIES]))
    if REGIONS in form and wanted(REGIONS):
        _put(result, REGIONS, read.regions(form[REGIONS], rules_countries(result)))
    if Step.WHEN in steps and any(f"period.{name}" in form for name in (*MOMENTS, "timezone")):
        if ZONE in form:
            zone = read.zone(form[ZONE])
            _put(result, ZONE, zone)
        else:
            zone = str(_get(result, ZONE) or "")
        for name in MOMENTS:
            path = f"period.{name}"
            if path in form:
                _put(result, path, _moment(form[path].strip(), zone))
    for group, columns in ROWS.items():
        if wanted(group) and (any(k.startswith(group + ".") for k in form)
                              or len(steps) == 1):
            result[group] = read.rows(group, columns)
    if Step.SOURCES in steps and (any(k.startswith(SOURCES + ".") for k in form)
                                  or len(steps) == 1):
        sources = read.sources()
        if sources:
            result[SOURCES] = sources
        else:  # no sources: the key is left out, as the rules' own data leaves it
            result.pop(SOURCES, None)
    return FormReading(result, tuple(read.errors))


def form_to_draft(form: Mapping[str, str], family: list[str]) -> dict[str, Any]:
    """The draft data of a whole submitted form (every step's fields)."""
    return read_form(form, family).draft


def draft_to_form(draft: Mapping[str, Any], language: str = "en",
                  extra_rows: Mapping[str, int] | None = None) -> dict[str, str]:
    """Flat form values for the wizard, written for a person of ``language``: the zone by
    its city, countries, regions and currencies by name (each only when it reads back as the
    same code), with ``extra_rows`` blank rows after a list."""
    values: dict[str, str] = {}
    for path in (*SCALARS, *INTEGERS, *OPTIONAL_INTEGERS):
        value = _get(draft, path)
        values[path] = "" if value is None else str(value)
    for path in BOOLEANS:
        values[path] = "on" if _get(draft, path) else ""
    codes = _get(draft, REGIONS)
    values[REGIONS] = ", ".join(region_written(str(c), language) for c in codes) if isinstance(
        codes, list) else str(codes or "")
    codes = _get(draft, COUNTRIES)
    values[COUNTRIES] = ", ".join(
        country_name(str(c), language) if c in country_codes() else str(c)
        for c in codes) if isinstance(codes, list) else str(codes or "")
    zone = str(_get(draft, ZONE) or "")
    values[ZONE] = _zone_shown(zone, language, _get(draft, "period.opens_at"))
    for name in MOMENTS:
        values[f"period.{name}"] = _local(_get(draft, f"period.{name}"), zone)
    for group, columns in ROWS.items():
        rows = draft.get(group) or []
        rows = rows if isinstance(rows, list) else []
        for index in range(len(rows) + (extra_rows or {}).get(group, 0)):
            row = rows[index] if index < len(rows) else {}
            for column in columns:
                value = _get(row, column) if isinstance(row, Mapping) else None
                shown = "" if value is None else str(value)
                if column in CURRENCIES and shown:
                    shown = _currency_shown(shown, language)
                if column in AMOUNTS and shown:
                    shown = write_amount(shown, language)
                values[f"{group}.{index}.{column}"] = shown
    return values


def sources_to_form(draft: Mapping[str, Any], extra: int = 0) -> dict[str, str]:
    """The sources' form values: each source's fields, and "on" for each condition it names
    (with the tagged condition's number), then ``extra`` blank sources."""
    values: dict[str, str] = {}
    sources = draft.get(SOURCES) or []
    sources = sources if isinstance(sources, list) else []
    for index in range(len(sources) + extra):
        source = sources[index] if index < len(sources) else {}
        source = source if isinstance(source, Mapping) else {}
        at = f"{SOURCES}.{index}"
        for name in SOURCE_FIELDS:
            value = source.get(name)
            values[f"{at}.{name}"] = "" if value is None else str(value)
        conditions = source.get("conditions")
        for condition in conditions if isinstance(conditions, list) else []:
            if not isinstance(condition, Mapping) or condition.get("kind") not in set(
                    ConditionKind):
                continue
            kind = condition["kind"]
            values[f"{at}.conditions.{kind}"] = "on"
            if kind == ConditionKind.TAGGED and condition.get("at_least") is not None:
                values[f"{at}.conditions.{kind}.at_least"] = str(condition["at_least"])
    return values


def field_of(path: str, draft: Mapping[str, Any]) -> str:
    """The editor's field for an error at ``path``: a source's condition by its kind
    (``sources.0.conditions.1.kind`` → ``sources.0.conditions.member``), the tagged
    condition's number as its own field, and what has no field of its own (an unknown key,
    a condition that is not an object) on its source or its conditions; every other path is
    its field's name already."""
    parts = path.split(".")
    if parts[0] != SOURCES or len(parts) == 1:
        return path
    if not parts[1].isdigit():
        return SOURCES
    at = f"{SOURCES}.{parts[1]}"
    if len(parts) == 2 or (len(parts) == 3 and parts[2] in (*SOURCE_FIELDS, "conditions")):
        return path
    if parts[2] != "conditions":
        return at
    if not parts[3].isdigit():  # a box's own name already: sources.0.conditions.tagged…
        return path
    source = _item(draft.get(SOURCES), parts[1])
    kind = _get(_item(_get(source, "conditions"), parts[3]), "kind")
    if kind not in set(ConditionKind):
        return f"{at}.conditions"
    if parts[4:] == ["at_least"] and kind == ConditionKind.TAGGED:
        return f"{at}.conditions.{kind}.at_least"
    return f"{at}.conditions.{kind}"


def _item(items: Any, index: str) -> Any:
    """``items[index]`` when ``items`` is a list that long, else None."""
    if not isinstance(items, list) or not index.isdigit() or int(index) >= len(items):
        return None
    return items[int(index)]


def source_count(values: Mapping[str, str]) -> int:
    count = 0
    while f"{SOURCES}.{count}.network" in values:
        count += 1
    return count


def row_count(values: Mapping[str, str], group: str) -> int:
    first = ROWS[group][0]
    count = 0
    while f"{group}.{count}.{first}" in values:
        count += 1
    return count


def rules_countries(draft: Mapping[str, Any]) -> list[str]:
    """The countries a draft names (its known codes), which the regions' picker offers."""
    codes = _get(draft, COUNTRIES)
    if not isinstance(codes, list):
        return []
    return [c for c in codes if isinstance(c, str) and c in country_codes()]


def family_of(draft: Mapping[str, Any]) -> list[str]:
    family = _get(draft, "exclusions.family")
    return [str(r) for r in family] if isinstance(family, list) else []


class _Reading:
    """Reads a form's values as written, collecting what cannot be read."""

    def __init__(self, form: Mapping[str, str], language: str) -> None:
        self.form = form
        self.language = language
        self.errors: list[FieldError] = []

    def fail(self, path: str, error: Malformed) -> None:
        self.errors.append(FieldError(path, "unreadable", error.message, error.params))

    def zone(self, raw: str) -> str:
        try:
            return find_zone(raw, self.language)
        except Malformed as error:
            self.fail(ZONE, error)
            return raw.strip()

    def countries(self, raw: str) -> list[str]:
        try:
            return find_countries(raw)
        except Malformed as error:
            self.fail(COUNTRIES, error)
            return [part.strip() for part in re.split("[,;\n]", raw) if part.strip()]

    def regions(self, raw: str, countries: list[str]) -> list[str]:
        try:
            return find_regions(raw, self.language, countries)
        except Malformed as error:
            self.fail(REGIONS, error)
            return [part.strip() for part in re.split("[,;\n]", raw) if part.strip()]

    def rows(self, group: str, columns: tuple[str, ...]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        index = 0
        while any(f"{group}.{index}.{c}" in self.form for c in columns):
            cells = {c: self.form.get(f"{group}.{index}.{c}", "").strip() for c in columns}
            where = f"{group}.{len(rows)}"
            index += 1
            if not any(v for c, v in cells.items() if c != "kind"):
                continue
            row: dict[str, Any] = {}
            for column, value in cells.items():
                _put(row, column, self.cell(f"{where}.{column}", column, value))
            if group == "prizes" and not any(row.get("cash_alternative", {}).values()):
                row["cash_alternative"] = None
            rows.append(row)
        return rows

    def sources(self) -> list[dict[str, Any]]:
        """The sources as posted, without the one whose Remove button was pressed and
        without blank ones (no post, no community, no condition ticked)."""
        removed = self.form.get("then", "")
        sources: list[dict[str, Any]] = []
        index = 0
        while any(f"{SOURCES}.{index}.{name}" in self.form for name in SOURCE_FIELDS):
            at = f"{SOURCES}.{index}"
            index += 1
            if removed == f"{REMOVE}{at}":
                continue
            network = self.form.get(f"{at}.network", "").strip()
            post = _post_id(self.form.get(f"{at}.post", "").strip())
            community = _community_id(self.form.get(f"{at}.community", "").strip())
            conditions: list[dict[str, Any]] = []
            tagging = self.form.get(f"{at}.conditions.tagged.at_least", "").strip()
            for kind in ConditionKind:
                if self.form.get(f"{at}.conditions.{kind}") != "on":
                    continue
                condition: dict[str, Any] = {"kind": kind.value}
                if kind == ConditionKind.TAGGED and tagging:
                    condition["at_least"] = _integer(tagging)
                conditions.append(condition)
            if not (post or community or conditions or tagging):
                continue
            if tagging and self.form.get(f"{at}.conditions.tagged") != "on":
                # Named on the source as the draft will number it (blank rows dropped).
                self.errors.append(FieldError(
                    f"{SOURCES}.{len(sources)}.conditions.tagged.at_least", "not_used", N_(
                        "was not kept: it counts only for the comment that tags other "
                        "accounts, which is not ticked")))
            source: dict[str, Any] = {"network": network}
            if post:
                source["post"] = post
            if community:
                source["community"] = community
            source["conditions"] = conditions
            sources.append(source)
        return sources

    def cell(self, path: str, column: str, value: str) -> Any:
        if column == "quantity":
            return _integer(value)
        try:
            if column in AMOUNTS and value:
                return read_amount(value, self.language)
            if column in CURRENCIES and value:
                return find_currency(value)
        except Malformed as error:
            self.fail(path, error)
        return value


# The addresses people paste for a post or a community, and the id each holds.
_VK_POST_ADDRESS = re.compile(r"(?:https?://)?(?:m\.)?vk\.com/(?:[^?#]*[?&]w=)?wall(-?[0-9]+_[0-9]+)"
                              r"/?", re.IGNORECASE)
_VK_COMMUNITY_ADDRESS = re.compile(r"(?:https?://)?(?:m\.)?vk\.com/(?:club|public|event)"
                                   r"([0-9]+)/?", re.IGNORECASE)
_TELEGRAM_ADDRESS = re.compile(r"(?:https?://)?(?:t\.me|telegram\.me)/([A-Za-z][A-Za-z0-9_]*)/?",
                               re.IGNORECASE)


def _post_id(raw: str) -> str:
    """A post as its id: ``https://vk.com/wall-123456_789`` → ``-123456_789``; anything
    else as typed, for the validation to name."""
    found = _VK_POST_ADDRESS.fullmatch(raw)
    return found.group(1) if found else raw


def _community_id(raw: str) -> str:
    """A community or channel as its id: ``vk.com/club123456`` → ``123456``,
    ``https://t.me/brand_news`` → ``@brand_news``; anything else as typed."""
    if found := _VK_COMMUNITY_ADDRESS.fullmatch(raw):
        return found.group(1)
    if found := _TELEGRAM_ADDRESS.fullmatch(raw):
        return "@" + found.group(1)
    return raw


def _zone_shown(zone: str, language: str, opens_at: object) -> str:
    """The zone by its city and offset when that reads back as the same zone, else as
    stored (an alias such as ``US/Eastern`` stays itself)."""
    if zone not in time_zones():
        return zone
    try:
        at = datetime.fromisoformat(opens_at) if isinstance(opens_at, str) else None
        label = zone_label(zone, language, at if at and at.tzinfo else None)
        return label if find_zone(label, language) == zone else zone
    except (Malformed, ValueError, OverflowError):
        return zone


def _currency_shown(code: str, language: str) -> str:
    try:
        shown = f"{currency_name(code, language)} ({code})"
        return shown if find_currency(shown) == code else code
    except Malformed:
        return code


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
        child = target.get(part)
        if not isinstance(child, dict):
            child = target[part] = {}
        target = child
    target[last] = value


def _get(source: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(source, Mapping):
            return None
        source = source.get(part)
    return source
