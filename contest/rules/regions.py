"""Regions as people name them: "Москва" rather than ``RU-MOW``.

The rules keep a region as its ISO 3166-2 code, which is what other software reads (and what
the rules' hash covers); a person reads and writes a name. :func:`region_name` names a region
in English, Russian or Ukrainian, :func:`region_choices` lists the regions a picker offers,
each with its country ("Москва — Россия": equal names in different countries stay apart), and
:func:`find_regions` reads what a marketer typed — a code as before, or a name in any of the
three languages, with or without its country — back into codes. A name that fits several
regions is never guessed: it is refused with a :class:`~contest.errors.Malformed` error that
names the choices.

Names come from the ISO 3166-2 catalogs of Debian's iso-codes, through pycountry; where a
catalog gives only the romanised ISO name (most of Russia's regions in Russian), the names
in ``contest/data/region-names.tsv`` fill in.
"""

import gettext
import importlib.resources
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

import pycountry

from contest.errors import Malformed
from contest.i18n import LANGUAGES, N_
from contest.rules.parse import is_region_code
from contest.rules.written import Choice, country_name, find_country, folded

# Between a region's name and its country's: "Москва — Россия", "Moscow - Russia",
# "Moscow, Russia", "Moscow (Russia)".
_COUNTRY_AFTER = re.compile(r"\s*[–—]\s*|\s+-\s+|\s*,\s*|\s*\(")
_EXAMPLE = "RU-MOW"


@dataclass(frozen=True, slots=True)
class _Region:
    code: str
    parent: str | None
    names: tuple[tuple[str, str], ...]
    """Each language's name, as (language, name)."""

    iso_name: str

    @property
    def country(self) -> str:
        return self.code[:2]

    def name(self, language: str) -> str:
        return dict(self.names).get(language, self.iso_name)


def region_name(code: str, language: str) -> str:
    """The name of the region ``code`` in ``language`` ("RU-MOW" → "Москва"); the code itself
    for a region ISO 3166-2 does not list."""
    region = _regions().get(code)
    return region.name(_language(language)) if region else code


def region_label(code: str, language: str) -> str:
    """The region with its country, as a picker shows it: "Москва — Россия". Where two
    regions of a country share a name, the one inside the other says which it is in:
    "Dhaka (Dhaka) — Bangladesh"."""
    region = _regions().get(code)
    if region is None:
        return code
    return f"{_labels(_language(language))[code]} — {country_name(region.country, language)}"


def region_choices(language: str, countries: Collection[str] = ()) -> list[Choice]:
    """The regions of ``countries`` (of every country when none), labelled in ``language``
    with their country (:func:`region_label`), by label."""
    return sorted((Choice(region.code, region_label(region.code, language))
                   for region in _regions().values()
                   if not countries or region.country in countries),
                  key=lambda choice: folded(choice.name))


def region_written(code: str, language: str) -> str:
    """The region as a person of ``language`` reads it and can write it back: its name when
    that names it alone, else its label with the country, else (no such region) its code."""
    if code not in _regions():
        return code
    for shown in (region_name(code, language), region_label(code, language)):
        try:
            if find_region(shown, language) == code:
                return shown
        except Malformed:
            continue
    return code


def find_region(text: str, language: str, countries: Collection[str] = ()) -> str:
    """The ISO 3166-2 code ``text`` names: a code in any case ("ru-mow"), or the region's
    name in English, Russian or Ukrainian ("Moscow", "Москва"), with or without its country
    ("Limburg — Netherlands"). A name several regions share means the one in ``countries``
    (the rules' countries) when only one of them is. Raises :class:`Malformed` for none or
    several, naming them in ``language``."""
    written = " ".join(text.split())
    if not written:
        raise Malformed(N_("choose a region"))
    if is_region_code(written.upper()):
        return written.upper()
    found = _named(written)
    within = {code for code in found if code[:2] in countries}
    if len(found) > 1 and within:
        found = within
    if len(found) == 1:
        return next(iter(found))
    if found:
        labels = sorted((region_label(code, language) for code in found), key=folded)
        raise Malformed(N_("{value} fits several regions ({regions}): choose one"),
                        {"value": written, "regions": "; ".join(labels[:5])
                         + ("…" if len(labels) > 5 else "")})
    raise Malformed(N_("{value} is not a region we know: write its name, such as {example}"),
                    {"value": written, "example": region_name(_EXAMPLE, language)})


