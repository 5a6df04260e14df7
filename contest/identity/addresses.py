"""Postal addresses folded to a household (building and flat) and to a building.

Addresses are written freely, so this module reads the parts the postal conventions name —
in Russia and Ukraine the street kind and street, дом/будинок, корпус, строение and
квартира of the postal rules' address line; in the United States the street suffixes and
secondary unit designators of USPS Publication 28, "Postal Addressing Standards" (St, Ave,
Rd, Blvd…; Apt, Suite, Unit, #) — in whatever order and spelling they come:

- street kinds and their abbreviations are one (ул./улица/ul., пр./просп./пр-т/проспект,
  пер./переулок, вул./вулиця, пров./провулок, St/Street, Ave/Avenue, Blvd/Boulevard…) and
  are dropped from the key, so "ул. Ленина" and "Ленина ул" meet;
- house, block and structure markers (д./дом, буд./будинок, к./корп./корпус, стр./строение,
  "5к2", "5с1", "лит. А") and flat markers (кв./квартира, Apt, Suite, Unit, #, офис) say
  which number is which; unmarked numbers are read as house then flat ("Ленина 5-12",
  "12 Main St 4B");
- Cyrillic and Latin are folded with the name skeleton (Ленина = Lenina), case and
  punctuation do not matter, a city, region, country or postal code written inside the
  address is set aside.

The flat is part of the household: neighbours in one building share :func:`building_key` but
never :func:`household_key`. An address without a flat is a whole building (a private house);
two neighbours who both leave out their flat number will therefore meet — see
docs/NORMALISATION.md for this and the other limits, and for the measured cost (a new address
takes 10-20 µs on a recent laptop, a repeated one 1-2 µs).
"""

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from contest.identity.contacts import bounded
from contest.identity.skeleton import fold_text, fold_word

HOUSEHOLD_KEY_LENGTH = 800
"""The longest household key (the width of ``entries.household_key``); a longer one, of a
long address in letters that fold to two (ж → zh), is its SHA-256."""


class _Part:
    """What a marker word announces (plain strings: enum members hash slowly)."""

    KIND = "street kind"
    DISTRICT = "micro-district"
    HOUSE = "house"
    BLOCK = "block"
    STRUCTURE = "structure"
    LETTER = "house letter"
    FLAT = "flat"
    CITY = "city"
    REGION = "region"
    FILLER = "filler"


def _markers() -> dict[str, str]:
    words = {
        _Part.DISTRICT: "мкр мкрн микрорайон мікрорайон mkr mkrn mikrorayon квартал kvartal",
        _Part.HOUSE: "д дом d dom буд будинок bud budynok",
        _Part.BLOCK: "к корп корпус k korp korpus bldg building",
        _Part.STRUCTURE: "стр строение str stroenie с s",
        _Part.LETTER: "лит литера літ літера lit litera",
        _Part.FLAT: """кв квартира kv kvartira kvartyra apt apartment suite ste unit flat
            оф офис офіс of ofis office пом помещение приміщення комн комната кімн room rm
            app""",
        _Part.CITY: """г гор город g gorod м місто misto пгт смт пос поселок посёлок селище
            село""",
        _Part.REGION: "обл область obl oblast район raion rayon край krai респ республика",
        _Part.FILLER: "им имени ім імені im imeni",
    }
    markers = {word: part for part, text in words.items() for word in text.split()}
    return markers | dict.fromkeys(_KINDS, _Part.KIND)


# Street kinds, one a line: the first word names the kind; "street" is the generic one.
_KIND_SPELLINGS = """
street ул улица ulitsa ulica ul вул вулиця vul vulytsia vulitsa vulica st
avenue пр просп проспект prospekt prosp pr ave av
side-street пер переулок pereulok per пров провулок prov provulok
square пл площадь площа ploshchad ploshcha sq
boulevard бул бульв бульвар bulvar bul б-р blvd
highway ш шоссе шосе shosse hwy
embankment наб набережная набережна nab naberezhnaya naberezhna
dead-end туп тупик
passage проезд проїзд пр-д pr-d
alley аллея алея aly
line линия лінія
tract тракт
descent узвіз
maidan майдан
road rd
drive dr
lane ln
court ct
place pl
parkway pkwy
terrace ter
circle cir
way
trail trl
plaza plz
"""
_KINDS = {word: line.split()[0] for line in _KIND_SPELLINGS.strip().splitlines()
          for word in line.split()}
