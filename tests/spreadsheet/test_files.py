"""An upload's bytes as a grid of text cells (contest.spreadsheet.files): every file here is
made by the test itself, as Excel and other programs write them: Windows-1251 with
semicolons, UTF-16 with and without a byte order mark, `.xlsx` workbooks saved by openpyxl
(and rewritten where Excel writes what openpyxl does not: a formula's last value)."""

import io
import zipfile
from datetime import date, datetime, time

import pytest
from openpyxl import Workbook

from contest.errors import ImportFailed
from contest.i18n import translate
from contest.spreadsheet.files import Grid, cell_text, read_grid

RUSSIAN = "ФИО;Телефон;Город\r\nЁлкина Алёна Петровна;+7 916 123-45-67;Москва\r\n"
UKRAINIAN = ("Прізвище;Ім'я;По батькові;Місто\r\n"
             "Ґалаґан;Євгенія;Їжакевич;Київ\r\n"
             "Іваненко;Олексій;Сергійович;Біла Церква\r\n")


def described(grid: Grid, language: str = "en") -> str:
    message = grid.description()
    return translate(message.text, language, message.params)


def refusal(raw: bytes, name: str = "") -> str:
    with pytest.raises(ImportFailed) as problem:
        read_grid(raw, name)
    return str(problem.value)


# Encodings


def test_utf8_with_commas_is_read_as_written() -> None:
    grid = read_grid("name,city\nАнна Петрова,Москва\n".encode(), "entries.csv")
    assert (grid.format, grid.encoding, grid.delimiter) == ("csv", "UTF-8", ",")
    assert grid.header == ("name", "city") and grid.header_line == 1
    assert grid.rows == [(2, ["Анна Петрова", "Москва"])]
    assert described(grid) == "CSV, UTF-8, separated by ','"


def test_utf8_with_a_byte_order_mark_drops_the_mark_and_says_so() -> None:
    grid = read_grid(b"\xef\xbb\xbf" + UKRAINIAN.encode())
    assert grid.encoding == "UTF-8 with BOM" and grid.delimiter == ";"
    assert grid.header[0] == "Прізвище"
    assert described(grid) == "CSV, UTF-8 with BOM, separated by ';'"


def test_windows_1251_russian_with_semicolons_as_excel_saves_it() -> None:
    grid = read_grid(RUSSIAN.encode("cp1251"), "участники.csv")
    assert (grid.encoding, grid.delimiter) == ("Windows-1251", ";")
    assert grid.header == ("ФИО", "Телефон", "Город")
    assert grid.rows == [(2, ["Ёлкина Алёна Петровна", "+7 916 123-45-67", "Москва"])]
    assert described(grid) == "CSV, Windows-1251, separated by ';'"


def test_windows_1251_ukrainian_letters_are_cyrillic_words() -> None:
    # і ї є ґ and their capitals are bytes that Windows-1252 reads as ³ ¿ º ´ and letters.
    grid = read_grid(UKRAINIAN.encode("cp1251"))
    assert grid.encoding == "Windows-1251"
    assert grid.header == ("Прізвище", "Ім'я", "По батькові", "Місто")
    assert grid.rows == [(2, ["Ґалаґан", "Євгенія", "Їжакевич", "Київ"]),
                         (3, ["Іваненко", "Олексій", "Сергійович", "Біла Церква"])]


def test_windows_1251_with_a_few_latin_look_alikes_typed_into_names() -> None:
    # "Иванoв" with a Latin o, "Пeтров" with a Latin e: typos of real rosters.
    names = ["Иванoв", "Пeтров"] + [f"Сидоров{'а' * (n % 2)} Пётр" for n in range(20)]
    text = "ФИО;Город\r\n" + "".join(f"{name};Тверь\r\n" for name in names)
    grid = read_grid(text.encode("cp1251"))
    assert grid.encoding == "Windows-1251"
    assert grid.rows[0] == (2, ["Иванoв", "Тверь"])


