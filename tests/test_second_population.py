"""The second labelled population (bench/second_population.py): shapes, determinism, the
planted counts, that every label is backed by its evidence, and that it is made differently
from the first (its own noise)."""

import csv
import io
import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from bench import fraud_population as fp
from bench import messy_files as messy
from bench import second_population as sp
from contest.entries.submission import COLUMNS, parse_submission
from contest.identity.contacts import email_key, phone_key

ENTRIES, STAFF, SEED = 3000, 60, 11


@pytest.fixture(scope="module")
def population() -> fp.Population:
    return sp.generate(ENTRIES, STAFF, SEED)


def number(phone: str, country: str) -> str | None:
    return phone_key(phone, country or None)


def by_id(population: fp.Population) -> dict[str, dict[str, str]]:
    return {row["entry_id"]: row for row in population.entries}


def labelled(population: fp.Population, kind: str) -> list[dict[str, str]]:
    return [label for label in population.labels if label["kind"] == kind]


def staff_evidence(population: fp.Population) -> tuple[dict[str, set[str]],
                                                         dict[str, set[str]]]:
    """Per staff id, the phones and mailboxes of the staff member and their relatives."""
    country = {row["staff_id"]: row["country"] for row in population.staff}
    phones: dict[str, set[str]] = {staff_id: set() for staff_id in country}
    mailboxes: dict[str, set[str]] = {staff_id: set() for staff_id in country}
    for row in [*population.staff, *population.relatives]:
        staff_id = row["staff_id"]
        for phone in filter(None, row["phone"].split(";")):
            phones[staff_id].add(number(phone, country[staff_id]) or "")
        for email in filter(None, row["email"].split(";")):
            mailboxes[staff_id].add(email_key(email) or "")
    return phones, mailboxes


def test_same_seed_same_population_other_seed_another(population: fp.Population) -> None:
    assert sp.generate(ENTRIES, STAFF, SEED) == population
    other = sp.generate(ENTRIES, STAFF, SEED + 1)
    assert other.entries != population.entries
    assert other.labels != population.labels


def test_entries_are_unique_ordered_and_pass_intake(population: fp.Population) -> None:
    entries = population.entries
    assert len(entries) == ENTRIES
    assert all(list(row) == list(COLUMNS) for row in entries)
    assert len({row["entry_id"] for row in entries}) == ENTRIES
    moments = [datetime.fromisoformat(row["submitted_at"]) for row in entries]
    assert moments == sorted(moments)
    for row in entries:
        assert row["email"] or row["phone"]
        parse_submission(row)
    assert all(list(row)[:len(fp.STAFF_COLUMNS)] == list(fp.STAFF_COLUMNS)
               for row in population.staff)
    assert all(re.fullmatch(r"\d{6}", row["staff_id"]) for row in population.staff)
    assert {row["relation"] for row in population.relatives} <= set(fp.RELATIONS)


def test_planted_counts_per_kind(population: fp.Population) -> None:
    # 2% of 3000 positives split 12/22/14/22/30 %; 2.2% hard negatives split 16/16/16/18/16/18
    # % (the pairs rounded down to whole pairs).
    assert population.label_counts() == Counter({
        "employee": 7, "relative": 13, "household": 8, "proxy": 13, "duplicate": 18,
        "clean:namesake": 11, "clean:common_surname": 11, "clean:same_building": 11,
        "clean:shared_ip": 12, "clean:dotted_address": 10, "clean:twins": 12,
    })
    bigger = sp.generate(20_000, 200, SEED).label_counts()
    assert [bigger[kind] for kind in fp.KINDS] == [48, 88, 56, 88, 120]


def test_labels_point_at_existing_entries_and_staff(population: fp.Population) -> None:
    position = {row["entry_id"]: i for i, row in enumerate(population.entries)}
    staff_ids = {row["staff_id"] for row in population.staff}
    ids = [label["entry_id"] for label in population.labels]
    assert len(ids) == len(set(ids))
    for label in population.labels:
        assert label["entry_id"] in position
        if label["kind"] == "clean":
            assert label["related_to"] == "" and label["note"] in sp.NOTES, label
        elif label["kind"] == "duplicate":
            assert position[label["related_to"]] < position[label["entry_id"]]
            assert label["related_to"] not in ids
        else:
            assert label["kind"] in fp.KINDS and label["related_to"] in staff_ids, label