_MARKERS = _markers()
_SLOTS = frozenset({_Part.HOUSE, _Part.BLOCK, _Part.STRUCTURE, _Part.FLAT, _Part.LETTER})
_STREET_PARTS = _SLOTS | {_Part.KIND}
_PLACES = frozenset({_Part.CITY, _Part.REGION})
# Hyphenated abbreviations, spelled out before hyphens split words.
_HYPHENATED = {"пр-т": "проспект", "пр-кт": "проспект", "б-р": "бульвар", "р-н": "район",
               "пр-д": "проезд", "кв-л": "квартал", "мкр-н": "микрорайон", "pr-t": "prospekt"}
_HYPHENATED_WORD = re.compile("|".join(rf"\b{re.escape(w)}\b" for w in _HYPHENATED))
# Words after a number that make it part of the street's name: "8 Марта", "50 лет Октября".
_NUMBERED_NAMES = frozenset("""января февраля марта апреля мая июня июля августа сентября
    октября ноября декабря січня лютого березня квітня травня червня липня серпня вересня
    жовтня листопада грудня лет років годовщины съезда з'їзду""".split())
_ORDINALS = frozenset({"st", "nd", "rd", "th", "я", "й", "ая", "ий", "ый", "ой", "го", "е",
                       "ша", "га", "тя"})
# One-letter abbreviations of a settlement before its name: село, деревня, посёлок, хутор.
_SETTLEMENTS = frozenset("сдпх")
_STATES = frozenset("""al ak az ar ca co ct de dc fl ga hi id il in ia ks ky la me md ma mi
    mn ms mo mt ne nv nh nj nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi
    wy""".split())
_DIRECTIONS = {"n": "n", "s": "s", "e": "e", "w": "w", "ne": "ne", "nw": "nw", "se": "se",
               "sw": "sw", "north": "n", "south": "s", "east": "e", "west": "w",
               "northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw"}
_COUNTRIES = frozenset(fold_text(name) for name in (
    "Россия", "Российская Федерация", "РФ", "Russia", "Russian Federation", "Украина",
    "Україна", "Ukraine", "USA", "US", "United States", "United States of America", "США"))
_TOKEN = re.compile(r"\d+[^\W\d_]*|[^\W\d_]+(?:['’ʼ][^\W\d_]+)*|[,;\-/#№]")
_DIGITS = "0123456789"
_NOT_ALNUM = re.compile(r"[\W_]+")

# Spellings of the cities whose names people write in more than one language.
_CITY_SPELLINGS = """
Москва Moscow Moskva Moskau
Санкт-Петербург СПб Спб Питер Петербург Saint-Petersburg St-Petersburg Sankt-Peterburg Petersburg
Київ Киев Kyiv Kiev
Харків Харьков Kharkiv Kharkov
Одеса Одесса Odesa Odessa
Львів Львов Lviv Lvov
Дніпро Днепр Днепропетровск Dnipro Dnepr Dnipropetrovsk
Запоріжжя Запорожье Zaporizhzhia Zaporozhye
Миколаїв Николаев Mykolaiv Nikolaev
Вінниця Винница Vinnytsia Vinnitsa
Чернігів Чернигов Chernihiv Chernigov
Рівне Ровно Rivne Rovno
New York NYC New York City
"""


def _city_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for line in _CITY_SPELLINGS.strip().splitlines():
        spellings = [fold_text(name) for name in line.split()]
        if line.startswith("New York"):
            spellings = [fold_text("New York"), fold_text("NYC"), fold_text("New York City")]
        if line.startswith("Санкт"):
            spellings += [fold_text("St. Petersburg"), fold_text("Saint Petersburg"),
                          fold_text("Sankt Peterburg")]
        for spelling in spellings:
            aliases.setdefault(spelling, spellings[0])
    return aliases