def test_windows_1252_accented_latin_names() -> None:
    text = "name,city\nJosé Núñez,Año Nuevo\nJürgen Müller,Füssen\nFrançoise,Besançon\n"
    grid = read_grid(text.encode("cp1252"))
    assert (grid.encoding, grid.delimiter) == ("Windows-1252", ",")
    assert grid.rows == [(2, ["José Núñez", "Año Nuevo"]), (3, ["Jürgen Müller", "Füssen"]),
                         (4, ["Françoise", "Besançon"])]
    assert described(grid) == "CSV, Windows-1252, separated by ','"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_a_byte_order_mark(codec: str) -> None:
    # Excel's "Unicode text" is UTF-16 with tabs; some exporters leave out the BOM.
    raw = "Прізвище\tТелефон\r\nҐалаґан\t380441234567\r\n".encode(codec)
    grid = read_grid(raw, "export.txt")
    assert (grid.encoding, grid.delimiter) == ("UTF-16", "\t")
    assert grid.header == ("Прізвище", "Телефон")
    assert grid.rows == [(2, ["Ґалаґан", "380441234567"])]
    assert described(grid) == "CSV, UTF-16, separated by tabs"


def test_utf16_big_endian_with_its_byte_order_mark() -> None:
    grid = read_grid("\ufeffФИО;Город\nИванов;Омск\n".encode("utf-16-be"))
    assert grid.encoding == "UTF-16" and grid.header == ("ФИО", "Город")


def test_a_byte_windows_1251_lacks_names_its_line() -> None:
    raw = RUSSIAN.encode("cp1251") + "Петров;+7 916 000-00-00;Ка".encode("cp1251") + b"\x98\r\n"
    message = refusal(raw)
    assert "Windows-1251" in message and "line 3" in message and "0x98" in message
    assert "UTF-8" in message


def test_bytes_of_no_known_text_are_refused_with_their_line() -> None:
    raw = b"name;city\r\nIvan;Mo\x98scow\xc8\xe2\xe0\xed\r\n"
    message = refusal(raw)
    assert "not UTF-8" in message and "line 2" in message and "0x98" in message


def test_a_utf8_file_with_one_windows_1251_cell_is_refused_not_guessed() -> None:
    raw = RUSSIAN.encode() * 3 + "Петров;+7 916;".encode() + "Тула\r\n".encode("cp1251")
    message = refusal(raw)
    assert "not UTF-8 (line 7 has the byte 0xd2)" in message


def test_binary_junk_is_refused() -> None:
    assert "0x80" in refusal(bytes(range(256)) * 8)
    assert "U+0000" in refusal(b"name,city\nIvan,Omsk" + b"\x00" * 9 + b"\n")
    assert "U+0003" in refusal(b"name,city\n" + b"\x03\x04\x05\x06" * 3)


def test_a_stray_control_character_in_a_cell_is_left_to_the_fields_reader() -> None:
    """One bad character must not lose a file of people: the reader of the field warns,
    and keeps the rest of the value (contest.fraud.people, contest.entries.submission)."""
    grid = read_grid(b"name,city\nIvan,Omsk\x00\nAnna\x1b[31m,Kyiv\n")
    assert grid.rows == [(2, ["Ivan", "Omsk\x00"]), (3, ["Anna\x1b[31m", "Kyiv"])]


def test_a_web_page_saved_as_xls_is_refused() -> None:
    message = refusal(b"<html><body><table><tr><td>name</td></tr></table>", "report.xls")
    assert "web page" in message


# Delimiters


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_each_delimiter_is_detected(delimiter: str) -> None:
    rows = [["ФИО", "Телефон", "Город"], ["Иванов Иван", "+79161234567", "Москва"],
            ["Петрова Анна", "+79161234568", "Тула"]]
    text = "".join(delimiter.join(row) + "\r\n" for row in rows)
    grid = read_grid(text.encode("cp1251"))
    assert grid.delimiter == delimiter
    assert grid.rows == [(2, rows[1]), (3, rows[2])]


def test_decimal_commas_in_a_semicolon_file() -> None:
    text = "Сумма, руб.;Дата\r\n12,5;01.02.2026\r\n1 000,75;02.02.2026\r\n"
    grid = read_grid(text.encode("cp1251"))
    assert grid.delimiter == ";"
    assert grid.header == ("Сумма, руб.", "Дата")
    assert grid.rows[1] == (3, ["1 000,75", "02.02.2026"])


