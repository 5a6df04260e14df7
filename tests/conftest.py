"""Shared fixtures: real databases (SQLite and PostgreSQL), a frozen clock, builders."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from contest.db import make_engine, upgrade
from tests import databases

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return databases.migrated_sqlite_template(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    server = databases.postgres_server_url()
    name = f"contest_test_{os.getpid()}"
    url = databases.fresh_postgres_database(server, name)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    databases.drop_postgres_database(server, name)


@pytest.fixture(scope="session")
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path
) -> Iterator[str]:
    """The URL of an empty, migrated database: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        yield databases.sqlite_copy(sqlite_template, tmp_path)
        return
    engine: Engine = request.getfixturevalue("postgres_engine")
    databases.empty_tables(engine)
    yield request.getfixturevalue("postgres_url")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