_CITIES = _city_aliases()
_CITY_PREFIX = re.compile(r"^\s*(?:г|гор|город|м|місто|city of)\b\.?\s*", re.IGNORECASE)


@lru_cache(maxsize=1 << 14)
def city_key(city: str) -> str:
    """``city`` folded, without "г."/"м.", one spelling for cities written in several
    languages (Киев, Київ, Kyiv and Kiev are one)."""
    folded = fold_text(_CITY_PREFIX.sub("", city))
    return _CITIES.get(folded, folded)


@dataclass(frozen=True)
class AddressParts:
    """The parts of one street address, folded (see :func:`parse_address`)."""

    street: tuple[str, ...]
    """Folded words of the street's name, sorted; street kinds (улица, St) left out."""
    house: str
    """House number with its letter or corner number: "5", "5a", "12/3"."""
    block: str = ""
    """Корпус (к., корп.) or Bldg: one building of a numbered house's complex."""
    structure: str = ""
    """Строение (стр., с): a further building at one house number."""
    flat: str = ""
    """Flat, apartment, suite, unit or office number; empty for a whole house."""
    city: str = ""
    """The city written inside the address ("г. Москва, …"), folded; empty if none."""

    @property
    def building(self) -> str:
        """Street, house, block and structure, as one string."""
        parts = [" ".join(self.street), self.house]
        if self.block:
            parts.append(f"k{self.block}")
        if self.structure:
            parts.append(f"s{self.structure}")
        return " ".join(parts)


Token = tuple[str, str, str]
"""(kind, text, attached letters): kind is "number", "word", "separator" or "sign"."""


def _tokens(address: str) -> list[Token]:
    """(kind, text, attached letters) for each number, word, separator and sign."""
    text = address.lower()
    if "-" in text:
        text = _HYPHENATED_WORD.sub(lambda m: _HYPHENATED[m.group()], text)
    tokens: list[Token] = []
    for part in _TOKEN.findall(text):
        first = part[0]
        if first.isdigit():
            if part[-1].isdigit():
                tokens.append(("number", part, ""))
            else:
                letters = part.lstrip(_DIGITS)
                tokens.append(("number", part[: len(part) - len(letters)], letters))
        elif first in ",;":
            tokens.append(("separator", first, ""))
        elif first in "-/#№":
            tokens.append(("sign", first, ""))
        else:
            tokens.append(("word", part, ""))
    return tokens


def _set_aside(tokens: list[Token], city: str, postal: str) -> tuple[list[Token], str]:
    """``tokens`` without the city, region, country and postal code written among them
    (``city`` and ``postal`` are the person's own fields, folded), and the folded city
    found in the address."""
    if not any(token[0] == "separator" for token in tokens) and not (
            tokens and tokens[0][0] == "word" and _MARKERS.get(tokens[0][1]) == _Part.CITY
            ) and not (len(postal) >= 5 and any(token[1] == postal for token in tokens)):
        return tokens, ""
    segments: list[list[Token]] = [[]]
    for token in tokens:
        if token[0] == "separator":
            segments.append([])
        elif not (token[0] == "number" and len(postal) >= 5 and token[1] == postal):
            segments[-1].append(token)
    kept: list[Token] = []
    found = ""
    for segment in segments:
        if not segment:
            continue
        first_kind, first = segment[0][0], segment[0][1]
        if (first_kind == "word" and _MARKERS.get(first) in _STREET_PARTS
                and first not in _SETTLEMENTS):
            kept.extend(segment)            # "ул. Ленина", "д. 5": nothing to set aside
            kept.append(("separator", ",", ""))
            continue
        has_number = any(token[0] == "number" for token in segment)
        if has_number:
            if len(segment) == 1 and len(first) == 6:
                continue                    # "101000, г. Москва, …"
        elif first_kind == "word":
            words = [t[1] for t in segment if t[0] == "word"]
            marks = {_MARKERS.get(word) for word in words}
            village = first in _SETTLEMENTS                           # "с. Ивановка"
            if village or (marks & _PLACES and not marks & _STREET_PARTS):
                if (village or _MARKERS.get(first) == _Part.CITY) and not found:
                    found = city_key(" ".join(words[1:]))
                continue                    # "г. Москва", "Московская обл."
            folded = fold_text(" ".join(words))
            if folded in _COUNTRIES or (len(words) == 1 and first in _STATES):
                continue                    # "Россия", "NY"
            if folded and (folded in _CITIES or folded == city):
                found = found or _CITIES.get(folded, folded)
                continue                    # "Москва, ул. Ленина, 5"
        if first_kind == "word" and _MARKERS.get(first) == _Part.CITY:
            # "г Москва ул Ленина д 5": the city runs to the next marker or number.
            end = 1
            while end < len(segment) and segment[end][0] == "word" and (
                    segment[end][1] not in _MARKERS):
                end += 1
            found = found or city_key(" ".join(t[1] for t in segment[1:end]))
            segment = segment[end:]
        kept.extend(segment)
        kept.append(("separator", ",", ""))
    return kept, found


