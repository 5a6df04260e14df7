"""Recognising a marketer's free-text prize as a catalogue prize type.

A prize is written as people write it: in English, Russian or Ukrainian, with typos
("скейтбрд", "hedphones"), with brands, models and amounts around the name ("Apple iPhone 15
Pro 256GB", "Сертификат в магазин на 5000 руб."). :func:`match_prize` finds the catalogue
name or synonym among the words of the text and says how sure it is:

1. *Normalise*: Unicode NFKC, case folded, "ё" read as "е", apostrophes dropped
   ("м'яч" = "мяч"), other punctuation and hyphens split words, and a word that mixes Latin and
   Cyrillic letters written in the script most of its letters use ("aйфон" with a Latin "a").
2. *Words*: each word of the text is looked up among the catalogue's words, exactly, then
   fuzzily with rapidfuzz for typos (optimal string alignment: a letter dropped, added,
   replaced or two swapped is one edit) and for inflected endings ("велосипеда",
   "наушниками"). Words of under four letters must match exactly, and four-letter words
   tolerate only a dropped or added letter: one replaced letter turns a short word into
   another ("лайк" is not "найк"). Two adjacent words are also tried glued ("скейт борд").
3. *Phrases*: a synonym matches where all of its words appear in a row; its quality is the
   length-weighted mean of its words' similarities.
4. *Choice*: near-exact phrases beat fuzzy ones, longer phrases beat shorter, then quality,
   then the earlier place in the text. A wrapping type (a gift certificate) gives way to a
   specific type named exactly in the same text: a certificate *for a bicycle* serves only
   cyclists.
5. *Confidence*: the phrase quality scaled by how much of the meaningful text the phrase
   explains (brands, models, amounts, colours and prepositions do not count), in [0, 1].

Below :data:`MATCH_THRESHOLD` the prize is **unknown**: the match has no type (the best
guess is kept apart for display) rather than a silent guess.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from contest.prizes.catalogue import Catalogue, PrizeType, default_catalogue

MATCH_THRESHOLD = 0.7
"""Confidence below which a prize is reported as unknown.

With the choices below, an exact synonym is always above it (1.0 alone, at least 0.75
surrounded by unexplained words); a single-typo synonym (quality 0.8-0.95) is above it unless
most of the text is unexplained; a fuzzy hit on one word among many unknown words is not."""

EXACTISH = 0.9
"""Word or phrase similarity treated as "named outright" when ranking candidates."""

INFLECTED = 0.93
"""The similarity given to a word that is a catalogue word plus an inflectional ending."""

_FUZZY_FLOOR = 60.0
_SHORTEST_FUZZY = 4
_APOSTROPHES = str.maketrans("", "", "'’ʼ`´")
_NON_WORD = re.compile(r"[^\w]+|_")
_LATIN = re.compile(r"[a-z]")
_CYRILLIC = re.compile(r"[а-яіїєґў]")
# Letters that look alike in both alphabets, for words typed with a mixed keyboard.
_TO_LATIN = str.maketrans("аеорсухкмтвнїі", "aeopcyxkmtbhii")
_TO_CYRILLIC = str.maketrans("aeopcyxkmtbh", "аеорсухкмтвн")


def normalise(text: str) -> str:
    """``text`` as matching sees it: lower case, single spaces, words only."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    words = _NON_WORD.sub(" ", folded.translate(_APOSTROPHES)).split()
    return " ".join(_one_script(word) for word in words)


def _one_script(word: str) -> str:
    latin, cyrillic = len(_LATIN.findall(word)), len(_CYRILLIC.findall(word))
    if not latin or not cyrillic:
        return word
    return word.translate(_TO_LATIN) if latin > cyrillic else word.translate(_TO_CYRILLIC)