def find_regions(text: str, language: str, countries: Collection[str] = ()) -> list[str]:
    """The regions of a list, each once, in order. Codes may be separated by spaces too
    ("RU-MOW RU-SPE", as the rules editor has always read them); names by commas or
    semicolons, a name that holds a comma itself ("Tatarstan, Respublika") read whole."""
    codes: list[str] = []
    tokens = [token for token in re.split(r"[\s,;]+", text) if token]
    if tokens and all(is_region_code(token.upper()) for token in tokens):
        for token in tokens:
            if token.upper() not in codes:
                codes.append(token.upper())
        return codes
    parts = [part.strip() for part in re.split("[,;\n]", text) if part.strip()]
    index = 0
    while index < len(parts):
        for end in range(len(parts), index, -1):  # the longest run of parts that is a name
            joined = ", ".join(parts[index:end])
            # A run of parts is one name only when it names one and its parts do not each
            # name a region of their own ("Panamá Oeste, Panamá" is two provinces, not the
            # first in the country Panama).
            if end - index > 1 and (not _named(joined) or all(
                    _named(part) for part in parts[index:end])):
                continue
            code = find_region(joined, language, countries)
            if code not in codes:
                codes.append(code)
            index = end
            break
    return codes


def _named(written: str) -> set[str]:
    """The codes of the regions ``written`` names, by name alone or with its country."""
    words = _words()
    found = _labelled().get(folded(written)) or words.get(folded(written))
    if found:
        return set(found)
    for separator in _COUNTRY_AFTER.finditer(written):
        name, country = written[:separator.start()], written[separator.end():].strip()
        if separator.group().strip() == "(":
            if not country.endswith(")"):
                continue
            country = country[:-1]
        try:
            code = find_country(country)
        except Malformed:
            continue
        found = frozenset(c for c in words.get(folded(name), ()) if c[:2] == code)
        if found:
            return set(found)
    return set()


def _language(language: str) -> str:
    return language if language in LANGUAGES else "en"


@cache
def _regions() -> dict[str, _Region]:
    catalogs = {language: gettext.translation("iso3166-2", pycountry.LOCALES_DIR,
                                              languages=[language]) for language in LANGUAGES}
    added = _added_names()
    regions: dict[str, _Region] = {}
    for subdivision in pycountry.subdivisions:
        code, iso_name = str(subdivision.code), str(subdivision.name)
        english = added.get((code, "en")) or catalogs["en"].gettext(iso_name)
        names = {"en": english}
        for language in LANGUAGES:
            if language != "en":
                translated = catalogs[language].gettext(iso_name)
                names[language] = added.get((code, language)) or (
                    translated if translated != iso_name else english)
        parent = getattr(subdivision, "parent_code", None)
        regions[code] = _Region(code, str(parent) if parent else None,
                                tuple(names.items()), iso_name)
    return regions


def _added_names() -> dict[tuple[str, str], str]:
    text = importlib.resources.files("contest").joinpath("data/region-names.tsv").read_text(
        encoding="utf-8")
    added: dict[tuple[str, str], str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, language, name = line.split("\t")
            added[code, language] = name
    return added


@cache
def _labels(language: str) -> dict[str, str]:
    """Each region's name in ``language``, with its parent's where another region of its
    country has the same name."""
    regions = _regions()
    seen: dict[tuple[str, str], int] = {}
    for region in regions.values():
        key = (region.country, folded(region.name(language)))
        seen[key] = seen.get(key, 0) + 1
    labels: dict[str, str] = {}
    for code, region in regions.items():
        name = region.name(language)
        parent = regions.get(region.parent or "")
        if seen[region.country, folded(name)] > 1 and parent is not None:
            name = f"{name} ({parent.name(language)})"
        labels[code] = name
    return labels


@cache
def _words() -> dict[str, frozenset[str]]:
    """Each folded name a region is known by, in any language → the codes it names."""
    words: dict[str, set[str]] = {}
    for code, region in _regions().items():
        names = {region.iso_name, *(name for _, name in region.names)}
        names.update(_labels(language)[code] for language in LANGUAGES)
        for name in names:
            words.setdefault(folded(name), set()).add(code)
    return {word: frozenset(codes) for word, codes in words.items()}


@cache
def _labelled() -> dict[str, frozenset[str]]:
    """Each folded label of the picker, in any language → the codes it names (one, but for
    two regions of a country that share a name and neither lies in a region)."""
    labels: dict[str, set[str]] = {}
    for code in _regions():
        for language in LANGUAGES:
            labels.setdefault(folded(region_label(code, language)), set()).add(code)
    return {label: frozenset(codes) for label, codes in labels.items()}
