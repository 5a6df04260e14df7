"""An uploaded file as a grid of text cells, and how it was written.

People send what their spreadsheet saved: CSV in UTF-8 (with or without a byte order mark),
UTF-16 (Excel's "Unicode text", often without a BOM), Windows-1251 (Excel in a Russian or
Ukrainian locale) or Windows-1252 (a Western European one), separated by commas, semicolons
or tabs; or an `.xlsx` workbook (Office Open XML, ECMA-376), read with openpyxl. The content
decides what a file is, never its name alone, and every choice made is kept on the
:class:`Grid` (``encoding``, ``delimiter``, ``sheet``) so the summary can say it: nothing is
guessed silently. A file that is none of these (an old `.xls`, a password-protected workbook,
an OpenDocument spreadsheet, bytes that are no known text) raises :class:`ImportFailed`
saying what it is and how to save it instead.

Cells are text as written: this module neither trims nor unguards them, nor checks that a
row has as many cells as the header; :mod:`contest.spreadsheet.table` does that.
"""

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from openpyxl import load_workbook

from contest.errors import ImportFailed
from contest.i18n import N_, Message

CSV = "csv"
XLSX = "xlsx"

UTF8 = "UTF-8"
UTF8_BOM = "UTF-8 with BOM"
UTF16 = "UTF-16"
CP1251 = "Windows-1251"
CP1252 = "Windows-1252"

DELIMITERS = ("\t", ";", ",")
"""The delimiters a CSV file may use, in the order a tie between them is settled: a tab is
rarely inside a cell; a comma often is in a Russian or Ukrainian file (the decimal comma)."""

SAMPLE_RECORDS = 20
"""How many records after the header decide the delimiter."""

_BOM_UTF8 = b"\xef\xbb\xbf"
_BOM_UTF16_LE = b"\xff\xfe"
_BOM_UTF16_BE = b"\xfe\xff"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_SNIFFED_BYTES = 1024

_SEP_HINT = re.compile(r'"?sep=(.)"?[ \t]*(?:\r\n|\r|\n|$)', re.IGNORECASE)
_MARKUP = re.compile(r"\s*<(?:\?xml|!doctype html|html|table)\b", re.IGNORECASE)
# Control characters that no text holds (tab, line ends, vertical tab and form feed may).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SAMPLE_CHARACTERS = 65_536
_STRAY_CONTROLS = 8
"""Control characters a text file may hold (in its first 64 KiB, or one in 200 characters):
more, and it is not text."""
# A word with at least one letter outside ASCII.
_NON_ASCII_WORD = re.compile(r"[^\W\d_]*[^\x00-\x7f\W\d_][^\W\d_]*")
_ACCENTED_RUN = re.compile(r"[^\x00-\x7f]{3}")
_WORDS_WEIGHED = 2000
_RUSSIAN_UKRAINIAN = frozenset(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяієїґ"
    "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯІЄЇҐ"
)
_WESTERN_ACCENTED = frozenset(
    chr(code) for code in range(0xC0, 0x100) if chr(code) not in "×÷"
) | frozenset("ŒœŠšŽžŸ")


@dataclass(frozen=True)
class Grid:
    """The cells of one file as text, row by row, and how the file was read."""

    header: tuple[str, ...]
    """The first non-blank row's cells, as written (not trimmed)."""
    header_line: int
    """Its 1-based line in the file (the sheet's row number in a workbook)."""
    rows: list[tuple[int, list[str]]]
    """Every later non-blank row: its 1-based line (sheet row) and its cells."""
    format: str
    """``"csv"`` or ``"xlsx"``."""
    encoding: str = ""
    """A CSV file's encoding: "UTF-8", "UTF-8 with BOM", "UTF-16", "Windows-1251" or
    "Windows-1252"."""
    delimiter: str = ""
    """A CSV file's delimiter: ``","``, ``";"`` or ``"\\t"`` (or what Excel's ``sep=``
    line said)."""
    sheet: str = ""
    """The name of the worksheet read from a workbook."""

    def description(self) -> Message:
        """How the file was read, for the summary: "CSV, Windows-1251, separated by ';'"."""
        if self.format == XLSX:
            return Message(N_("Excel workbook, sheet '{sheet}'"), {"sheet": self.sheet})
        encoding: str | Message = self.encoding
        if self.encoding == UTF8_BOM:
            encoding = Message(N_("UTF-8 with BOM"))
        if self.delimiter == "\t":
            return Message(N_("CSV, {encoding}, separated by tabs"), {"encoding": encoding})
        return Message(N_("CSV, {encoding}, separated by '{delimiter}'"),
                       {"encoding": encoding, "delimiter": self.delimiter})


