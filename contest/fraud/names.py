"""Person names compared across scripts, spellings, name order and grammatical gender.

:func:`fold_text` turns a name written in Cyrillic (Russian, Ukrainian) or Latin letters
into one lowercase Latin skeleton, so that the transliterations people actually use meet:
ICAO 9303 as in Russian and Ukrainian passports (Iuliia, Aleksei, Hryhorii), BGN/PCGN
(Yuliya, Aleksey), and the informal ones (Yulia, Alexey, Haritonov, Schukin). It folds
kh/h/g, shch/sch/sh, ts/tc/c, x/ks, y/j/i, ie/e and doubled letters, which keeps different
names apart (Ivan/Ilya, Maria/Marina, Petrov/Petrenko stay distinct) while making spelling
variants equal.

:func:`name_key` parses a full name: patronymics (-ovich, -ovna, -ivna…) are dropped, single
letters are initials, and "Surname, Given" or a trailing patronymic tell the surname; else it
is guessed from its ending (-ov, -enko, -sky…) or position. :func:`name_similarity` compares
two names whatever their order, with typos (optimal string alignment distance, from
rapidfuzz). :func:`surname_stems` gives gender-neutral surnames (Ivanova → ivanov,
Petrovskaya → petrovsk, -ська → -sk, Shevchenko unchanged) for "same family" checks.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e",
    "є": "ie", "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "i",
    "ь": "", "э": "e", "ю": "iu", "я": "ia",
}
_TO_LATIN = str.maketrans({**_CYRILLIC, **{k.upper(): v for k, v in _CYRILLIC.items()}})
# Readable Latin for display: the same letters, with the digraphs people expect.
_READABLE = {**_CYRILLIC, "х": "kh", "ц": "ts", "щ": "shch", "ы": "y", "й": "y", "ю": "yu",
             "я": "ya", "є": "ye", "ї": "yi"}
# Applied in order to lowercase Latin text; each folds spellings of one sound together.
_FOLDS = tuple((re.compile(pattern), new) for pattern, new in (
    ("shch|sch", "sh"), ("tch", "ch"), ("ph", "f"), ("th", "t"), ("kh", "h"), ("(?<![csz])h", "g"),
    ("x", "ks"), ("ts|tc|tz", "c"), ("ck", "k"), ("q", "k"), ("w", "v"), ("[jy]", "i"),
    ("ie", "e"),
))
_DOUBLE = re.compile(r"(.)\1+")
_NOT_LETTER = re.compile(r"[^a-z\s,]+")
_PATRONYMIC = re.compile(r".{2,}(ovich|evich|ovna|evna|ichna|ivna|ich|ovic|evic)$")
_SURNAME_ENDING = re.compile(
    r".{2,}(ov|ev|ova|eva|in|ina|sk|ski|ska|skaia|skii|ck|cki|cka|enko|ko|uk|iuk|chuk|ich|"
    r"ian|ianc|dze|shvili|son|sen|man|er)$")
# Gendered surname endings and their neutral stem, longest first.
_GENDERED = (("skaia", "sk"), ("ckaia", "ck"), ("skoi", "sk"), ("ska", "sk"), ("cka", "ck"),
             ("ski", "sk"), ("cki", "ck"), ("ova", "ov"), ("eva", "ev"), ("ina", "in"),
             ("aia", "i"))


def transliterate(text: str) -> str:
    """Plain readable Latin for ``text`` (Cyrillic letters in BGN-like spelling)."""
    out = []
    for character in text:
        lower = character.lower()
        latin = _READABLE.get(lower)
        if latin is None:
            out.append(character)
        else:
            out.append(latin.capitalize() if character != lower else latin)
    return "".join(out)


@lru_cache(maxsize=200_000)
def fold_text(text: str) -> str:
    """The lowercase Latin skeleton of ``text``: equal for spellings of one name."""
    latin = unicodedata.normalize("NFKD", text.translate(_TO_LATIN).lower())
    latin = "".join(c for c in latin if not unicodedata.combining(c))
    latin = _NOT_LETTER.sub(" ", latin.replace("'", "").replace("ʹ", ""))
    for pattern, new in _FOLDS:
        latin = pattern.sub(new, latin)
    return " ".join(_DOUBLE.sub(r"\1", word) for word in latin.split())


@dataclass(frozen=True)
class NameKey:
    """One parsed full name, folded."""

    tokens: tuple[str, ...]
    """Name words other than patronymics and initials, in the order given."""
    given: str | None
    surname: str | None
    """The surname as written (gendered form kept; see :func:`surname_stems`)."""
    initials: tuple[str, ...] = ()


@lru_cache(maxsize=200_000)
def name_key(full_name: str) -> NameKey:
    """Parse ``full_name`` ("Иванов Иван Иванович", "Ivan Ivanov", "IVANOV, Ivan",
    "I. Ivanov")."""
    folded = fold_text(full_name)
    surname_first = "," in folded
    words = folded.replace(",", " ").split()
    tokens, initials, patronymic = [], [], False
    for word in words:
        if len(word) == 1:
            initials.append(word)
        elif _PATRONYMIC.fullmatch(word) and len(words) > 2:
            patronymic = True
        else:
            tokens.append(word)
    surname: str | None = None
    if tokens:
        if surname_first or (patronymic and len(tokens) == 2):
            surname = tokens[0]
        else:
            endings = [t for t in tokens if _SURNAME_ENDING.fullmatch(t)]
            surname = endings[-1] if len(endings) == 1 else tokens[-1]
    given = next((t for t in tokens if t != surname), None)
    return NameKey(tuple(tokens), given, surname, tuple(initials))


def _token_likeness(a: str, b: str) -> float:
    return OSA.normalized_similarity(a, b)


def name_similarity(a: NameKey, b: NameKey) -> float:
    """How alike two names are, in [0, 1], whatever their order and script.

    Each word of the shorter name is matched to its most alike unused word of the other,
    weighted by length; one-letter typos in long words cost little. An initial matching a
    full given name, or a single-word name, gives at most 0.8: a moderate likeness, never
    enough on its own to call two people one.
    """
    short, long_ = (a, b) if len(a.tokens) <= len(b.tokens) else (b, a)
    if not short.tokens:
        return 0.0
    unused = list(long_.tokens)
    total = weight = 0.0
    for token in short.tokens:
        best, index = 0.0, -1
        for i, other in enumerate(unused):
            likeness = _token_likeness(token, other)
            if likeness > best:
                best, index = likeness, i
        size = max(len(token), len(unused[index]) if index >= 0 else 0)
        if index >= 0:
            unused.pop(index)
        total += best * size
        weight += size
    score = total / weight
    capped = False
    for initial in short.initials:
        if any(t.startswith(initial) for t in unused):
            unused = [t for t in unused if not t.startswith(initial)]
            capped = True
    if unused:
        score *= 0.95 ** len(unused)
    if len(short.tokens) == 1 or capped:
        score = min(score, 0.8)
    return score


def surname_stems(name: NameKey | str) -> frozenset[str]:
    """Gender-neutral forms of the surname: Иванов/Ivanova → ivanov, Петровская → petrovsk,
    Ковальська/Kovalsky → kovalsk, Шевченко → shevchenko."""
    key = name_key(name) if isinstance(name, str) else name
    if key.surname is None:
        return frozenset()
    return frozenset({_neutral(key.surname)})


def _neutral(surname: str) -> str:
    for ending, stem in _GENDERED:
        if surname.endswith(ending) and len(surname) > len(ending) + 1:
            return surname[: -len(ending)] + stem
    return surname