def test_commas_inside_tab_separated_cells() -> None:
    text = "Фамилия, имя\tТелефон\tГород\nИванов, Иван\t+79161234567\tМосква\n"
    grid = read_grid(text.encode())
    assert grid.delimiter == "\t" and grid.header == ("Фамилия, имя", "Телефон", "Город")


def test_commas_in_the_header_alone_do_not_make_a_comma_file() -> None:
    # Split at commas the header has three fields, but no record follows it.
    text = ("Фамилия, имя, отчество;Телефон\r\n"
            "Иванов Иван Иванович;+79161234567\r\nПетрова Анна;+79161234568\r\n")
    grid = read_grid(text.encode("cp1251"))
    assert grid.delimiter == ";" and grid.header == ("Фамилия, имя, отчество", "Телефон")


def test_a_file_of_one_column_is_comma_separated() -> None:
    grid = read_grid("Телефон\n+79161234567\n+79161234568\n".encode())
    assert grid.delimiter == "," and grid.rows == [(2, ["+79161234567"]), (3, ["+79161234568"])]


def test_the_header_and_most_records_decide_not_one_odd_record() -> None:
    records = "".join(f"Иванов {n};+7916{n:07d};Москва\n" for n in range(15))
    text = "ФИО;Телефон;Город\n" + records + "Петров, Пётр;+79160000000;Омск, центр\n"
    grid = read_grid(text.encode())
    assert grid.delimiter == ";" and grid.rows[-1][1] == ["Петров, Пётр", "+79160000000",
                                                          "Омск, центр"]


def test_excels_sep_line_is_honoured_and_skipped() -> None:
    # The hint says ';' though the first records alone would look comma-separated.
    text = "sep=;\r\nname,surname;city\r\nAnna,Petrova;Omsk\r\n"
    grid = read_grid(text.encode("cp1251"))
    assert grid.delimiter == ";"
    assert grid.header == ("name,surname", "city") and grid.header_line == 2
    assert grid.rows == [(3, ["Anna,Petrova", "Omsk"])]


def test_quoted_fields_hold_delimiters_and_line_breaks_and_lines_stay_right() -> None:
    text = ('ФИО;Адрес;Комментарий\r\n'
            '"Иванов; Иван";"ул. Ленина, д. 1,\r\nкв. 5";"три\r\nстроки\r\nтекста"\r\n'
            '\r\n'
            'Петров;"Тверь, ""центр""";\r\n')
    grid = read_grid(text.encode("cp1251"))
    assert grid.delimiter == ";"
    assert grid.rows == [
        (2, ["Иванов; Иван", "ул. Ленина, д. 1,\r\nкв. 5", "три\r\nстроки\r\nтекста"]),
        (7, ["Петров", 'Тверь, "центр"', ""]),
    ]


def test_quoted_semicolons_in_a_comma_file() -> None:
    text = 'name,note\n"Ivanov","a; b; c"\n"Petrov","d;\ne"\nSidorov,f\n'
    grid = read_grid(text.encode())
    assert grid.delimiter == ","
    assert grid.rows == [(2, ["Ivanov", "a; b; c"]), (3, ["Petrov", "d;\ne"]),
                         (5, ["Sidorov", "f"])]


def test_blank_rows_are_skipped_and_rows_stay_ragged_and_untrimmed() -> None:
    text = "\n ; \nФИО ;Город\n;\nИванов; Омск ;лишнее\n\nПетров\n"
    grid = read_grid(text.encode("cp1251"))
    assert grid.header == ("ФИО ", "Город") and grid.header_line == 3
    assert grid.rows == [(5, ["Иванов", " Омск ", "лишнее"]), (7, ["Петров"])]


def test_cells_are_not_unguarded() -> None:
    grid = read_grid(b"phone\n'+79161234567\n")
    assert grid.rows == [(2, ["'+79161234567"])]


def test_a_record_csv_cannot_read_names_its_line() -> None:
    huge = "x" * 200_000
    message = refusal(f"name\nAnna\n{huge}\n".encode())
    assert "line 3 cannot be read as CSV" in message


@pytest.mark.parametrize("raw", [b"", b"\r\n\r\n", b" ; ;\n\t\n", b"\xef\xbb\xbf"])
def test_a_file_without_text_is_empty(raw: bytes) -> None:
    assert "the file is empty" in refusal(raw)