def _letter(text: str) -> str:
    return fold_word(text) if text else ""


def _word(tokens: list[Token], i: int) -> str:
    """The word at ``tokens[i]``, or "" if there is none."""
    return tokens[i][1] if i < len(tokens) and tokens[i][0] == "word" else ""


def _is_sign(tokens: list[Token], i: int, sign: str) -> bool:
    return i < len(tokens) and tokens[i][0] == "sign" and tokens[i][1] == sign


def _numbered(tokens: list[Token], i: int) -> bool:
    """Whether a number comes at ``tokens[i]``, maybe after "№" or "#"."""
    if _is_sign(tokens, i, "№") or _is_sign(tokens, i, "#"):
        i += 1
    return i < len(tokens) and tokens[i][0] == "number"


def parse_address(address: str, city: str = "", postal_code: str = "") -> AddressParts | None:
    """The street, house, block, structure and flat of ``address``; None when it names no
    street or no house number. ``city`` and ``postal_code`` (the person's own fields) are
    only used to recognise them when they are repeated inside the address."""
    city, postal = city_key(city) if city else "", _NOT_ALNUM.sub("", postal_code)
    tokens, found = _set_aside(_tokens(address), city, postal)
    reader = _AddressReader(tokens)
    i = 0
    while i < len(tokens):
        kind, text, _letters = tokens[i]
        if kind == "number":
            i = reader.number(i)
        elif kind == "word":
            reader.word(i)
        elif kind == "sign" and text == "#":
            reader.waiting = _Part.FLAT
        i += 1
    return reader.parts(found)


