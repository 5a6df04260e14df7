"""Time one drand quicknet round verification: the point checks, the pairing, and both.

Run: ``.venv/bin/python bench/randomness.py``. Prints milliseconds per verification (the
median of several runs) for round 1000 of quicknet.
"""

import statistics
import time
from collections.abc import Callable

import drand_verify  # type: ignore[import-untyped]

from contest.randomness import _bls12_381
from contest.randomness.drand import QUICKNET, DrandRound, verify_round

ROUND = DrandRound(
    1000,
    bytes.fromhex(
        "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125"
        "e342b73a8dd2bacbe47e4b6b63ed5e39"
    ),
)
RUNS = 20


def median_ms(work: Callable[[], object]) -> float:
    work()
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> None:
    checks = median_ms(lambda: _bls12_381.decode_g1(ROUND.signature))
    pairing = median_ms(lambda: drand_verify.verify_bls_unchained_g1_rfc9380(
        ROUND.round, ROUND.signature.hex(), QUICKNET.public_key))
    total = median_ms(lambda: verify_round(QUICKNET, ROUND))
    print(f"drand {QUICKNET.name} round {ROUND.round}, median of {RUNS} runs")
    print(f"  point decoding + subgroup check (pure Python): {checks:8.2f} ms")
    print(f"  BLS pairing check (drand-verify):              {pairing:8.2f} ms")
    print(f"  verify_round, everything:                      {total:8.2f} ms")


if __name__ == "__main__":
    main()
