"""Benchmark: how long the participant-graph scan takes, and how much memory, at 100,000 and
1,000,000 entries (issue 4 aims: 100,000 entries with 1,000 staff in ≤ 8 s; 1,000,000 with
10,000 staff in ≤ 60 s and ≤ 4 GiB peak memory, on 2 cores).

For each size the labelled population of bench/fraud_population.py (one staff member per
hundred entries) is written as CSV files into ``--data`` (kept, and reused by later runs of
the same size and seed: a million entries take minutes to generate), then a fresh Python
process reads them as ``contest fraud scan`` does and scans them. Printed per size:

- ``scan``: the scan's wall-clock time (reading the CSV files left out);
- ``read``: the time to read and check the three CSV files (``both``: read and scan, as
  ``contest fraud scan`` spends them);
- ``peak memory``: the scanning process's peak resident set (``ru_maxrss``, CSV reading
  included).

    .venv/bin/python bench/fraud_speed.py [--sizes 100000 1000000] [--data DIR] [--seed 7]
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fraud_population  # noqa: E402

GIB = 1024 * 1024       # ru_maxrss is in KiB on Linux


def population_files(entries: int, seed: int, data: Path) -> Path:
    """The folder with the population's CSV files, generated unless already there."""
    folder = data / f"population-{entries}-{seed}"
    if not (folder / "labels.csv").exists():
        started = time.perf_counter()
        population = fraud_population.generate(entries, max(20, entries // 100), seed)
        fraud_population.write(population, folder)
        print(f"  generated {entries:,} entries in {time.perf_counter() - started:.0f} s "
              f"into {folder}", flush=True)
    return folder


def measure(folder: Path) -> dict[str, float]:
    """Read and scan the files of ``folder`` (run in a fresh process: see :func:`main`)."""
    from contest.fraud.people import read_entries, read_relatives, read_staff
    from contest.fraud.scan import scan

    started = time.perf_counter()
    staff = read_staff((folder / "staff.csv").read_bytes())
    relatives = read_relatives((folder / "relatives.csv").read_bytes(), staff.people)
    entrants = read_entries((folder / "entries.csv").read_bytes())
    read = time.perf_counter() - started
    started = time.perf_counter()
    result = scan(entrants.people, staff.people, relatives.people)
    seconds = time.perf_counter() - started
    return {
        "entries": len(entrants.people), "staff": len(staff.people),
        "relatives": len(relatives.people), "flags": result.stats["flags"],
        "read": read, "scan": seconds,
        "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / GIB,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--data", type=Path, default=Path(".tmp/fraud-speed"),
                        help="where the generated CSV files are kept")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.measure is not None:             # the fresh process
        print(json.dumps(measure(options.measure)))
        return 0
    for size in options.sizes:
        folder = population_files(size, options.seed, options.data)
        run = subprocess.run([sys.executable, __file__, "--measure", str(folder)],
                             check=True, capture_output=True, text=True)
        figures = json.loads(run.stdout.strip().splitlines()[-1])
        print(f"{figures['entries']:,} entries, {figures['staff']:,} staff, "
              f"{figures['relatives']:,} relatives: scan {figures['scan']:.1f} s "
              f"(read {figures['read']:.1f} s, both {figures['scan'] + figures['read']:.1f} s), "
              f"{figures['flags']:,} flags; peak memory "
              f"{figures['peak']:.2f} GiB",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
