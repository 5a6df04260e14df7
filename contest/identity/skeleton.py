"""Words folded to their *skeleton*, so that one name or street written in Cyrillic, in a
passport's Latin letters or in someone's own spelling meets itself.

:func:`fold_text` turns Russian or Ukrainian Cyrillic and Latin text into one lowercase Latin
*skeleton*, equal for the transliterations people actually use:

- ICAO Doc 9303 (Part 3, "Transliteration of multinational characters"), the system of
  Russian passports since 2013 and of Ukrainian ones (Iuliia, Aleksei, Hryhorii, Ievgen);
- BGN/PCGN 1947 for Russian and the Ukrainian national system of 2010 (Cabinet of Ministers
  resolution 55), as in Yuliya, Aleksey, Yevhen;
- informal and older spellings: Yulia, Alexey, Haritonov, Schukin, Fyodor, Iouri (French-
  style Soviet passports), Jewgeni and Schewtschenko (German), Szewczenko (Polish).

The skeleton folds spellings of one sound (kh/h/g, shch/sch/sh, ts/tc/c, x/ks, y/j/i,
ye/ie/e, yo/e after a consonant, ou/u, w/v, ph/f, th/t), drops soft and hard signs and
apostrophes, and collapses doubled letters. It keeps letters that tell names apart: Ivan and
Ilya, Maria and Marina, Petrov and Petrenko, Anna and Inna stay different.

Names (:mod:`contest.fraud.names`) and street and city names (:mod:`.addresses`) are
compared by it.

:func:`other_layout` reads text typed with the other keyboard layout on — the Russian
ЙЦУКЕН (or the Ukrainian one) against the US QWERTY, key by key, as in "Bdfyjd" for
"Иванов" and "Шмфт" for "Ivan" — for :mod:`contest.fraud.names` to decide whether that
reading is the name meant. See docs/NORMALISATION.md for what is folded, what is kept apart, and the
measured cost.
"""

import re
import unicodedata
from functools import lru_cache

# Cyrillic → Latin for the skeleton only (ICAO-like; the folds below make the rest meet).
_SKELETON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e",
    "є": "ie", "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ў": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}
# Latin letters with marks that stand for a digraph in the Slavic romanisations (ISO 9,
# scientific, Polish, Czech); the other marks are simply dropped after NFKD.
_MARKED_LATIN = {
    "š": "sh", "č": "ch", "ž": "zh", "ŝ": "shch", "ć": "ch", "ś": "sh", "ź": "zh", "ż": "zh",
    "ł": "l", "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ı": "i", "ǵ": "g",
}
APOSTROPHES = "'’‘ʼʹʺ`´″”\""
_TO_SKELETON = str.maketrans({
    **_SKELETON, **_MARKED_LATIN, **dict.fromkeys(APOSTROPHES, None)})

# Applied in order to lowercase Latin; each rule folds spellings of one sound together.
_FOLDS = tuple((re.compile(pattern), new) for pattern, new in (
    (r"shch|szcz", "sh"),               # Щукин: Shchukin, (Polish) Szczukin
    (r"tsch|tch", "ch"),                # German and French ч: Schewtschenko, Tchaikovsky
    (r"sch", "sh"),                     # Schukin
    (r"sz", "sh"), (r"cz", "ch"),       # Polish: Szewczenko
    (r"chr", "kr"),                     # Greek ch: Christina
    (r"ph", "f"), (r"th", "t"),
    (r"kh", "h"),                       # Kharitonov, Haritonov
    (r"(?<=[aeiouy])h$", ""),           # Sarah, Hannah; Черных = Chernykh = Chernyh
    (r"(?<![csz])h", "g"),              # Ukrainian г = h, Russian г = g: Hryhorii, Grigorii
    (r"x", "ks"),
    (r"tc(?!h)", "ts"),                 # Tcvetkov in Russian passports of 2010-2013
    (r"c(?![ehiy])|ck", "k"),           # Victor, Nicolai; the c of ts stays c
    (r"ts|tz", "c"),
    (r"q", "k"), (r"w", "v"),
    (r"[jy]", "i"),
    (r"ou", "u"),                       # French-style: Iouri, Oulianov
    (r"(?<=[bcdfghklmnprstvz])io(?=[a-z])", "e"),  # ё: Fyodor, Pyotr, Khrushchyov
    (r"ie", "e"),                       # є, е after a vowel: Ievgen, Yevgeny, Sergeyev
))
_DOUBLE = re.compile(r"(.)\1+")
WORD = re.compile(r"[^\W\d_]+(?:[’'`´][^\W\d_]+)*")
"""A word: letters, with apostrophes inside (Natal'ia, Ukrainian Мар'яна)."""


# The letter keys of the US QWERTY layout and what the Russian ЙЦУКЕН layout types on each
# (Windows and macOS agree on these), lowercase then with Shift. The Russian layout's full
# stop and comma sit on the QWERTY "/" and "?" keys.
_QWERTY = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>~/?"
_ЙЦУКЕН = "йцукенгшщзхъфывапролджэячсмитьбюёЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮЁ.,"
_TO_CYRILLIC = str.maketrans(_QWERTY, _ЙЦУКЕН)
# The Ukrainian layout differs on three keys: і for ы, ї for ъ, є for э (ґ has no one place).
_TO_LATIN = str.maketrans({
    **{cyrillic: latin for latin, cyrillic in zip(_QWERTY, _ЙЦУКЕН, strict=True)
       if cyrillic.isalpha()},
    "і": "s", "І": "S", "ї": "]", "Ї": "}", "є": "'", "Є": '"', "ґ": "`", "Ґ": "~"})
_VOWELS = frozenset("аеёиоуыэюяіїє")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+")


def other_layout(text: str) -> str:
    """``text`` as meant when it was typed with the other keyboard layout on: Latin text as
    the Russian layout's letters ("Bdfyjd B. B." → "Иванов И. И."), Cyrillic text as the US
    layout's ("Шмфт" → "ivan"). The full stops of initials and one that ends a word stay
    full stops (not ю, typed on the same key), and ъ after a vowel is read as the Ukrainian
    ї, typed on the same key."""
    if not text.isascii():
        return text.translate(_TO_LATIN)
    words = []
    for word in text.split(" "):
        if _INITIALS.fullmatch(word):
            words.append(word.translate(_TO_CYRILLIC).replace("ю", ".").replace("Ю", "."))
            continue
        stop = word.endswith(".")
        read = (word[:-1] if stop else word).translate(_TO_CYRILLIC)
        if "ъ" in read.lower():
            read = "".join(
                ("ї" if c == "ъ" else "Ї") if c in "ъЪ" and i and read[i - 1].lower() in _VOWELS
                else c for i, c in enumerate(read))
        words.append(read + "." * stop)
    return " ".join(words)


@lru_cache(maxsize=1 << 17)
def fold_word(word: str) -> str:
    """The skeleton of one word (no spaces in, no spaces out); see :func:`fold_text`."""
    text = word.lower().translate(_TO_SKELETON)
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(c))
    for pattern, new in _FOLDS:
        text = pattern.sub(new, text)
    return _DOUBLE.sub(r"\1", text)


@lru_cache(maxsize=1 << 18)
def fold_text(text: str) -> str:
    """The lowercase Latin skeleton of ``text``, words joined by one space: equal for the
    spellings of one name (Юлия, Yuliya, Yulia, Iuliia → ``iulia``)."""
    return " ".join(filter(None, (fold_word(word) for word in WORD.findall(text))))