def read_grid(raw: bytes, name: str = "") -> Grid:
    """The cells of the uploaded file ``raw``, a CSV file or an `.xlsx` workbook.

    ``name`` is the file's name as uploaded (may be empty). It decides nothing: files are
    named loosely (CSV or web pages saved as ``.xls``, workbooks sent as ``.csv``), so the
    bytes say what a file is.
    """
    if raw.startswith(_ZIP):
        return _read_workbook(raw)
    if raw.startswith(_OLE2):
        raise ImportFailed(_ole2_problem(raw))
    return _read_csv(raw)


# CSV


def _read_csv(raw: bytes) -> Grid:
    text, encoding = _decode(raw)
    _refuse_non_text(text)
    delimiter = ""
    hint = _SEP_HINT.match(text)
    if hint is not None and hint.group(1) not in "\r\n\"":
        delimiter = hint.group(1)
    else:
        hint = None
    if not delimiter:
        delimiter = _delimiter(text)
    records = _records(text, delimiter)
    if hint is not None:
        next(records, None)  # Excel's "sep=;" line: a hint, not a row
    header = next(records, None)
    if header is None:
        raise ImportFailed(N_("the file is empty: it has no row with any text"))
    header_line, cells = header
    rows = list(records)
    return Grid(tuple(cells), header_line, rows, CSV, encoding=encoding, delimiter=delimiter)


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """The non-blank records of ``text``, each with the physical line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    end = 0
    try:
        for record in reader:
            line, end = end + 1, reader.line_num
            # Most records start with text: the blank ones are told without a loop.
            if (record and record[0].strip()) or any(cell.strip() for cell in record):
                yield line, record
    except csv.Error as problem:
        raise ImportFailed(N_("line {line} cannot be read as CSV: {problem}"),
                           {"line": reader.line_num, "problem": str(problem)}) from None


def _delimiter(text: str) -> str:
    """The delimiter of ``text``: the one whose header has more than one field and whose
    first :data:`SAMPLE_RECORDS` records mostly have the header's count; a comma when no
    candidate splits the header (a file of one column)."""
    best: tuple[bool, int, float, int] | None = None
    chosen = ","
    for rank, candidate in enumerate(reversed(DELIMITERS)):
        sample = _sample(text, candidate)
        if sample == []:
            return candidate  # nothing but this delimiter and white space: an empty file
        if sample is None or len(sample[0]) < 2:
            continue
        header, *records = sample
        alike = sum(1 for record in records if len(record) == len(header))
        share = alike / len(records) if records else 1.0
        mostly = share >= 0.9
        score = (mostly, len(header) if mostly else 0, share, rank)
        if best is None or score > best:
            best, chosen = score, candidate
    return chosen


def _sample(text: str, delimiter: str) -> list[list[str]] | None:
    """The header and the first records of ``text`` split by ``delimiter``, or ``None`` if
    they are not CSV with it."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    found: list[list[str]] = []
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                found.append(record)
            if len(found) > SAMPLE_RECORDS:
                break
    except csv.Error:
        return None
    return found


# Encodings