# Workbooks


def workbook(*sheets: tuple[str, list[list[object]]]) -> bytes:
    """An .xlsx file with these sheets, each a name and its rows from row 1."""
    book = Workbook()
    book.remove(book.worksheets[0])
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    saved = io.BytesIO()
    book.save(saved)
    return saved.getvalue()


def rewritten(raw: bytes, part: str, old: str, new: str) -> bytes:
    """``raw`` with ``old`` replaced by ``new`` in one part of the zip: what Excel writes
    and openpyxl does not."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            target.writestr(item, data)
    return out.getvalue()


def test_a_workbook_is_known_by_its_content_whatever_its_name() -> None:
    raw = workbook(("Лист1", [["ФИО", "Телефон"], ["Иванов Иван", "+79161234567"]]))
    grid = read_grid(raw, "export.csv")
    assert (grid.format, grid.sheet, grid.encoding, grid.delimiter) == ("xlsx", "Лист1", "", "")
    assert grid.header == ("ФИО", "Телефон") and grid.header_line == 1
    assert grid.rows == [(2, ["Иванов Иван", "+79161234567"])]
    assert described(grid) == "Excel workbook, sheet 'Лист1'"


def test_workbook_numbers_phones_and_booleans_as_text() -> None:
    raw = workbook(("Data", [
        ["Телефон", "Сумма", "Количество", "Большое", "Согласие", "Серийный"],
        [79161234567.0, 12.5, 3, 1e20, True, 45000],
        [380441234567, -0.25, 0, 123456789012345.0, False, 45000.5],
    ]))
    grid = read_grid(raw)
    assert grid.rows == [
        (2, ["79161234567", "12.5", "3", "1e+20", "TRUE", "45000"]),
        (3, ["380441234567", "-0.25", "0", "123456789012345", "FALSE", "45000.5"]),
    ]


def test_workbook_dates_moments_and_times() -> None:
    raw = workbook(("Лист1", [
        ["Дата рождения", "Отправлено", "Время", "Полночь", "Доли секунды"],
        [date(1963, 6, 5), datetime(2026, 10, 4, 19, 40), time(20, 27, 24),
         datetime(2026, 10, 2, 0, 0), datetime(2026, 10, 2, 20, 27, 24, 500000)],
    ]))
    grid = read_grid(raw)
    assert grid.rows == [(2, ["1963-06-05", "2026-10-04 19:40:00", "20:27:24", "2026-10-02",
                              "2026-10-02 20:27:24.500000"])]


def test_a_formula_reads_as_the_value_excel_saved_with_it() -> None:
    raw = workbook(("Лист1", [["Цена", "Вдвое", "Имя"], [2, "=A2*2", '=UPPER("анна")']]))
    excel = rewritten(raw, "xl/worksheets/sheet1.xml", "<f>A2*2</f><v />",
                      "<f>A2*2</f><v>4</v>")
    excel = rewritten(excel, "xl/worksheets/sheet1.xml", '<c r="C2"><f>UPPER("анна")</f><v />',
                      '<c r="C2" t="str"><f>UPPER("анна")</f><v>АННА</v>')
    assert read_grid(excel).rows == [(2, ["2", "4", "АННА"])]
    # A workbook never opened in Excel keeps no value for its formulas: the cell is empty.
    assert read_grid(raw).rows == [(2, ["2", "", ""])]


def test_workbook_blank_rows_are_skipped_with_their_sheet_rows() -> None:
    raw = workbook(("Лист1", [[], [None, "  "], ["ФИО", "Город"], [], ["Иванов", "Омск"],
                              [None, None], ["Петров", None]]))
    grid = read_grid(raw)
    assert grid.header == ("ФИО", "Город") and grid.header_line == 3
    assert grid.rows == [(5, ["Иванов", "Омск"]), (7, ["Петров", ""])]


def test_workbook_rows_have_the_headers_width_and_what_lies_beyond_it() -> None:
    raw = workbook(("Лист1", [["ФИО", "Город", "Телефон", None, None],
                              ["Иванов"], ["Петров", None, None, None, "записка"]]))
    grid = read_grid(raw)
    assert grid.header == ("ФИО", "Город", "Телефон")
    assert grid.rows == [(2, ["Иванов", "", ""]), (3, ["Петров", "", "", "", "записка"])]


def test_the_first_sheet_with_text_is_read() -> None:
    raw = workbook(("Пустой", []), ("Пробелы", [[" ", None]]),
                   ("Лист3", [["Прізвище", "Ім'я"], ["Ґалаґан", "Євгенія"]]))
    grid = read_grid(raw)
    assert grid.sheet == "Лист3" and grid.rows == [(2, ["Ґалаґан", "Євгенія"])]
    assert described(grid) == "Excel workbook, sheet 'Лист3'"


def test_a_sheet_that_declares_too_small_a_size_is_read_whole() -> None:
    # Some exporters write the dimension "A1" whatever the sheet holds.
    raw = workbook(("Лист1", [["ФИО", "Город"], ["Иванов", "Омск"], ["Петров", "Тула"]]))
    raw = rewritten(raw, "xl/worksheets/sheet1.xml", '<dimension ref="A1:B3" />',
                    '<dimension ref="A1" />')
    grid = read_grid(raw)
    assert grid.header == ("ФИО", "Город")
    assert grid.rows == [(2, ["Иванов", "Омск"]), (3, ["Петров", "Тула"])]


def test_a_workbook_without_text_is_empty() -> None:
    assert "the workbook is empty" in refusal(workbook(("Лист1", []), ("Лист2", [[None]])))


def test_cell_text_of_each_kind() -> None:
    values = (None, "", " a ", 7, -7.0, 0.1, 999999999999999.0, 1e15, True)
    assert [cell_text(value) for value in values] == [
        "", "", " a ", "7", "-7", "0.1", "999999999999999", "1000000000000000.0", "TRUE"]


# Files of other kinds


def ole2(*streams: str) -> bytes:
    """The start of an OLE2 compound file (the old Office format) naming these streams."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return header + b"".join(name.encode("utf-16-le") + bytes(64) for name in streams)


