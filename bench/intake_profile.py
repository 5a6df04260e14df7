"""Benchmark: the Python cost of one entry, in-process (no HTTP server, no concurrency).

Builds the app on a fresh database with the open contest of ``bench/intake_load.py``, posts
``--entries`` entries through Flask's test client one after another, and prints the
milliseconds per entry and the database round trips per entry. With ``--profile``, also the
functions that took the most time (cProfile, cumulative). This is the floor each gunicorn
thread pays before any waiting; ``intake_load.py`` measures the server under load.

    .venv/bin/python bench/intake_profile.py [--postgres] [--entries 2000] [--profile 30]
"""

import argparse
import cProfile
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from intake_load import (  # noqa: E402
    SLUG,
    drop_database,
    entrant,
    make_database,
    open_contest,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true",
                        help="a fresh database on the test PostgreSQL (scripts/test-postgres)")
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--sort", default="cumulative", help="the cProfile column to sort by")
    parser.add_argument("--dump", type=Path, help="also save the cProfile statistics here")
    parser.add_argument("--profile", type=int, default=0, metavar="LINES",
                        help="print this many lines of the cProfile report")
    args = parser.parse_args(argv)
    args.database_url = None

    folder = Path(tempfile.mkdtemp(prefix="contest-profile-"))
    url = make_database(args, folder)
    open_contest(url)
    os.environ.update({"CONTEST_DATABASE_URL": url,
                       "CONTEST_INSTANCE_PATH": str(folder / "instance"),
                       "CONTEST_ENTRY_RATE_LIMIT": "10000000 per minute",
                       "CONTEST_CONTEST_RATE_LIMIT": "10000000 per minute"})
    from web import create_app
    from web.database import engine

    app = create_app()
    with app.app_context():
        statements = [0]
        event.listen(engine(), "before_cursor_execute",
                     lambda *_: statements.__setitem__(0, statements[0] + 1))
    client = app.test_client()
    rng = random.Random(1)
    bodies = [entrant(number, rng) for number in range(args.entries + 200)]

    def post(number: int) -> int:
        return client.post(f"/api/contests/{SLUG}/entries", json=bodies[number],
                           headers={"Idempotency-Key": f"profile-{number}"}).status_code

    for number in range(200):  # warm up: imports, pools, caches
        post(number)
    statements[0] = 0
    profiler = cProfile.Profile() if args.profile else None
    started, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    statuses: dict[int, int] = {}
    for number in range(200, 200 + args.entries):
        status = post(number)
        statuses[status] = statuses.get(status, 0) + 1
    if profiler:
        profiler.disable()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{url.split(':', 1)[0]}: {args.entries:,} entries in {elapsed:.2f} s: "
          f"{elapsed / args.entries * 1000:.2f} ms per entry ({cpu / args.entries * 1000:.2f} ms "
          f"of this process's CPU), "
          f"{statements[0] / args.entries:.2f} statements per entry; statuses {statuses}")
    if profiler:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.profile)
        if args.dump:
            profiler.dump_stats(args.dump)
    app.extensions["contest.engine"].dispose()
    if args.postgres:
        drop_database(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
