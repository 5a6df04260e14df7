"""A country as people write it in a spreadsheet: ``RU``, ``Россия``, ``Україна``, ``USA``.

Files from HR and from social-network tools name countries in words, in the language of the
person who typed them. :func:`country_code` reads a two-letter code as it is and a name in
English, Russian or Ukrainian as CLDR (through Babel) writes it, or as people often shorten
it (``РФ``, ``США``, ``UK``). Anything else is for the caller to report.
"""

from functools import cache, lru_cache

from babel import Locale

from contest.spreadsheet.columns import header_key

_SHORT_NAMES = {
    "рф": "RU", "российскаяфедерация": "RU", "russianfederation": "RU",
    "usa": "US", "сша": "US", "unitedstatesofamerica": "US", "америка": "US",
    "uk": "GB", "greatbritain": "GB", "britain": "GB", "england": "GB", "англия": "GB",
    "англія": "GB", "соединенноекоролевство": "GB", "сполученекоролівство": "GB",
}


@lru_cache(maxsize=4096)  # a file names a few countries, on every row
def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code ``text`` names (upper case), or ``None`` when it names
    no country this module knows. A two-letter ``text`` is returned upper-cased as it is: the
    caller checks it against the codes."""
    value = text.strip()
    if len(value) == 2 and value.isascii() and value.isalpha() and value.upper() != "UK":
        return value.upper()
    return _names().get(header_key(value))


@cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for language in ("en", "ru", "uk"):
        for code, name in Locale.parse(language).territories.items():
            if isinstance(code, str) and len(code) == 2 and code.isalpha():
                names.setdefault(header_key(name), code)
    names.update(_SHORT_NAMES)
    return names
