"""CSV files in and out (RFC 4180, UTF-8, a header row): reading the uploads of every import
(entries, staff rosters, declared relatives) and writing every CSV the app gives out.

A file that cannot be read as a whole raises :class:`ImportFailed` (not UTF-8, not CSV, no
header, required columns missing); a row that cannot be read becomes a :class:`RowError`
with its file line, so one bad row never hides the others.

Every CSV the app writes goes through :class:`CsvWriter`, which defuses formulas as OWASP's
"CSV Injection" advises: a cell that a spreadsheet would evaluate — it starts with a tab or
a carriage return, or its first character after leading whitespace is ``=``, ``+``, ``-``,
``@`` or a compatibility form of them such as fullwidth ``＝＋－＠`` — is written with a
single quote in front (:func:`guard_cell`). So ``+79161234567`` is written ``'+79161234567``
and ``-5`` is written ``'-5``. To keep the guard reversible a cell made of quotes before
such a start gets one more quote, and :func:`read_rows` takes exactly one quote off such a
cell (:func:`unguard_cell`): an export imports back as it was.
"""

import csv
import io
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from contest.errors import ImportFailed
from contest.i18n import N_, Plural, translate


@dataclass(frozen=True)
class RowError:
    """One bad field in one row: ``line`` is the 1-based file line (the header is line 1)."""

    line: int
    column: str
    code: str
    message: str | Plural
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
            rows.append((line, {column: unguard_cell(record[index])
                                for column, index in positions.items()}))
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


GUARD = "'"
"""The single quote that makes a spreadsheet show a cell as text."""

_FORMULA_STARTS = frozenset("=+-@")
_CONTROL_STARTS = ("\t", "\r")


def guard_cell(value: str) -> str:
    """``value`` as a spreadsheet should show it: behind :data:`GUARD` if it would be read as
    a formula, or if it is quotes before such a start (so that reading undoes exactly this)."""
    return GUARD + value if _formula_after_quotes(value) else value


def unguard_cell(cell: str) -> str:
    """The value :func:`guard_cell` wrote as ``cell``: one leading quote fewer on a cell that
    starts with a quote and a formula; any other cell as it is."""
    if cell.startswith(GUARD) and _formula_after_quotes(cell):
        return cell[1:]
    return cell


def _formula_after_quotes(value: str) -> bool:
    rest = value.lstrip(GUARD)
    if rest.startswith(_CONTROL_STARTS):
        return True
    rest = rest.lstrip()
    # NFKC folds fullwidth and other compatibility forms (＝, ﹢, ⁼…) to = + - @.
    return bool(rest) and unicodedata.normalize("NFKC", rest[0])[:1] in _FORMULA_STARTS


class CsvWriter:
    """A ``csv.writer`` (``\\n`` line ends) whose every cell passes :func:`guard_cell`;
    ``None`` is written as an empty cell, anything else as its ``str``."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out, lineterminator="\n")
        # csv quotes a field with a line end only if it holds the writer's own line end: a
        # bare carriage return would be written unquoted and read back as the row's end.
        self._quoting = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, cells: Iterable[object]) -> None:
        row = ["" if cell is None else guard_cell(str(cell)) for cell in cells]
        (self._quoting if any("\r" in cell for cell in row) else self._writer).writerow(row)