class _AddressReader:
    """What :func:`parse_address` has read of an address so far, token by token: the street's
    words, the numbers marked for a slot (house, block, structure, flat) and those not yet
    placed, and the marker whose number comes next."""

    __slots__ = ("tokens", "slots", "street", "loose", "waiting", "last", "kinds", "named")

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.slots: dict[str, str] = {}
        self.street: list[str] = []
        self.loose: list[str] = []                 # unmarked numbers, in order
        self.waiting: str | None = None            # the marker whose number comes next
        self.last: tuple[str | None, int] | None = None  # where the last number went
        self.kinds: list[str] = []                 # the street kinds written
        self.named: list[str] = []                 # numbers after a month: "Мая 1"

    def number(self, i: int) -> int:
        """Read the number at ``tokens[i]``; the place of the last token it used."""
        tokens = self.tokens
        _kind, text, letters = tokens[i]
        previous = tokens[i - 1] if i else ("separator", "", "")
        follows = _word(tokens, i + 1)
        if letters in _ORDINALS and letters.isascii():
            self.street.append(f"{text}th")         # "5th Ave", "2nd St"
        elif _is_sign(tokens, i + 1, "-") and (_word(tokens, i + 2) in _ORDINALS or (
                len(_word(tokens, i + 2)) > 1 and _word(tokens, i + 2) not in _MARKERS)):
            self.street.append(f"{text}th")         # "1-я Тверская", "40-летия Октября"
            return i + 2
        elif (previous[0] == "word" and previous[1] in _NUMBERED_NAMES
              and self.waiting is None
              and not (i >= 2 and tokens[i - 2][0] == "number")
              and not _is_sign(tokens, i + 1, "/")):
            self.named.append(text)                 # "Мая 1": the street's, if a house follows
            self.last = None
        elif follows in _NUMBERED_NAMES or (
                follows and follows not in _MARKERS and self.waiting is None
                and previous[0] == "word" and _MARKERS.get(previous[1]) == _Part.KIND):
            self.street.append(text)                # "ул. 8 Марта", "ул. 26 Бакинских…"
        else:
            return self._house_number(i)
        return i

    def _house_number(self, i: int) -> int:
        """Read the number at ``tokens[i]`` as a house's, block's, structure's or flat's,
        with its letter or corner number; the place of the last token it used."""
        tokens = self.tokens
        _kind, text, letters = tokens[i]
        value, then = text, None
        if _MARKERS.get(letters) in _SLOTS:
            then = _MARKERS[letters]                # "5к2", "5с1"
        else:
            value += _letter(letters)               # "5а", "4B"
        if _is_sign(tokens, i + 1, "/") and i + 2 < len(tokens) and (
                tokens[i + 2][0] == "number"):
            value += "/" + tokens[i + 2][1] + _letter(tokens[i + 2][2])
            i += 2                                  # "12/3": a corner house
        elif _is_sign(tokens, i + 1, "-") and len(_word(tokens, i + 2)) == 1 and (
                _word(tokens, i + 2) not in _MARKERS):
            value += _letter(_word(tokens, i + 2))
            i += 2                                  # "5-а"
        if self.waiting is not None and self.waiting != _Part.LETTER:
            self.slots[self.waiting] = value
            self.last = (self.waiting, 0)
        else:
            self.loose.append(value)
            self.last = (None, len(self.loose) - 1)
        self.waiting = then
        return i

    def word(self, i: int) -> None:
        """Read the word at ``tokens[i]``: a marker, a street kind, a letter or the street's."""
        tokens = self.tokens
        text = tokens[i][1]
        previous = tokens[i - 1] if i else ("separator", "", "")
        part = _MARKERS.get(text)
        if len(text) == 1 and part in _SLOTS and not _numbered(tokens, i + 1):
            part = None                             # "12 D St", "Apt D": a letter, no marker
        waiting = self.waiting
        if waiting in (_Part.FLAT, _Part.BLOCK, _Part.STRUCTURE) and len(text) == 1 and (
                part is None):
            self.slots[waiting] = _letter(text)     # "Apt D", "корп. А"
            self.waiting = None
        elif text == "st" and previous[0] != "word" and _word(tokens, i + 1) and (
                _word(tokens, i + 1) not in _MARKERS):
            self.street.append("saint")             # "12 St Marks Pl"
        elif part in _SLOTS:
            self.waiting = part
        elif part == _Part.DISTRICT:
            self.street.append("mkr")
        elif part is not None:
            if part == _Part.KIND:                  # street kinds, fillers, stray places
                self.kinds.append(_KINDS[text])
        elif len(text) == 1 and self.last is not None and (
                waiting == _Part.LETTER or (previous[0] == "number" and not text.isascii())):
            # "5 а", "лит. А": the letter of the house (or of the flat) just written
            slot, index = (_Part.HOUSE, 0) if (
                waiting == _Part.LETTER and _Part.HOUSE in self.slots) else self.last
            if slot is None:
                self.loose[index] += _letter(text)
            else:
                self.slots[slot] += _letter(text)
            self.waiting = None
        else:
            direction = _DIRECTIONS.get(text) if text.isascii() else None
            self.street.append(direction or fold_word(text))
            self.waiting = None

    def parts(self, city: str) -> AddressParts | None:
        """The address as read, with the ``city`` found in it; None when it names no street
        or no house number."""
        slots, street, loose, named = self.slots, self.street, self.loose, self.named
        if named and not slots.get(_Part.HOUSE) and not loose:
            loose.append(named.pop())               # "Восьмого Марта 150 кв. 231"
        street.extend(named)
        house = slots.get(_Part.HOUSE) or (loose.pop(0) if loose else "")
        flat = slots.get(_Part.FLAT) or (loose.pop(0) if loose else "")   # "Ленина 5-12"
        if not street:
            # "ул. Набережная", "Lane Dr": with no other word, the kinds are the name.
            street.extend(kind for kind in self.kinds if kind != "street")
        words = tuple(sorted(word for word in (*street, *loose) if word))
        if not words or not house:
            return None
        return AddressParts(words, house, slots.get(_Part.BLOCK, ""),
                            slots.get(_Part.STRUCTURE, ""), flat, city)