def test_a_duplicate_is_the_same_person_later(population: fp.Population) -> None:
    entries = by_id(population)
    notes = Counter[str]()
    for label in labelled(population, "duplicate"):
        later, first = entries[label["entry_id"]], entries[label["related_to"]]
        assert later["birth_date"] == first["birth_date"]
        assert later["submitted_at"] != first["submitted_at"]
        notes[label["note"].split(" (")[0]] += 1
        if label["note"].startswith("same name"):
            assert later["full_name"] == first["full_name"]
            assert (later["city"], later["postal_code"]) == (first["city"], first["postal_code"])
            assert later["email"] != first["email"] and later["phone"] != first["phone"]
            continue
        shared = (later["email"] and first["email"]
                  and email_key(later["email"]) == email_key(first["email"])
                  or later["phone"] and first["phone"]
                  and number(later["phone"], later["country"])
                  == number(first["phone"], first["country"])
                  or later["device_id"] and later["device_id"] == first["device_id"])
        assert shared, (later, first, label)
    assert len(notes) == 4, notes


def test_employees_and_proxies_carry_the_staff_evidence(population: fp.Population) -> None:
    entries = by_id(population)
    staff = {row["staff_id"]: row for row in population.staff}
    phones, mailboxes = staff_evidence(population)

    def linked(entry: dict[str, str], staff_id: str) -> bool:
        return bool(entry["email"] and email_key(entry["email"]) in mailboxes[staff_id]
                    or entry["phone"] and number(entry["phone"], entry["country"])
                    in phones[staff_id])

    for label in labelled(population, "employee"):
        entry = entries[label["entry_id"]]
        assert entry["birth_date"] == staff[label["related_to"]]["birth_date"]
        assert linked(entry, label["related_to"]), (entry, label)
    chained = 0
    for label in labelled(population, "proxy"):
        entry = entries[label["entry_id"]]
        assert entry["birth_date"] != staff[label["related_to"]]["birth_date"]
        if " via " in label["note"]:
            chained += 1
            source = entries[label["note"].rsplit(" via ", 1)[1]]
            assert entry["device_id"] == source["device_id"] != ""
        else:
            assert linked(entry, label["related_to"]), (entry, label)
    assert chained > 0


def test_households_and_undeclared_relatives_live_at_the_staff_home(
        population: fp.Population) -> None:
    entries = by_id(population)
    staff = {row["staff_id"]: row for row in population.staff}
    undeclared = 0
    for label in [*labelled(population, "household"), *labelled(population, "relative")]:
        if label["kind"] == "relative" and not label["note"].startswith("undeclared"):
            continue
        undeclared += label["kind"] == "relative"
        entry, member = entries[label["entry_id"]], staff[label["related_to"]]
        assert entry["postal_code"] == member["postal_code"] != ""
        assert entry["city"].removeprefix("г. ") == member["city"]
        assert entry["address"]
    assert undeclared > 0


def test_twins_share_home_surname_and_birth_date_not_contacts(
        population: fp.Population) -> None:
    twins = [by_id(population)[label["entry_id"]] for label in population.labels
             if label["note"] == sp.TWINS]
    pairs: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for entry in twins:
        pairs.setdefault((entry["birth_date"], entry["postal_code"], entry["country"]),
                         []).append(entry)
    assert len(pairs) == len(twins) // 2 and all(len(pair) == 2 for pair in pairs.values())
    for first, second in pairs.values():
        assert first["full_name"] != second["full_name"]
        assert not first["email"] or first["email"] != second["email"]
        assert not first["phone"] or number(first["phone"], first["country"]) != number(
            second["phone"], second["country"])


def test_hard_negatives_share_no_staff_contact(population: fp.Population) -> None:
    entries = by_id(population)
    phones, mailboxes = staff_evidence(population)
    every_phone = set().union(*phones.values()) - {""}
    every_mailbox = set().union(*mailboxes.values()) - {""}
    positive_ips = {entries[label["entry_id"]]["ip"] for label in population.labels
                    if label["kind"] != "clean"}
    for label in labelled(population, "clean"):
        entry = entries[label["entry_id"]]
        assert not entry["phone"] or number(entry["phone"], entry["country"]) not in every_phone
        assert not entry["email"] or email_key(entry["email"]) not in every_mailbox
        if label["note"] == "shared_ip":
            assert entry["ip"] in positive_ips
        if label["note"] == "namesake":
            # In full or with initials ("Dorsey A. N."), with or without the middle name.
            words = {word for word in entry["full_name"].split() if len(word) > 2}
            same = [row for row in population.staff
                    if len(words & set(row["full_name"].replace(",", "").split()))
                    >= min(2, len(words))]
            assert same and all(row["birth_date"] != entry["birth_date"] for row in same)