def _decode(raw: bytes) -> tuple[str, str]:
    """``raw`` as text, and the name of the encoding it was read in."""
    if raw.startswith(_BOM_UTF8):
        return _strict(raw, "utf-8-sig", UTF8_BOM), UTF8_BOM
    if raw.startswith((_BOM_UTF16_LE, _BOM_UTF16_BE)):
        return _strict(raw, "utf-16", UTF16), UTF16
    utf16 = _utf16_without_bom(raw[:_SNIFFED_BYTES]) if len(raw) % 2 == 0 else ""
    if utf16:
        return _strict(raw, utf16, UTF16), UTF16
    try:
        return raw.decode("utf-8"), UTF8
    except UnicodeDecodeError as problem:
        first_non_utf8 = problem.start
    encoding = _single_byte_encoding(raw)
    if encoding is None:
        raise ImportFailed(
            N_("the file is not UTF-8 (line {line} has the byte 0x{byte:02x}), and its "
               "letters make neither Russian or Ukrainian words (Windows-1251) nor Western "
               "European ones (Windows-1252); save it as CSV UTF-8 and import it again"),
            {"line": raw[:first_non_utf8].count(b"\n") + 1, "byte": raw[first_non_utf8]},
        )
    codec = "cp1251" if encoding == CP1251 else "cp1252"
    return _strict(raw, codec, encoding), encoding