@lru_cache(maxsize=1 << 16)
def place_key(city: str, postal_code: str, country: str) -> str:
    """Where a household is: the country and city, or in the United States the ZIP code."""
    country = country.strip().upper()
    postal = _NOT_ALNUM.sub("", postal_code).upper()
    town = city_key(city) if city.strip() else ""
    if country == "US":
        where = postal[:5] or town
    else:
        where = town or postal
    return f"{country}|{where}"


@lru_cache(maxsize=1 << 20)
def _home(address: str, city: str, postal_code: str,
          country: str) -> tuple[str, str, str] | None:
    """The place (country and city, or ZIP code), the building and the flat of
    ``address``. Remembered as a tuple of text, which the garbage collector leaves alone:
    an object kept for every address read would be walked by each of its full passes."""
    parts = parse_address(address, city, postal_code)
    if parts is None:
        return None
    return place_key(city or parts.city, postal_code, country), parts.building, parts.flat


def building_key(address: str | None, city: str | None, postal_code: str | None,
                 country: str | None) -> str | None:
    """The building ``address`` names — street, house, block, structure — in its city (a
    ZIP code in the United States), or None when it names no street and house number."""
    home = _home(address, city or "", postal_code or "", country or "") if address else None
    return None if home is None else f"{home[0]}|{home[1]}"


def household_key(address: str | None, city: str | None, postal_code: str | None,
                  country: str | None) -> str | None:
    """The building and flat ``address`` names: equal for the people of one home, different
    for neighbours in other flats of the building. None when it names no building."""
    home = _home(address, city or "", postal_code or "", country or "") if address else None
    if home is None:
        return None
    place, building, flat = home
    return bounded(f"{place}|{building}|{flat}", HOUSEHOLD_KEY_LENGTH)


def household_readings(address: str | None, city: str | None, postal_code: str | None,
                       country: str | None) -> tuple[str, ...]:
    """The households ``address`` may name: its :func:`household_key`, and, when its house
    is written with a slash and no flat is written ("ул. Ленина, 5/12", "Ленина 21/20"),
    also the house before the slash with the flat after it. The postal rules write a corner
    house so (дом 12/3), and people write house and flat so just as often; only a house
    with a block or structure, or with a flat written too ("12/3, кв. 5"), is surely a
    corner house. The entry limits count by :func:`household_key` alone."""
    key = household_key(address, city, postal_code, country)
    if key is None or not key.endswith("|") or "/" not in key or not address:
        return () if key is None else (key,)
    parts = parse_address(address, city or "", postal_code or "")
    if parts is None or parts.block or parts.structure:
        return (key,)
    house, _, flat = parts.house.partition("/")
    home = replace(parts, house=house, flat=flat)
    place = place_key(city or parts.city, postal_code or "", country or "")
    return key, bounded(f"{place}|{home.building}|{home.flat}", HOUSEHOLD_KEY_LENGTH)
