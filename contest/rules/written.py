"""Values as people write them: amounts, currencies and countries, in English, Russian and
Ukrainian, read into what the rules keep (a decimal amount, ISO 4217 and ISO 3166-1 codes).

A marketer types "3 500", "3,500.00" or "3 500,50" (with a space, a no-break space or a
narrow no-break space between the thousands), "грн", "₽", "руб." or "гривня", "Ukraine",
"Україна" or "Украина". These readers never guess: a value that could be read two ways
("3.500": three thousand five hundred, or three and a half?) or a word that names several
currencies ("dollar") is refused with a :class:`~contest.errors.Malformed` error that says
why, in words the person's language can show. Names come from the Unicode CLDR, through
Babel; :mod:`contest.rules.parse` stays the judge of the rules these values go into.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from babel import Locale
from babel.numbers import (
    get_currency_name,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
    get_territory_currencies,
)

from contest.errors import Malformed
from contest.i18n import LANGUAGES, N_
from contest.rules.parse import country_codes, currency_codes, time_zones
from contest.zones import find_zones, zone_choices

SPACES = " \u00a0\u202f\u2009\u2007"
"""What people put between thousands: a space, a no-break space (U+00A0), a narrow no-break
space (U+202F, CLDR's choice for French), a thin space and a figure space."""

# Words people write for a currency that CLDR does not list as its symbol.
_CURRENCY_ALIASES = {
    "руб": "RUB", "руб.": "RUB", "р.": "RUB", "₽": "RUB", "rub.": "RUB", "рублей": "RUB",
    "рубль": "RUB", "рубля": "RUB", "рублів": "RUB", "рублі": "RUB",
    "грн": "UAH", "грн.": "UAH", "₴": "UAH", "гривня": "UAH", "гривна": "UAH",
    "гривні": "UAH", "гривен": "UAH", "гривень": "UAH", "гривны": "UAH", "hryvnia": "UAH",
    "$": "USD", "us$": "USD", "долл.": "USD", "дол.": "USD", "€": "EUR", "евро": "EUR",
    "євро": "EUR", "£": "GBP", "₸": "KZT", "тг": "KZT", "тенге": "KZT",
}
_COUNTRY_ALIASES = {"usa": "US", "сша": "US", "america": "US", "uk": "GB", "britain": "GB",
                    "great britain": "GB", "england": "GB", "великобритания": "GB",
                    "великобританія": "GB", "рф": "RU"}


@dataclass(frozen=True, slots=True)
class Choice:
    """A code and its name in one language, for a picker."""

    code: str
    name: str


def read_amount(text: str, language: str) -> str:
    """``text`` as the rules' decimal amount ("3500.50"), read as written in ``language``.

    Thousands may be grouped with spaces (any of :data:`SPACES`) or with the other mark than
    the decimal one: "3 500,50", "3,500.00", "3.500,50", "1,000,000". A single comma or dot
    followed by exactly three digits is read as thousands only where that mark groups
    thousands (a comma in English); otherwise it is refused as ambiguous. Raises
    :class:`Malformed` when the text is not an amount so written.
    """
    written = text.strip()
    for space in SPACES:
        written = written.replace(space, " ")
    written = re.sub(" +", " ", written)
    sign = ""
    if written.startswith(("-", "−")):
        sign, written = "-", written[1:].lstrip()
    if not written or not re.fullmatch(r"[0-9][0-9 ,.]*", written) or written.endswith(
            (" ", ",", ".")):
        raise _unreadable(text, language)
    commas, dots = written.count(","), written.count(".")
    decimal_mark: str | None = None
    if commas and dots:
        decimal_mark = "," if written.rfind(",") > written.rfind(".") else "."
        if written.count(decimal_mark) > 1:
            raise _unreadable(text, language)
    elif commas + dots == 1:
        mark = "," if commas else "."
        after = written.rsplit(mark, 1)[1]
        if len(after) != 3 or " " in written:
            decimal_mark = mark
        elif mark != _group_mark(language):
            whole, fraction = written.replace(" ", "").split(mark)
            raise Malformed(N_("{value} could mean {thousands} or {fraction}: write {thousands} "
                               "or {fraction_written}"),
                            {"value": text.strip(), "thousands": whole + fraction,
                             "fraction": f"{whole}{_decimal_mark(language)}{fraction}",
                             "fraction_written": f"{whole}{_decimal_mark(language)}"
                                                 f"{fraction.rstrip('0') or '0'}"})
    whole, _, fraction = written.partition(decimal_mark) if decimal_mark else (written, "", "")
    groups = re.split("[ ,.]", whole)
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3
                            or any(len(group) != 3 for group in groups[1:])
                            or len({c for c in whole if c in " ,."}) > 1):
        raise _unreadable(text, language)
    if not fraction.isdigit() and fraction:
        raise _unreadable(text, language)
    digits = "".join(groups).lstrip("0") or "0"
    return sign + digits + (f".{fraction}" if fraction else "")