@dataclass(frozen=True)
class PrizeMatch:
    """What a prize text was recognised as.

    ``prize_type`` is ``None`` when the text is unknown (``confidence`` below
    :data:`MATCH_THRESHOLD`); ``guess`` then holds the best candidate, if any, for display
    only. ``matched`` is the normalised synonym that decided.
    """

    text: str
    prize_type: PrizeType | None
    confidence: float
    matched: str = ""
    guess: PrizeType | None = None

    @property
    def known(self) -> bool:
        return self.prize_type is not None

    def to_data(self) -> dict[str, object]:
        """The ``contest prizes match --json`` object: exactly these five keys."""
        found = self.prize_type
        return {
            "text": self.text,
            "type": None if found is None else found.id,
            "age_min": None if found is None else found.age_min,
            "age_max": None if found is None else found.age_max,
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True)
class _Candidate:
    type_id: str
    phrase: tuple[str, ...]
    quality: float
    start: int
    end: int
    brand: bool = False

    def rank(self) -> tuple[bool, bool, int, float, int]:
        return (self.quality >= EXACTISH, not self.brand, self.end - self.start, self.quality,
                -self.start)


class Matcher:
    """Matches prize texts against one catalogue; build once, call many times."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._phrases: dict[tuple[str, ...], str] = {}
        self._brands: set[tuple[str, ...]] = set()
        self._by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        conflicts: list[str] = []
        for prize_type in catalogue:
            words = (*prize_type.names.values(), *prize_type.synonyms, *prize_type.brands)
            for position, text in enumerate(words):
                phrase = tuple(normalise(text).split())
                if not phrase:
                    continue
                owner = self._phrases.setdefault(phrase, prize_type.id)
                if owner != prize_type.id:
                    conflicts.append(f"{' '.join(phrase)!r} ({owner}, {prize_type.id})")
                    continue
                if position >= len(words) - len(prize_type.brands):
                    self._brands.add(phrase)
                if phrase not in self._by_first[phrase[0]]:
                    self._by_first[phrase[0]].append(phrase)
        self.conflicts: tuple[str, ...] = tuple(conflicts)
        """Synonyms that two types claim; the first type keeps them (a catalogue defect)."""
        self._vocabulary = sorted({word for phrase in self._phrases for word in phrase})
        self._known = frozenset(self._vocabulary)
        self._noise = frozenset(normalise(word) for word in catalogue.noise)
        self._word_hits = cache(self._fuzzy_word)
        self._near_length = cache(self._words_of_length)

    def match(self, text: str) -> PrizeMatch:
        words = normalise(text).split()
        candidates = self._candidates(words)
        if not candidates:
            return PrizeMatch(text=text, prize_type=None, confidence=0.0)
        best = self._choose(candidates)
        confidence = best.quality * (0.75 + 0.25 * self._coverage(words, best, candidates))
        prize_type = self.catalogue[best.type_id]
        if confidence < MATCH_THRESHOLD:
            return PrizeMatch(text=text, prize_type=None, confidence=confidence,
                              matched=" ".join(best.phrase), guess=prize_type)
        return PrizeMatch(text=text, prize_type=prize_type, confidence=confidence,
                          matched=" ".join(best.phrase))

    def match_all(self, texts: Iterable[str]) -> list[PrizeMatch]:
        return [self.match(text) for text in texts]

    # -- words and phrases ---------------------------------------------------------------------
    def _hits(self, words: Sequence[str]) -> list[dict[str, float]]:
        """For each word of the text, the catalogue words it may be and how similar."""
        hits: list[dict[str, float]] = []
        for word in words:
            found = dict(self._word_hits(word))
            if word in self._known:
                found[word] = 1.0
            hits.append(found)
        return hits

    def _fuzzy_word(self, word: str) -> tuple[tuple[str, float], ...]:
        letters = word.rstrip("0123456789")
        if letters != word and len(letters) >= 3 and letters in self._known:
            return ((letters, 0.97),)  # "iphone15", "ps5pro" typed without a space
        if len(word) < _SHORTEST_FUZZY or not word.isalpha() or word in self._noise:
            return ()
        found = process.extract(word, self._near_length(len(word)), scorer=fuzz.ratio, limit=6,
                                score_cutoff=_FUZZY_FLOOR)
        hits = []
        for known, score, _ in found:
            # Optimal string alignment counts a replaced or swapped letter as one edit, as a
            # reader does; Indel similarity (the score) rates one dropped or added letter
            # higher, but also rewards long insertions ("трансфер" is not "трансформер"), so
            # it counts only for a single edit.
            quality = OSA.normalized_similarity(word, known)
            if OSA.distance(word, known) == 1:
                quality = max(quality, score / 100)
                if sorted(word) == sorted(known):  # two letters swapped: "crad" for "card"
                    quality = max(quality, _cutoff(len(word)))
            if _inflected(word, known):
                quality = max(quality, INFLECTED)
            if quality >= _cutoff(min(len(word), len(known))):
                hits.append((known, quality))
        return tuple(hits)

    def _words_of_length(self, length: int) -> list[str]:
        """Catalogue words one typo or one inflectional ending away in length."""
        return [word for word in self._vocabulary if abs(len(word) - length) <= 3]

    def _candidates(self, words: Sequence[str]) -> list[_Candidate]:
        hits = self._hits(words)
        found: list[_Candidate] = []
        for start in range(len(words)):
            for first, first_quality in hits[start].items():
                for phrase in self._by_first.get(first, ()):
                    qualities = [first_quality]
                    for offset, word in enumerate(phrase[1:], start=1):
                        position = start + offset
                        if position >= len(words) or word not in hits[position]:
                            break
                        qualities.append(hits[position][word])
                    else:
                        found.append(_Candidate(
                            self._phrases[phrase], phrase, _weighted(phrase, qualities),
                            start, start + len(phrase), phrase in self._brands))
            if start + 1 < len(words):
                glued = words[start] + words[start + 1]
                phrase = (glued,)
                if phrase in self._phrases:  # "скейт борд", "head phones"
                    found.append(_Candidate(self._phrases[phrase], phrase, 0.97,
                                            start, start + 2, phrase in self._brands))
        return found

    def _choose(self, candidates: Sequence[_Candidate]) -> _Candidate:
        best = max(candidates, key=_Candidate.rank)
        if not self.catalogue[best.type_id].wraps:
            return best
        specific = [c for c in candidates
                    if not self.catalogue[c.type_id].wraps and c.quality >= INFLECTED
                    and not (best.start < c.end and c.start < best.end)]
        return max(specific, key=_Candidate.rank) if specific else best

    def _coverage(self, words: Sequence[str], best: _Candidate,
                  candidates: Sequence[_Candidate]) -> float:
        """The share of the meaningful letters of the text that prize words explain: the
        chosen phrase, and any other phrase named outright (the "certificate" around "for a
        bicycle" is understood, not unexplained)."""
        covered = set(range(best.start, best.end))
        for candidate in candidates:
            if candidate.quality >= EXACTISH:
                covered.update(range(candidate.start, candidate.end))
        explained = sum(len(words[position]) for position in covered)
        meaningful = explained + sum(
            len(word) for position, word in enumerate(words)
            if position not in covered and self._meaningful(word))
        return explained / meaningful if meaningful else 1.0

    def _meaningful(self, word: str) -> bool:
        return (len(word) > 1 and word not in self._noise
                and not any(character.isdigit() for character in word))


def _weighted(phrase: Sequence[str], qualities: Sequence[float]) -> float:
    total = sum(len(word) for word in phrase)
    weighted = sum(len(word) * quality
                   for word, quality in zip(phrase, qualities, strict=True))
    return round(weighted / total, 6)


def _cutoff(length: int) -> float:
    """Least similarity accepted for a word of ``length`` letters: about one typo."""
    return 0.8 if length <= 8 else 0.78


def _inflected(word: str, known: str) -> bool:
    """``word`` is ``known`` with a different ending ("наушниками" for "наушники")."""
    if len(known) < 5:
        return False  # "meal" and "meach", "стол" and "столото": too short to tell
    common = 0
    for left, right in zip(word, known, strict=False):
        if left != right:
            break
        common += 1
    word_rest, known_rest = len(word) - common, len(known) - common
    if word_rest == 0:  # a cut-off word: "наушник" is inflection, "room" is not "roomba"
        return known_rest <= 1
    return common >= max(4, len(known) - 2) and word_rest <= 3 and known_rest <= 2


@cache
def default_matcher() -> Matcher:
    """A matcher for the shipped catalogue, built once."""
    return Matcher(default_catalogue())


def match_prize(text: str, *, catalogue: Catalogue | None = None) -> PrizeMatch:
    """Recognise ``text`` as a prize type of ``catalogue`` (the shipped one by default)."""
    matcher = default_matcher() if catalogue is None else Matcher(catalogue)
    return matcher.match(text)
