"""What every ``contest`` command shares: the settings and database (:class:`Context`), the
clock, the terminal's language, how a domain error stops a command (:func:`fail`), the log's
signer and the ISO 8601 moment option. A leaf: it imports no command module, so every command
module, whatever its subject, imports it and nothing imports a command module back."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click
from sqlmodel import Session

if TYPE_CHECKING:
    from contest.ledger.note import Signer

from contest.config import Settings
from contest.db import make_engine, session_scope, upgrade
from contest.errors import ContestError, InvalidInput
from contest.i18n import LANGUAGES


def terminal_language() -> str:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            code = value.split("_")[0].split(".")[0].lower()
            return code if code in LANGUAGES else "en"
    return "en"


def fail(error: ContestError) -> "click.exceptions.Exit":
    language = terminal_language()
    click.echo(f"error: {error.text(language)}", err=True)
    if isinstance(error, InvalidInput):
        for problem in error.errors:
            click.echo(f"  {problem.field}: {problem.text(language)}", err=True)
    return click.exceptions.Exit(1 if not isinstance(error, InvalidInput) else 2)


def now() -> datetime:
    return datetime.now(UTC)


class Moment(click.ParamType[datetime]):
    """An ISO 8601 moment with its UTC offset (a moment without one is ambiguous)."""

    name = "moment"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 moment such as 2026-12-08T20:00:00+03:00",
                      param, ctx)
        if moment.tzinfo is None:
            self.fail(f"{value!r} has no UTC offset; add one, such as +03:00 or Z", param, ctx)
        return moment


MOMENT = Moment()


class Context:
    """Settings and an engine, made lazily so ``--help`` needs no database."""

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self._engine: Any = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            try:
                self._settings = Settings.load()
            except ContestError as error:
                raise fail(error) from None
        return self._settings

    @property
    def engine(self) -> Any:
        if self._engine is None:
            self._engine = make_engine(self.settings.database_url)
            upgrade(self._engine)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @contextmanager
    def session(self) -> Iterator[Session]:
        try:
            with session_scope(self.engine) as session:
                yield session
        except ContestError as error:
            raise fail(error) from None


pass_context = click.make_pass_decorator(Context, ensure=True)


def signer(context: Context) -> "Signer":
    """The public log's signer of this deployment (its key made on first use)."""
    from contest.ledger.keys import load_or_create_signer

    return load_or_create_signer(context.settings.instance_path, context.settings.log_origin,
                                 key_file=context.settings.log_signing_key_file)