def write_amount(amount: str, language: str) -> str:
    """The rules' decimal amount as a person of ``language`` writes it, its digits unchanged
    ("3500.50" → "3,500.50" in English, "3 500,50" with a no-break space in Russian and
    Ukrainian); as it is when it would not read back the same (:func:`read_amount`)."""
    found = re.fullmatch(r"(-?)([0-9]+)(?:\.([0-9]+))?", amount)
    if found is None:
        return amount
    sign, whole, fraction = found.groups()
    groups: list[str] = []
    while len(whole) > 3:
        whole, last = whole[:-3], whole[-3:]
        groups.insert(0, last)
    written = sign + _group_mark(language).join([whole, *groups])
    if fraction is not None:
        written += _decimal_mark(language) + fraction
    try:
        return written if read_amount(written, language) == amount else amount
    except Malformed:
        return amount


def find_currency(text: str) -> str:
    """The ISO 4217 code ``text`` names: a code ("uah"), a symbol ("₴", "₽", "$"), a common
    abbreviation ("грн", "руб."), or a name in English, Russian or Ukrainian, whole
    ("українська гривня", "Russian rubles") or by a word only it has ("hryvnia"). Raises
    :class:`Malformed` for none or several."""
    folded = _fold(text)
    if not folded:
        raise Malformed(N_("choose a currency"))
    if folded.upper() in currency_codes():
        return folded.upper()
    coded = re.fullmatch(r".*\(([a-z]{3})\)", folded)  # a picker's "name (CODE)"
    if coded and coded.group(1).upper() in currency_codes():
        return coded.group(1).upper()
    exact = _currency_words().get(folded)
    if exact is not None and len(exact) == 1:
        return next(iter(exact))
    found = exact or {code for word, codes in _currency_words().items()
                      if folded in word.split() for code in codes
                      if code in _current_currencies()}
    if len(found) == 1:
        return next(iter(found))
    if found:
        raise Malformed(N_("{value} names several currencies ({codes}): choose one"),
                        {"value": text.strip(), "codes": ", ".join(sorted(found))})
    raise Malformed(N_("{value} is not a currency we know: write its name, its symbol or "
                       "its three-letter code, such as {example}"),
                    {"value": text.strip(), "example": "USD"})


def find_country(text: str) -> str:
    """The ISO 3166-1 code ``text`` names: a code ("ua") or the country's name in English,
    Russian or Ukrainian ("Ukraine", "Україна", "Украина"). Raises :class:`Malformed`."""
    folded = _fold(text)
    if folded.upper() in country_codes():
        return folded.upper()
    code = _country_words().get(folded)
    if code is None:
        raise Malformed(N_("{value} is not a country we know: write its name or its "
                           "two-letter code"), {"value": text.strip()})
    return code


def find_countries(text: str) -> list[str]:
    """The countries of a list written with commas or semicolons ("Ukraine, Russia; US"),
    each once, in order. A name that holds a comma itself is read whole."""
    parts = [part.strip() for part in re.split("[,;\n]", text) if part.strip()]
    codes: list[str] = []
    index = 0
    while index < len(parts):
        for end in range(len(parts), index, -1):  # the longest run of parts that is a name
            joined = ", ".join(parts[index:end])
            if end - index > 1 and _fold(joined) not in _country_words():
                continue
            code = find_country(joined)
            if code not in codes:
                codes.append(code)
            index = end
            break
    return codes