def _strict(raw: bytes, codec: str, encoding: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as problem:
        before = raw[: problem.start].decode(codec, errors="replace")
        raise ImportFailed(
            N_("the file reads as {encoding}, but line {line} has the byte 0x{byte:02x}, "
               "which is no character in {encoding}; save it as CSV UTF-8 and import it "
               "again"),
            {"encoding": encoding, "line": before.count("\n") + 1,
             "byte": raw[problem.start]},
        ) from None


def _utf16_without_bom(head: bytes) -> str:
    """``"utf-16-le"`` or ``"utf-16-be"`` if ``head`` is UTF-16 text without a BOM, else "".

    Every ASCII character of such text (the delimiters, the line ends, the digits) has a NUL
    byte beside it, always on the same side; other text has no NUL at all (and a stray
    one or two are junk, not UTF-16).
    """
    head = head[: len(head) - len(head) % 2]
    pairs = len(head) // 2
    nul_first = head[0::2].count(0)
    nul_second = head[1::2].count(0)
    needed = max(2, pairs // 16)
    if nul_first == 0 and nul_second >= needed:
        return "utf-16-le"
    if nul_second == 0 and nul_first >= needed:
        return "utf-16-be"
    return ""


def _single_byte_encoding(raw: bytes) -> str | None:
    """Windows-1251 when the letters beyond ASCII make Russian or Ukrainian words,
    Windows-1252 when they are accented letters inside Latin words, else ``None``."""
    cyrillic = _weigh(raw.decode("cp1251", errors="replace"), _russian_or_ukrainian)
    latin = _weigh(raw.decode("cp1252", errors="replace"), _western)
    if cyrillic > latin:
        return CP1251
    if latin > cyrillic:
        return CP1252
    return None


def _weigh(text: str, fits: Callable[[str], bool]) -> int:
    """How many words with letters beyond ASCII ``fits`` accepts, if it accepts nine in ten
    of them (else 0)."""
    good = bad = 0
    for match in _NON_ASCII_WORD.finditer(text):
        if fits(match.group()):
            good += 1
        else:
            bad += 1
        if good + bad >= _WORDS_WEIGHED:
            break
    return good if good >= 9 * bad else 0


def _russian_or_ukrainian(word: str) -> bool:
    return all(letter in _RUSSIAN_UKRAINIAN for letter in word)


def _western(word: str) -> bool:
    # Accented letters come one or two at a time among plain ones (é, ñ, "Füße"); a run of
    # three or more is another alphabet read as Windows-1252 ("Èâàí" is "Иван").
    plain = sum(1 for letter in word if letter.isascii())
    return (plain >= len(word) - plain
            and all(letter.isascii() or letter in _WESTERN_ACCENTED for letter in word)
            and _ACCENTED_RUN.search(word) is None)


def _refuse_non_text(text: str) -> None:
    if _MARKUP.match(text):
        raise ImportFailed(N_("the file is a web page or XML, not a spreadsheet; open it in "
                              "Excel and save it as .xlsx or as CSV UTF-8"))
    # A stray control character in a cell is the field's business (its reader warns and
    # keeps the rest); a file full of them is not text at all (a PDF, an image, a binary).
    sample = text[:_SAMPLE_CHARACTERS]
    controls = _CONTROL.findall(sample)
    if len(controls) > max(_STRAY_CONTROLS, len(sample) // 200):
        control = _CONTROL.search(text)
        assert control is not None
        raise ImportFailed(
            N_("line {line} holds the control character U+{code:04X}, so the file is not "
               "text; save it as .xlsx or as CSV UTF-8 and import it again"),
            {"line": text.count("\n", 0, control.start()) + 1, "code": ord(control.group())},
        )


# Workbooks


def _read_workbook(raw: bytes) -> Grid:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = set(archive.namelist())
        mimetype = b""
        if "mimetype" in names:
            with archive.open("mimetype") as declared:
                mimetype = declared.read(100)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ImportFailed(_damaged_workbook()) from None
    if "xl/workbook.xml" not in names:
        raise ImportFailed(_other_archive(names, mimetype))
    try:
        # openpyxl warns of what it leaves out (data validation, unknown extensions); only
        # the cells matter here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _first_sheet_with_text(raw)
    except ImportFailed:
        raise
    except Exception:  # openpyxl raises many kinds of error on a damaged workbook
        raise ImportFailed(_damaged_workbook()) from None


def _first_sheet_with_text(raw: bytes) -> Grid:
    workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            # The dimension a sheet declares may be wrong (some exporters write "A1"): read
            # every row there is, never only the declared ones.
            sheet.reset_dimensions()
            rows = _sheet_rows(sheet.iter_rows(values_only=True))
            header = next(rows, None)
            if header is None:
                continue
            header_line, cells = header
            width = len(cells)
            body = [(line, _padded(row, width)) for line, row in rows]
            return Grid(tuple(cells), header_line, body, XLSX, sheet=sheet.title)
    finally:
        workbook.close()
    raise ImportFailed(N_("the workbook is empty: none of its sheets has a cell with text"))


def _sheet_rows(values: Iterable[tuple[object, ...]]) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows of a sheet with their row numbers, each cell as text, without the
    empty cells after the last one that holds something."""
    for number, row in enumerate(values, start=1):
        cells = [cell_text(value) for value in row]
        while cells and not cells[-1].strip():
            cells.pop()
        if cells:
            yield number, cells


def _padded(cells: list[str], width: int) -> list[str]:
    # A sheet has no ragged rows: the empty cells up to the header's width are there.
    return cells + [""] * (width - len(cells)) if len(cells) < width else cells


def cell_text(value: object) -> str:
    """A workbook cell's value as text: a whole number without ``.0`` (a phone saved as a
    number stays its digits), a moment in ISO 8601 without a zone, a date alone when it is
    midnight; a number formatted as a number stays one (an Excel serial date among them)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, timedelta):
        minutes, seconds = divmod(int(value.total_seconds()), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return str(value)


# What a file is when it is not one we read


def _ole2_problem(raw: bytes) -> str:
    """What an OLE2 compound file (the old Office format) holds, in words."""
    if "EncryptedPackage".encode("utf-16-le") in raw:
        return N_("the workbook is protected by a password, which cannot be read here; open "
                  "it in Excel, remove the password and save it as .xlsx or as CSV UTF-8")
    return N_("the file is in the old Excel format (.xls) or another old Office format, "
              "which cannot be read here; open it in Excel and save it as .xlsx or as CSV "
              "UTF-8")


def _other_archive(names: set[str], mimetype: bytes) -> str:
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return N_("the file is an OpenDocument spreadsheet (.ods), which cannot be read here; "
                  "save it as .xlsx or as CSV UTF-8")
    if "xl/workbook.bin" in names:
        return N_("the file is an Excel binary workbook (.xlsb), which cannot be read here; "
                  "save it as .xlsx or as CSV UTF-8")
    return N_("the file is a ZIP archive but not an Excel workbook (.xlsx); save the "
              "spreadsheet as .xlsx or as CSV UTF-8")


def _damaged_workbook() -> str:
    return N_("the file looks like an Excel workbook (.xlsx) but is damaged and cannot be "
              "read; open it in Excel and save it again as .xlsx or as CSV UTF-8")
