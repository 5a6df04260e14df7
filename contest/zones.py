"""Time zones as people name them: "Київ (UTC+02:00)" rather than ``Europe/Kyiv``.

The rules keep a zone as its IANA name, which is what software reads; a person reads a city
and an offset. :func:`zone_label` writes a zone for a page in its language, and
:func:`zone_choices` lists the zones people pick from (one per city of the IANA ``zone.tab``,
and UTC), each with the words it is found by in every language the project speaks: its
IANA name, its city, and its country (so "Kyiv", "Київ", "Киев", "Ukraine" and
``Europe/Kyiv`` all find ``Europe/Kyiv``).

City and country names come from the Unicode CLDR (through Babel); a zone CLDR does not
name is called by the last part of its IANA name.
"""

import importlib.resources
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import get_timezone_location

from contest.i18n import LANGUAGES

UTC_ZONE = "UTC"
_UTC_NAMES = ("UTC", "GMT", "Etc/UTC", "Etc/GMT", "Z")


@dataclass(frozen=True, slots=True)
class ZoneChoice:
    """One zone of the picker: its IANA name, its label in one language, and the folded words
    (in every language) a search finds it by."""

    zone: str
    label: str
    words: str


def zone_city(zone: str, language: str) -> str:
    """The city a zone is named after, in ``language``: "Київ" for ``Europe/Kyiv`` in
    Ukrainian; "UTC" for UTC."""
    if zone in _UTC_NAMES:
        return "UTC"
    try:
        city = get_timezone_location(ZoneInfo(zone), locale=language, return_city=True)
    except (LookupError, ValueError):
        city = ""
    return city or zone.rsplit("/", 1)[-1].replace("_", " ")


def utc_offset(zone: str, at: datetime | None = None) -> str:
    """The zone's offset from UTC at ``at`` (now when None), as "UTC+02:00"; "UTC" for UTC."""
    moment = (at or datetime.now(UTC)).astimezone(ZoneInfo(zone))
    offset = moment.utcoffset()
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "−"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def zone_label(zone: str, language: str, at: datetime | None = None) -> str:
    """The zone as a person reads it, in ``language``: its city and its offset at ``at`` (now
    when None), "Київ (UTC+02:00)"; just "UTC" for UTC."""
    if zone in _UTC_NAMES:
        return "UTC"
    return f"{zone_city(zone, language)} ({utc_offset(zone, at)})"


def zone_choices(language: str) -> list[ZoneChoice]:
    """Every zone of the picker, labelled in ``language``, by label (UTC first)."""
    return list(_choices(language if language in LANGUAGES else "en"))


def find_zones(query: str, language: str) -> list[ZoneChoice]:
    """The zones whose IANA name, city or country (in any of the project's languages)
    contains every word of ``query``, folded: "kyiv", "Київ", "киев", "ukraine"."""
    wanted = _fold(query).split()
    return [choice for choice in zone_choices(language)
            if all(word in choice.words for word in wanted)]


def known_zone(zone: str) -> bool:
    """Whether ``zone`` names a time zone this machine knows (IANA name or UTC)."""
    if zone in _UTC_NAMES:
        return True
    try:
        ZoneInfo(zone)
    except (ValueError, LookupError):
        return False
    return True


@cache
def _choices(language: str) -> tuple[ZoneChoice, ...]:
    choices = [ZoneChoice(UTC_ZONE, "UTC", _fold("UTC GMT Etc/UTC"))]
    labelled = []
    for zone, countries in _zones():
        words = {zone, zone.replace("_", " ")}
        for other in LANGUAGES:
            words.add(zone_city(zone, other))
            territories = Locale.parse(other).territories
            words.update(str(territories.get(code, "")) for code in countries)
        labelled.append(ZoneChoice(zone, zone_label(zone, language),
                                   _fold(" ".join(sorted(words)))))
    labelled.sort(key=lambda choice: (_fold(choice.label), choice.zone))
    return (*choices, *labelled)


@cache
def _zones() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(IANA name, its country codes) for each line of tzdata's ``zone.tab``."""
    table = importlib.resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(
        encoding="utf-8")
    rows: dict[str, set[str]] = {}
    for line in table.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        country, _coordinates, zone, *_comment = line.split("\t")
        rows.setdefault(zone, set()).add(country)
    return tuple((zone, tuple(sorted(countries))) for zone, countries in sorted(rows.items()))


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").replace("_", " ").split())
