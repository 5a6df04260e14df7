"""Benchmark: recognising free-text prizes as catalogue types — speed and accuracy.

1. Synthetic: N prize texts made from the catalogue's own names and synonyms with realistic
   noise — typos (a letter dropped, doubled, swapped or replaced), brands, models, quantities,
   amounts, adjectives, case changes and English words mixed into Russian and Ukrainian — plus
   about 10% texts that name no catalogue prize (labelled unknown). Reports throughput
   (names/s, on a freshly built matcher, so word caches start cold), the share of known texts
   matched to the right type, and the share of unknown texts reported unknown.
2. Hand-written: ``bench/data/prize_labels.csv`` (``text,type``, empty type = unknown), prize
   lines as marketers write them, not catalogue synonyms; the same figures, reported apart.

    .venv/bin/python bench/prizes.py [--names 10000] [--seed 7] [--show-misses 15]
"""

import argparse
import csv
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from contest.prizes.catalogue import Catalogue, default_catalogue  # noqa: E402
from contest.prizes.matching import Matcher, PrizeMatch  # noqa: E402

LABELS = Path(__file__).resolve().parent / "data" / "prize_labels.csv"

# Brands that make many kinds of product, so they never decide the type by themselves.
BRANDS = ("Apple", "Samsung", "Xiaomi", "Sony", "Philips", "Bosch", "Redmond", "Huawei",
          "Lenovo", "Decathlon", "Hasbro", "Garnier", "Braun", "Panasonic", "Zara", "Vitek")
MODELS = ("Pro", "Max", "2024", "X5", "Plus", "Ultra", "Lite", "v2", "GT 4", "S24", "Mini",
          "128GB", "256 ГБ", "4K", "XL")
QUANTITIES = ("2 шт.", "x2", "(3 pcs)", "— 5 штук", "1 шт", "set of 2", "2 од.")
AMOUNTS = ("на 5000 руб.", "$100", "1000 грн", "номиналом 3000 ₽", "worth $50", "€75",
           "на сумму 10 000 рублей", "500 гривень", "£20")
ADJECTIVES_RU = ("новый", "крутой", "фирменный", "оригинальный", "отличный", "главный приз:",
                 "суперприз —", "лучший")
ADJECTIVES_UK = ("новий", "фірмовий", "головний приз:", "оригінальний", "класний")
ADJECTIVES_EN = ("new", "premium", "brand-new", "awesome", "grand prize:", "original",
                 "limited edition")
TAILS = ("для победителя", "для победителей розыгрыша", "for the winner", "для переможця",
         "в подарок", "as a gift", "каждому участнику", "от спонсора", "from our partner")
UNKNOWN_THINGS = (
    "трактор", "мешок цемента", "корова", "поросёнок", "тонна угля", "рукопожатие",
    "встреча с директором", "именная звезда", "право назвать улицу", "пожизненное уважение",
    "лайк от бренда", "сюрприз", "mystery box", "handshake", "goodwill", "a hug",
    "коза", "кирпичи", "мешок картошки", "бетономешалка", "саженец дуба", "грузовик песка",
    "обнимашки", "автограф", "мешок удачи", "trophy cup", "медаль", "грамота",
    "certificate of honour", "кубок победителя", "виртуальный поцелуй", "тонна щебня",
)


@dataclass(frozen=True)
class Labelled:
    text: str
    type_id: str | None


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "double", "swap", "replace"))
    if kind == "drop":
        return word[:at] + word[at + 1:]
    if kind == "double":
        return word[:at] + word[at] + word[at:]
    if kind == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2:]
    alphabet = "абвгдеиклмнопрстуя" if any("а" <= c <= "я" for c in word) else "abcdeiklmnoprstu"
    return word[:at] + rng.choice(alphabet) + word[at + 1:]


def noisy(name: str, rng: random.Random) -> str:
    """``name`` dressed as a marketer might write it."""
    words = name.split()
    if rng.random() < 0.35:
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        words[longest] = typo(words[longest], rng)
    text = " ".join(words)
    cyrillic = any("а" <= c.lower() <= "я" or c in "іїєґ" for c in text)
    ukrainian = any(c in "іїєґ" for c in text.lower())
    if rng.random() < 0.3:
        text = f"{rng.choice(BRANDS)} {text}"
    if rng.random() < 0.25:
        text = f"{text} {rng.choice(MODELS)}"
    if rng.random() < 0.15:
        text = f"{text} {rng.choice(QUANTITIES)}"
    if rng.random() < 0.15:
        text = f"{text} {rng.choice(AMOUNTS)}"
    if rng.random() < 0.25:
        pool = ADJECTIVES_UK if ukrainian else ADJECTIVES_RU if cyrillic else ADJECTIVES_EN
        if rng.random() < 0.2:  # mixed languages: "Premium наушники", "новый headphones"
            pool = ADJECTIVES_EN if cyrillic else ADJECTIVES_RU
        text = f"{rng.choice(pool)} {text}"
    if rng.random() < 0.15:
        text = f"{text} {rng.choice(TAILS)}"
    case = rng.random()
    if case < 0.1:
        text = text.upper()
    elif case < 0.3:
        text = text.title()
    elif case < 0.4:
        text = text[:1].upper() + text[1:]
    return text