def archive(**parts: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, data in parts.items():
            target.writestr(name.replace("__", "/").replace("_dot_", "."), data)
    return out.getvalue()


def test_an_old_xls_workbook_is_refused_with_what_to_do() -> None:
    message = refusal(ole2("Workbook", "SummaryInformation"), "report.xls")
    assert "old Excel format (.xls)" in message and "save it as .xlsx or as CSV UTF-8" in message


def test_a_password_protected_workbook_is_refused_as_such() -> None:
    message = refusal(ole2("EncryptionInfo", "EncryptedPackage"), "report.xlsx")
    assert "protected by a password" in message and ".xlsx" in message


def test_an_opendocument_spreadsheet_is_refused() -> None:
    raw = archive(mimetype=b"application/vnd.oasis.opendocument.spreadsheet",
                  content_dot_xml=b"<office:document-content/>")
    assert "OpenDocument spreadsheet (.ods)" in refusal(raw, "list.ods")


def test_an_excel_binary_workbook_is_refused() -> None:
    raw = archive(xl__workbook_dot_bin=b"\x83\x01", **{"[Content_Types]_dot_xml": b"<Types/>"})
    assert "(.xlsb)" in refusal(raw)


def test_another_zip_is_refused() -> None:
    raw = archive(word__document_dot_xml=b"<w:document/>")
    assert "ZIP archive but not an Excel workbook" in refusal(raw, "list.docx")


def test_a_damaged_workbook_is_refused_not_a_traceback() -> None:
    raw = workbook(("Лист1", [["ФИО"], ["Иванов"]]))
    assert "damaged" in refusal(raw[: len(raw) // 2])
    broken = rewritten(raw, "xl/worksheets/sheet1.xml", "</sheetData>", "</sheetDat>")
    assert "damaged" in refusal(broken)
    assert "damaged" in refusal(archive(xl__workbook_dot_xml=b"not xml"))


def test_refusals_are_messages_to_translate() -> None:
    with pytest.raises(ImportFailed) as problem:
        read_grid(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    message = problem.value.message
    assert isinstance(message, str) and message.startswith("the file is in the old Excel")
    assert problem.value.params == {} and problem.value.code == "import_failed"
