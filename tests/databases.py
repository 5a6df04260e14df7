"""The two real databases every database test runs against: SQLite and PostgreSQL.

PostgreSQL comes from ``scripts/test-postgres`` (which installs and starts it when needed)
unless ``CONTEST_TEST_POSTGRES_URL`` names a server to use. Each test session gets its own
database, migrated once; each test then starts from empty tables.
"""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import SQLModel

from contest.db import make_engine, upgrade

ROOT = Path(__file__).resolve().parent.parent


def postgres_server_url() -> str:
    url = os.environ.get("CONTEST_TEST_POSTGRES_URL")
    if url:
        return url
    result = subprocess.run(
        [str(ROOT / "scripts" / "test-postgres")], check=True, capture_output=True, text=True
    )
    return result.stdout.strip().splitlines()[-1]


def fresh_postgres_database(server_url: str, name: str) -> str:
    """Create an empty database ``name`` (dropping an old one) and return its URL."""
    admin = make_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(server_url: str, name: str) -> None:
    admin = make_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def migrated_sqlite_template(folder: Path) -> Path:
    path = folder / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def sqlite_copy(template: Path, folder: Path) -> str:
    path = folder / "contest.db"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def empty_tables(engine: Engine) -> None:
    """Remove every row, so the next test on this PostgreSQL database starts clean."""
    names = ", ".join(f'"{table.name}"' for table in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def engines(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    yield engine
    engine.dispose()