def synthetic(catalogue: Catalogue, count: int, seed: int) -> list[Labelled]:
    rng = random.Random(seed)
    phrases = [(name, t.id) for t in catalogue for name in (*t.names.values(), *t.synonyms)]
    out = []
    for _ in range(count):
        if rng.random() < 0.1:
            out.append(Labelled(noisy(rng.choice(UNKNOWN_THINGS), rng), None))
        else:
            name, type_id = rng.choice(phrases)
            out.append(Labelled(noisy(name, rng), type_id))
    return out


def hand_written(path: Path = LABELS) -> list[Labelled]:
    with path.open(encoding="utf-8", newline="") as stream:
        return [Labelled(row["text"], row["type"] or None) for row in csv.DictReader(stream)]


@dataclass(frozen=True)
class Score:
    known: int
    right: int
    unknown: int
    said_unknown: int
    missed_known: int

    def line(self) -> str:
        accuracy = self.right / self.known if self.known else 1.0
        detection = self.said_unknown / self.unknown if self.unknown else 1.0
        return (f"type accuracy {accuracy:.1%} ({self.right}/{self.known}), "
                f"unknown detection {detection:.1%} ({self.said_unknown}/{self.unknown}), "
                f"known texts called unknown {self.missed_known}")


def score(labels: Sequence[Labelled], matches: Sequence[PrizeMatch]) -> Score:
    known = [(label, found) for label, found in zip(labels, matches, strict=True)
             if label.type_id is not None]
    unknown = [(label, found) for label, found in zip(labels, matches, strict=True)
               if label.type_id is None]
    return Score(
        known=len(known),
        right=sum(found.prize_type is not None and found.prize_type.id == label.type_id
                  for label, found in known),
        unknown=len(unknown),
        said_unknown=sum(found.prize_type is None for _, found in unknown),
        missed_known=sum(found.prize_type is None for _, found in known),
    )


def misses(labels: Sequence[Labelled], matches: Sequence[PrizeMatch], limit: int) -> None:
    shown = 0
    for label, found in zip(labels, matches, strict=True):
        got = found.prize_type.id if found.prize_type else None
        if got != label.type_id and shown < limit:
            print(f"    {label.text!r}: expected {label.type_id}, got {got} "
                  f"({found.confidence:.2f}, {found.matched!r})")
            shown += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--names", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show-misses", type=int, default=0)
    args = parser.parse_args()

    catalogue = default_catalogue()
    labels = synthetic(catalogue, args.names, args.seed)
    started = time.perf_counter()
    matcher = Matcher(catalogue)
    built = time.perf_counter() - started
    started = time.perf_counter()
    matches = matcher.match_all(label.text for label in labels)
    elapsed = time.perf_counter() - started
    print(f"catalogue: {len(catalogue)} types; matcher built in {built * 1000:.0f} ms")
    print(f"synthetic: {len(labels)} names in {elapsed:.2f} s = {len(labels) / elapsed:,.0f} "
          f"names/s")
    print(f"  {score(labels, matches).line()}")
    if args.show_misses:
        misses(labels, matches, args.show_misses)
    wrong = Counter(
        (label.type_id, found.prize_type.id if found.prize_type else None)
        for label, found in zip(labels, matches, strict=True)
        if (found.prize_type.id if found.prize_type else None) != label.type_id)
    if args.show_misses:
        print("  most common confusions (expected -> got):",
              ", ".join(f"{a}->{b} {n}" for (a, b), n in wrong.most_common(8)))

    hand = hand_written()
    hand_matches = Matcher(catalogue).match_all(label.text for label in hand)
    print(f"hand-written ({LABELS.name}): {len(hand)} texts")
    print(f"  {score(hand, hand_matches).line()}")
    if args.show_misses:
        misses(hand, hand_matches, args.show_misses)


if __name__ == "__main__":
    main()
