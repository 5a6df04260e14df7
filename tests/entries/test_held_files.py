"""An uploaded entries file waits for its import in a private folder, for its contest and
person only, for a day at most, and a person holds only a few at once."""

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from contest.entries.held_files import HELD_FOR, HELD_PER_PERSON, HeldFiles
from contest.errors import NotFound

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def test_a_held_file_is_private_and_given_back_to_its_contest_and_person_only(
    tmp_path: Path,
) -> None:
    held = HeldFiles(tmp_path / "held")
    token = held.hold(b"full_name\nAnn\n", name="entries.csv", contest_id=1, user_id=7,
                      now=NOW)
    assert len(token) == 43
    assert stat.S_IMODE((tmp_path / "held").stat().st_mode) == 0o700
    assert {stat.S_IMODE(path.stat().st_mode) for path in (tmp_path / "held").iterdir()} \
        == {0o600}
    found = held.take(token, contest_id=1, user_id=7, now=NOW + HELD_FOR)
    assert (found.content, found.name) == (b"full_name\nAnn\n", "entries.csv")
    for contest_id, user_id in ((2, 7), (1, 8), (1, None)):
        with pytest.raises(NotFound, match="the uploaded file is no longer kept"):
            held.take(token, contest_id=contest_id, user_id=user_id, now=NOW)
    for wrong in ("../" * 14 + "etc/passwd", "", token[:-1], token.upper()):
        with pytest.raises(NotFound):
            held.take(wrong, contest_id=1, user_id=7, now=NOW)
    held.drop(token)
    with pytest.raises(NotFound):
        held.take(token, contest_id=1, user_id=7, now=NOW)
    assert list((tmp_path / "held").iterdir()) == []


def test_a_file_older_than_a_day_is_not_given_back_and_is_swept(tmp_path: Path) -> None:
    held = HeldFiles(tmp_path)
    old = held.hold(b"a", name="old.csv", contest_id=1, user_id=7, now=NOW)
    with pytest.raises(NotFound):
        held.take(old, contest_id=1, user_id=7, now=NOW + HELD_FOR + timedelta(seconds=1))
    assert list(tmp_path.iterdir()) == []
    stale = held.hold(b"b", name="b.csv", contest_id=1, user_id=7, now=NOW)
    fresh = held.hold(b"c", name="c.csv", contest_id=1, user_id=8,
                      now=NOW + timedelta(hours=12))
    (tmp_path / f"{'x' * 43}.upload").write_bytes(b"left by a deletion cut short")
    assert held.sweep(NOW + HELD_FOR + timedelta(hours=1)) == 2
    with pytest.raises(NotFound):
        held.take(stale, contest_id=1, user_id=7, now=NOW)
    assert held.take(fresh, contest_id=1, user_id=8, now=NOW).content == b"c"


def test_a_person_holds_a_few_files_at_most_and_another_drops_their_oldest(
    tmp_path: Path,
) -> None:
    held = HeldFiles(tmp_path)
    tokens = [held.hold(bytes([number]), name=f"{number}.csv", contest_id=1, user_id=7,
                        now=NOW + timedelta(minutes=number))
              for number in range(HELD_PER_PERSON + 1)]
    theirs = held.hold(b"other", name="o.csv", contest_id=1, user_id=8, now=NOW)
    with pytest.raises(NotFound):
        held.take(tokens[0], contest_id=1, user_id=7, now=NOW)
    assert [held.take(token, contest_id=1, user_id=7, now=NOW).content
            for token in tokens[1:]] == [bytes([number])
                                          for number in range(1, HELD_PER_PERSON + 1)]
    assert held.take(theirs, contest_id=1, user_id=8, now=NOW).content == b"other"
