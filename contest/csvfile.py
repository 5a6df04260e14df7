"""Reading CSV uploads (RFC 4180, UTF-8 with or without BOM, a header row) for every import:
entries, staff rosters, declared relatives.

A file that cannot be read as a whole raises :class:`ImportFailed` (not UTF-8, not CSV, no
header, required columns missing); a row that cannot be read becomes a :class:`RowError`
with its file line, so one bad row never hides the others.
"""

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from contest.errors import ImportFailed
from contest.i18n import N_, translate


@dataclass(frozen=True)
class RowError:
    """One bad field in one row: ``line`` is the 1-based file line (the header is line 1)."""

    line: int
    column: str
    code: str
    message: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self, language: str = "en") -> str:
        return translate(self.message, language, self.params)


Row = tuple[int, dict[str, str] | RowError]
"""A data row: its file line and its values by column name, or why it could not be read."""


def read_rows(raw: bytes, columns: Sequence[str],
              required: Sequence[str | tuple[str, ...]]) -> list[Row]:
    """The data rows of ``raw`` with the values of the known ``columns`` (others are ignored).

    Each item of ``required`` is a column the header must name, or a tuple of columns of
    which it must name at least one. Blank rows are skipped.
    """
    text = decode(raw)
    lines = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(lines, None)
        if header is None:
            raise ImportFailed(N_("the file is empty; expected a header row with {columns}"),
                               {"columns": ", ".join(columns)})
        positions = _positions(header, columns, required)
        rows: list[Row] = []
        end = lines.line_num
        for record in lines:
            line, end = end + 1, lines.line_num
            if not any(value.strip() for value in record):
                continue
            if len(record) != len(header):
                rows.append((line, RowError(
                    line, "", "field_count",
                    N_("the row has {got} fields, the header has {expected}"),
                    {"got": len(record), "expected": len(header)},
                )))
                continue
            rows.append((line, {column: record[index] for column, index in positions.items()}))
    except csv.Error as problem:
        raise ImportFailed(N_("line {line} cannot be read as CSV: {problem}"),
                           {"line": lines.line_num, "problem": str(problem)}) from None
    return rows


def decode(raw: bytes) -> str:
    """``raw`` as UTF-8 text (a BOM is dropped), or :class:`ImportFailed` naming the line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = raw[: problem.start].count(b"\n") + 1
        raise ImportFailed(
            N_("the file is not UTF-8: line {line} has the byte 0x{byte:02x}; "
               "save it as UTF-8 and import it again"),
            {"line": line, "byte": raw[problem.start]},
        ) from None


def _positions(header: list[str], columns: Sequence[str],
               required: Sequence[str | tuple[str, ...]]) -> dict[str, int]:
    names = [name.strip().lower() for name in header]
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        raise ImportFailed(N_("the header names these columns more than once: {columns}"),
                           {"columns": ", ".join(repeated)})
    positions = {name: index for index, name in enumerate(names) if name in columns}
    missing = [
        " or ".join(need) if isinstance(need, tuple) else need
        for need in required
        if not any(name in positions for name in ((need,) if isinstance(need, str) else need))
    ]
    if missing:
        raise ImportFailed(
            N_("the header row lacks the required columns {missing}; it has {found}"),
            {"missing": ", ".join(missing), "found": ", ".join(names) or "nothing"},
        )
    return positions
