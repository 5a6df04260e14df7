"""Benchmark: the ``bot`` detector on a labelled population (bench/bot_population.py).

Prints precision and recall of ``bot`` flags (score ≥ 0.5), the recall on each farm (the
fake VK accounts' on a line of its own), and how many of each honest crowd (the TV mention,
the dormitory, the VK crowd) any flag names, how many a burst alone would have named, and
how many show an account signal, which alone flags no one either. The entrants read from
VK carry what VK showed of their accounts, as a read keeps it (``account_profiles``).
Aims (issue 21): bot recall ≥ 0.9 with precision ≥ 0.95; no entrant of an honest crowd
flagged by a burst or an account signal alone (no flag rests on one signal).

    .venv/bin/python bench/bots.py [--entries 20000] [--seed 7]
"""

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import bot_population  # noqa: E402
from bench.fraud import clean_people  # noqa: E402
from contest.fraud.bots import entry_signals  # noqa: E402
from contest.fraud.scan import scan  # noqa: E402
from contest.identity import is_disposable  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    population = bot_population.generate(args.entries, args.seed)
    entrants, staff, relatives = clean_people(population)
    for person in entrants.people:
        if person.accounts:
            person.profile = population.profiles.get(person.accounts[0])
    started = time.perf_counter()
    result = scan(entrants.people, staff.people, relatives.people, disposable=is_disposable)
    seconds = time.perf_counter() - started
    print(f"{len(entrants.people):,} entries; scan {seconds:.1f} s")
    bots = {row["entry_id"]: row["note"] for row in population.labels if row["kind"] == "bot"}
    flagged = {flag.entry_id for flag in result.flags if flag.kind == "bot" and flag.score >= 0.5}
    anyhow = {flag.entry_id for flag in result.flags if flag.score >= 0.5}
    tp, fp, fn = len(flagged & bots.keys()), len(flagged - bots.keys()), len(bots.keys() - flagged)
    print(f"  bot: precision {tp / (tp + fp) if tp + fp else 1.0:.3f}, "
          f"recall {tp / (tp + fn) if tp + fn else 1.0:.3f}  ({tp}/{fp}/{fn})")
    fake = {key for key, note in bots.items() if note == "fake_accounts"}
    found = len(flagged & fake)
    print(f"  bot, fake VK accounts: recall {found / len(fake):.3f} ({found}/{len(fake)})")
    planted, caught = Counter(bots.values()), Counter(bots[key] for key in flagged & bots.keys())
    print("  recall by farm: " + ", ".join(
        f"{farm} {caught[farm]}/{planted[farm]}" for farm in bot_population.FARMS))
    signals = entry_signals(entrants.people, is_disposable)
    place = {person.key: i for i, person in enumerate(entrants.people)}
    for crowd in bot_population.CROWDS:
        members = [row["entry_id"] for row in population.labels
                   if row["kind"] == "clean" and row["note"] == crowd]
        wrongly = sum(key in anyhow for key in members)
        as_bots = sum(key in flagged for key in members)
        bursty = sum(any(s.kind == "burst" for s in signals.get(place[key], ()))
                     for key in members)
        empty = sum(any(s.kind == "account_state" for s in signals.get(place[key], ()))
                    for key in members)
        print(f"  {crowd}: {len(members):,} people, {wrongly} flagged of any kind "
              f"({wrongly / len(members):.4f}), {as_bots} as bots; {bursty} in a burst, "
              f"{empty} with an account signal, which alone flag no one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
