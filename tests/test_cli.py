"""The ``contest`` command, run as a person would (through Click's runner)."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from contest.canonical import canonical_json, sha256_hex
from tests.builders import rules_document
from tests.fixtures import run_cli as run


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("contests", "demo", "entries", "rules", "serve", "users", "db"):
        assert f"  {command} " in result.output


def test_create_publish_and_list_a_contest(cli_env: Path) -> None:
    rules_file = cli_env / "rules.json"
    # The command line publishes now: the entries must open after that.
    rules = rules_document(opens_at=datetime.now(UTC).replace(microsecond=0) + timedelta(days=1))
    rules_file.write_text(json.dumps(rules.to_data()), encoding="utf-8")
    assert run("contests", "create", "winter-giveaway", "--title", "Winter giveaway",
               "--rules", str(rules_file)).exit_code == 0
    assert run("contests", "list").stdout.split("\t")[:3] == ["winter-giveaway", "draft", "0"]
    published = run("rules", "publish", "winter-giveaway")
    expected = sha256_hex(canonical_json(rules.to_data()))
    assert published.stdout.strip() == f"published version 1 sha256 {expected}"
    line = run("contests", "list").stdout.strip().split("\t")
    assert line[0] == "winter-giveaway"
    assert line[1] in {"scheduled", "open", "closed"}
    assert line[3] == expected
    shown = run("rules", "show", "winter-giveaway", "--version", "1")
    assert sha256_hex(shown.stdout.rstrip("\n").encode()) == expected


def test_errors_name_the_field_and_exit_non_zero(cli_env: Path) -> None:
    result = run("contests", "create", "Bad Slug!", "--title", "x")
    assert result.exit_code == 2
    assert "slug:" in result.stderr
    missing = run("rules", "publish", "no-such-contest")
    assert missing.exit_code == 1
    assert "no contest no-such-contest" in missing.stderr



def test_a_wrong_setting_stops_with_the_variable_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTEST_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CONTEST_DATABASE_URL", "mysql://nope")
    result = run("contests", "list")
    assert result.exit_code == 1
    assert "CONTEST_DATABASE_URL" in result.stderr


def test_users_create_and_list(cli_env: Path) -> None:
    created = run("users", "create", "--email", "m@brand.example", "--name", "M",
                  "--role", "marketer", "--password", "a long password")
    assert created.exit_code == 0
    assert run("users", "list").stdout == "m@brand.example\tmarketer\tactive\n"


def test_messages_follow_the_terminal_language(cli_env: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    result = run("rules", "publish", "no-such-contest")
    assert result.exit_code == 1
    assert "no-such-contest" in result.stderr
    assert any("а" <= ch <= "я" for ch in result.stderr.lower()), result.stderr


ODD_RULES_FILES = {
    "a list of pairs": (b'[["title", "Winter giveaway"]]', "must be a JSON object"),
    "a string": (b'"just a string"', "must be a JSON object"),
    "nested too deep": (b"[" * 100_000 + b"]" * 100_000, "nested more than 20 levels deep"),
    "a number too long": (b'{"winners": ' + b"9" * 5000 + b"}",
                          "a whole number of 5000 digits"),
    "NaN": (b'{"winners": NaN}', "NaN is not a JSON number"),
    "not UTF-8": (b'{"title": "Winter \xff"}', "the byte 0xff at position 18 is not UTF-8"),
    "not JSON": (b'{"title": }', "at line 1 column 11"),
}


@pytest.mark.parametrize("case", sorted(ODD_RULES_FILES))
@pytest.mark.parametrize("command", ["edit", "create"])
def test_a_rules_file_that_is_not_a_json_object_is_a_clear_error(
    cli_env: Path, case: str, command: str
) -> None:
    raw, said = ODD_RULES_FILES[case]
    rules_file = cli_env / "rules.json"
    rules_file.write_bytes(raw)
    if command == "edit":
        assert run("contests", "create", "winter-giveaway", "--title", "W").exit_code == 0
        result = run("rules", "edit", "winter-giveaway", str(rules_file))
    else:
        result = run("contests", "create", "winter-giveaway", "--title", "W",
                     "--rules", str(rules_file))
    assert result.exit_code == 2, result.output
    assert "the rules file cannot be read" in result.stderr
    assert f"{rules_file}: " in result.stderr and said in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert run("contests", "list").stdout.count("winter-giveaway") == (command == "edit")


@pytest.mark.parametrize("command", ["edit", "create"])
def test_a_rules_file_whose_text_is_not_text_names_the_field(
    cli_env: Path, command: str
) -> None:
    rules = rules_document().to_data()
    rules["sections"][0]["title"] = "Free \ud800 entry"
    rules_file = cli_env / "rules.json"
    rules_file.write_text(json.dumps(rules), encoding="ascii")  # as "\ud800": valid JSON
    if command == "edit":
        assert run("contests", "create", "winter-giveaway", "--title", "W").exit_code == 0
        result = run("rules", "edit", "winter-giveaway", str(rules_file))
        assert "winter-giveaway\tdraft" in run("contests", "list").stdout
    else:
        result = run("contests", "create", "winter-giveaway", "--title", "W",
                     "--rules", str(rules_file))
        assert run("contests", "list").stdout == ""
    assert result.exit_code == 2, result.output
    assert ("sections.0.title: has the character U+D800 at position 6, which is not text"
            in result.stderr), result.stderr


def test_a_rules_file_is_refused_in_the_terminal_language(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules_file = cli_env / "rules.json"
    rules_file.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    assert run("contests", "create", "winter-giveaway", "--title", "W").exit_code == 0
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    result = run("rules", "edit", "winter-giveaway", str(rules_file))
    assert result.exit_code == 2
    assert "20" in result.stderr and "nested" not in result.stderr
    assert any("а" <= ch <= "я" for ch in result.stderr.lower()), result.stderr