def test_its_own_noise() -> None:
    population = sp.generate(20_000, 200, SEED)
    names = [row["full_name"] for row in population.entries]
    phones = [row["phone"] for row in population.entries]
    addresses = [row["address"] for row in population.entries]
    emails = [row["email"] for row in population.entries]
    assert sp.layout_slip("Иванов Иван") == "Bdfyjd Bdfy"
    assert sp.layout_slip("Щукина") == "Oerbyf"
    slipped = {sp.layout_slip(row["full_name"]) for row in population.staff}
    assert any(re.fullmatch(r"[А-ЯЁІЇЄ][а-яёіїє']+ [А-ЯЁІЇЄ]\. ?[А-ЯЁІЇЄ]\.", name)
               for name in names), "initials"
    assert any(re.fullmatch(r"8 \(9\d\d\) \d{3}-\d{2}-\d{2}", phone) for phone in phones)
    assert any(re.fullmatch(r"9\d{9}", phone) for phone in phones)
    assert any(phone.startswith("+38 (0") for phone in phones)
    assert any(re.fullmatch(r"\(\d{3}\) \d{3}-\d{4}", phone) for phone in phones)
    assert any(", кв. " in address for address in addresses)
    assert any("квартира" in address for address in addresses)
    assert any(re.search(r"\d+/\d+$", address) for address in addresses)
    assert any(email.endswith(("@proton.me", "@rambler.ru", "@bigmir.net")) for email in emails)
    assert any(re.match(r"(dark|fox|sunny|kotik|lucky|wolf)", email) for email in emails)
    duplicates = [label["note"] for label in labelled(population, "duplicate")]
    assert any("+tag" in note for note in duplicates)
    assert any("icloud/me" in note for note in duplicates)
    typed_on_latin = [label for label in population.labels if label["kind"] != "clean"
                      and re.fullmatch(r"[A-Za-z\[\];',.`{}:\"<>~ ]+",
                                       by_id(population)[label["entry_id"]]["full_name"])
                      and by_id(population)[label["entry_id"]]["country"] != "US"]
    assert typed_on_latin
    assert slipped  # the roster itself is written in Cyrillic, never slipped
    assert not any(re.search(r"[\[\];`]", row["full_name"]) for row in population.staff)


def test_the_mess_renders_it_too(population: fp.Population) -> None:
    files = messy.messy_files(population, SEED, zone="Europe/Kyiv")
    name, raw = files["entries"]
    text = raw.decode("utf-8-sig")
    delimiter = ";" if name.endswith(".csv") else "\t"
    ids = [line.split(delimiter, 1)[0] for line in text.splitlines()[1:]]
    assert ids == [row["entry_id"] for row in population.entries]
    staff_rows = list(csv.reader(io.StringIO(files["staff"][1].decode("cp1251"), newline=""),
                                 delimiter=";"))[1:]
    patronymics = 0
    for clean, values in zip(population.staff, staff_rows, strict=True):
        row = dict(zip(messy.STAFF_FIELDS, values, strict=True))
        assert row["staff_id"] == clean["staff_id"]
        # The roster's "Фамилия Имя Отчество" and "Имя Отчество Фамилия" both split right.
        words = clean["full_name"].split()
        if len(words) == 3 and clean["country"] != "US":
            patronymics += 1
            parts = (row["surname"], row["given_name"], row["patronymic"])
            assert re.fullmatch(r"\S+(вич|вна|ична)", row["patronymic"]), parts
            assert parts in ((words[0], words[1], words[2]), (words[2], words[0], words[1]))
    assert patronymics > len(staff_rows) / 3


def test_too_small_a_population_is_refused() -> None:
    with pytest.raises(ValueError, match=r"entries is 50, expected at least \d+ to hold"):
        sp.generate(50, 60, 1)
    with pytest.raises(ValueError, match="staff is 5, expected at least 20"):
        sp.generate(3000, 5, 1)


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert sp.main(["--entries", "1500", "--staff", "30", "--seed", str(SEED),
                    "--out", str(tmp_path), "--mess"]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "entries.csv", "labels.csv", "messy", "relatives.csv", "staff.csv"]
    output = capsys.readouterr().out
    assert "1500 entries, 30 staff" in output
    assert re.search(r"clean: twins\s+\d+\n", output)
    assert "zone Europe/Kyiv" in output
