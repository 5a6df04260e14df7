"""``contest draw rfc3797`` reproduces RFC 3797's worked example (section 6)."""

from pathlib import Path

from click.testing import CliRunner

from contest.cli import main

POOL = [
    "John", "Mary", "Bashful", "Dopey", "Sleepy", "Grouchy", "Doc", "Sneazy", "Handsome",
    "Cassandra", "Pollyanna", "Pendragon", "Pandora", "Faith", "Hope", "Charity", "Lee",
    "Longsuffering", "Chastity", "Smith", "Pride", "Sloth", "Envy", "Anger", "Kasczynski",
]


def test_the_rfc_example_selects_its_ten_names_in_order(tmp_path: Path) -> None:
    names = tmp_path / "NAMES.txt"
    names.write_text("\n".join(POOL) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, [
        "draw", "rfc3797", "--pool", str(names), "--source", "9319",
        "--source", "2 5 12 8 10", "--source", "9 18 26 34 41 45", "--select", "10"])
    assert result.exit_code == 0, result.output
    assert result.stdout.split("\n")[:-1] == [
        "Lee", "Doc", "Mary", "Charity", "Kasczynski", "Envy", "Sneazy", "Anger", "Chastity",
        "Pandora"]


def test_selecting_more_than_the_pool_is_a_clear_error(tmp_path: Path) -> None:
    names = tmp_path / "NAMES.txt"
    names.write_text("Ann\nBob\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["draw", "rfc3797", "--pool", str(names),
                                       "--source", "1 2", "--select", "3"])
    assert result.exit_code != 0
    assert "3" in result.stderr and "2" in result.stderr
