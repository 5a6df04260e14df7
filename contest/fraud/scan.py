"""A fraud scan: profile every person, build the participant graph, run every detector.

:func:`scan` works on :class:`~contest.fraud.people.Person` lists, so the same scan runs on
CSV files (``contest fraud scan``, no database) and on a contest's stored entries.
"""

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from contest.fraud.collector import cycle_collection_paused
from contest.fraud.detectors import DETECTORS, Flag, Scan
from contest.fraud.graph import ParticipantGraph, profiles
from contest.fraud.people import Person

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``: ``profiling`` people (``done`` of ``total``
people), then each detector by its kind (``done`` of ``total`` detectors run before it)."""


@dataclass
class ScanResult:
    flags: list[Flag]
    stats: dict[str, Any] = field(default_factory=dict)

    def to_data(self) -> dict[str, Any]:
        """The ``flags.json`` document: flags highest score first, and the scan's figures."""
        ordered = sorted(self.flags, key=lambda f: (-f.score, f.kind, f.entry_id))
        return {"flags": [flag.to_data() for flag in ordered], "stats": self.stats}


def scan(entrants: Sequence[Person], staff: Sequence[Person] = (),
         relatives: Sequence[Person] = (), *, per_person: int = 1,
         default_region: str | None = None, progress: Progress | None = None,
         disposable: Callable[[str], bool] | None = None) -> ScanResult:
    """Flag ``entrants`` (in submission order) against ``staff`` and their ``relatives``;
    ``disposable`` tells a throwaway mailbox when the rules flag them (a bot signal)."""
    with cycle_collection_paused():
        return _scan(entrants, staff, relatives, per_person, default_region, progress,
                     disposable)


def _scan(entrants: Sequence[Person], staff: Sequence[Person], relatives: Sequence[Person],
          per_person: int, default_region: str | None, progress: Progress | None,
          disposable: Callable[[str], bool] | None = None) -> ScanResult:
    started = time.perf_counter()
    people = [*staff, *relatives, *entrants]
    profiled = profiles(people, default_region, progress and partial(progress, "profiling"))
    graph = ParticipantGraph(profiled)
    state = Scan(graph, profiled[len(staff) + len(relatives):], per_person=per_person,
                 disposable=disposable)
    for done, (kind, detector) in enumerate(DETECTORS.items()):
        if progress is not None:
            progress(kind, done, len(DETECTORS))
        detector().detect(state)
    kinds = Counter(flag.kind for flag in state.flags)
    stats = {
        "entries": len(entrants), "staff": len(staff), "relatives": len(relatives),
        "flagged_entries": len({flag.entry_id for flag in state.flags}),
        "flags": len(state.flags), "by_kind": {kind: kinds.get(kind, 0) for kind in DETECTORS},
        "graph": {"nodes": graph.graph.number_of_nodes(),
                  "edges": graph.graph.number_of_edges()},
        "seconds": round(time.perf_counter() - started, 3),
    }
    return ScanResult(state.flags, stats)
