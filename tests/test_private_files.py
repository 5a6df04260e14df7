"""The instance folder is its owner's alone (0700), and the secrets and the SQLite database
in it are readable by their owner only (0600) from the moment they exist — after the
commands a person runs first and after the web app starts."""

import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from contest.config import Settings
from contest.db import make_engine, upgrade
from tests.fixtures import run_cli


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The umask most systems give (022): files 0644 and folders 0755 unless asked."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def fresh_instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A deployment's environment naming only an instance folder, which does not exist yet
    (so the database is the default SQLite file in it)."""
    instance = tmp_path / "instance"
    monkeypatch.setenv("CONTEST_INSTANCE_PATH", str(instance))
    monkeypatch.delenv("CONTEST_DATABASE_URL", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    return instance


def assert_private(instance: Path) -> None:
    assert mode(instance) == 0o700
    for name in ("secret_key", "log-signing-key", "contest.db"):
        assert mode(instance / name) == 0o600, name
    for companion in ("contest.db-wal", "contest.db-shm"):
        if (instance / companion).exists():
            assert mode(instance / companion) == 0o600, companion


def test_settings_make_a_private_instance_folder_and_secret_key(tmp_path: Path) -> None:
    instance = tmp_path / "deep" / "instance"
    Settings.load({"CONTEST_INSTANCE_PATH": str(instance)})
    assert mode(instance) == 0o700
    assert mode(instance / "secret_key") == 0o600


def test_a_new_sqlite_database_and_its_wal_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "contest.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE scratch (x INTEGER)"))
        assert (mode(path.parent), mode(path)) == (0o700, 0o600)
        for companion in ("contest.db-wal", "contest.db-shm"):
            assert mode(path.parent / companion) == 0o600, companion
    engine.dispose()


def test_demo_build_leaves_nothing_readable_by_others(fresh_instance: Path) -> None:
    result = run_cli("demo", "build", "--entrants", "30", "--seed", "1")
    assert result.exit_code == 0, result.stderr
    assert_private(fresh_instance)


def test_db_upgrade_leaves_nothing_readable_by_others(fresh_instance: Path) -> None:
    result = run_cli("db", "upgrade")
    assert result.exit_code == 0, result.stderr
    assert mode(fresh_instance) == 0o700
    assert (mode(fresh_instance / "secret_key"), mode(fresh_instance / "contest.db")) == (
        0o600, 0o600)


def test_the_web_app_leaves_nothing_readable_by_others(fresh_instance: Path) -> None:
    from web import create_app

    app = create_app({"TESTING": True, "SETTINGS": {"instance_path": str(fresh_instance),
                                                   "log_integrate_every": "0"}})
    try:
        app.test_client().get("/")   # opens the database (no tables yet: a 503 page)
        assert_private(fresh_instance)
    finally:
        app.extensions["contest.engine"].dispose()


def test_an_instance_left_open_by_an_older_version_is_closed_with_a_warning(
        fresh_instance: Path, caplog: pytest.LogCaptureFixture) -> None:
    fresh_instance.mkdir(mode=0o755)
    database = fresh_instance / "contest.db"
    sqlite3.connect(database).close()
    assert mode(database) == 0o644
    (fresh_instance / "secret_key").write_text("an old secret key of the instance\n")
    fresh_instance.chmod(0o755)
    with caplog.at_level(logging.WARNING):
        result = run_cli("db", "upgrade")
    assert result.exit_code == 0, result.stderr
    assert mode(fresh_instance) == 0o700
    assert (mode(database), mode(fresh_instance / "secret_key")) == (0o600, 0o600)
    said = caplog.text
    assert str(fresh_instance) in said and "0755" in said and "0700" in said
    assert str(database) in said and "0644" in said


def test_a_database_outside_the_instance_leaves_its_folder_as_it_is(
        tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    engine = make_engine(f"sqlite:///{shared / 'contest.db'}")
    upgrade(engine)
    engine.dispose()
    assert (mode(shared), mode(shared / "contest.db")) == (0o755, 0o600)