def find_zone(text: str, language: str) -> str:
    """The IANA time zone ``text`` names: its IANA name ("Europe/Kyiv"), the picker's label
    ("Київ (UTC+02:00)", whatever the offset written), its city or country in English,
    Russian or Ukrainian ("Kyiv", "Киев"). Raises :class:`Malformed` for none or several."""
    written = " ".join(text.split())
    if not written:
        raise Malformed(N_("choose a time zone"))
    if written in time_zones():  # an IANA name, "Europe/Kyiv" or an old one such as "ROC"
        return written
    city = _fold(re.sub(r"\s*\((UTC|GMT)[^)]*\)$", "", written))
    named = [c.zone for c in zone_choices(language) if _fold(c.label).startswith(city + " (")
             or _fold(c.label) == city]
    found = named if len(named) == 1 else [c.zone for c in find_zones(city, language)]
    if len(found) == 1:
        return found[0]
    if found:
        labels = [c.label for c in zone_choices(language) if c.zone in found]
        raise Malformed(N_("{value} fits several time zones ({zones}): choose one"),
                        {"value": written, "zones": "; ".join(labels[:5])
                         + ("…" if len(labels) > 5 else "")})
    raise Malformed(N_("{value} is not a time zone we know: write a city, such as {example}"),
                    {"value": written, "example": "Kyiv"})


def country_name(code: str, language: str) -> str:
    name = Locale.parse(_language(language)).territories.get(code)
    return name if isinstance(name, str) else code


def currency_name(code: str, language: str) -> str:
    return str(get_currency_name(code, locale=_language(language)))


def country_choices(language: str) -> list[Choice]:
    """Every country, named in ``language``, by name."""
    return sorted((Choice(code, country_name(code, language)) for code in country_codes()),
                  key=lambda choice: _fold(choice.name))


def currency_choices(language: str) -> list[Choice]:
    """The currencies in use today, named in ``language`` with their code, by name."""
    return sorted((Choice(code, f"{currency_name(code, language)} ({code})")
                   for code in _current_currencies()), key=lambda choice: _fold(choice.name))


def amount_example(language: str) -> str:
    """How an amount of three and a half thousand is written in ``language``."""
    return f"3{_group_mark(language)}500{_decimal_mark(language)}00".replace("\u00a0", " ")


def _unreadable(text: str, language: str) -> Malformed:
    return Malformed(N_("{value} is not an amount: write digits, such as {example}"),
                     {"value": text.strip(), "example": amount_example(language)})


def _group_mark(language: str) -> str:
    return str(get_group_symbol(locale=_language(language)))


def _decimal_mark(language: str) -> str:
    return str(get_decimal_symbol(locale=_language(language)))


def _language(language: str) -> str:
    return language if language in LANGUAGES else "en"


def folded(text: str) -> str:
    """``text`` as names are compared here: case, "ё" and "е", and spacing folded."""
    return _fold(text)


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


@cache
def _current_currencies() -> frozenset[str]:
    codes: set[str] = set()
    for territory in country_codes():
        codes.update(get_territory_currencies(territory, date(2026, 1, 1), tender=True))
    return frozenset(codes & currency_codes())


@cache
def _currency_words() -> dict[str, frozenset[str]]:
    """Each folded name, plural or symbol of a currency → the codes it names."""
    words: dict[str, set[str]] = {}
    for code in currency_codes():
        for language in LANGUAGES:
            names = {get_currency_symbol(code, locale=language)}
            names.update(get_currency_name(code, count, locale=language) for count in
                         (None, 1, 2, 5))
            for name in names:
                if name and name != code:
                    words.setdefault(_fold(str(name)), set()).add(code)
    for word, code in _CURRENCY_ALIASES.items():
        words[word] = {code}
    return {word: frozenset(codes) for word, codes in words.items()}


@cache
def _country_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for language in LANGUAGES:
        for code in country_codes():
            words.setdefault(_fold(country_name(code, language)), code)
    words.update(_COUNTRY_ALIASES)
    return words
