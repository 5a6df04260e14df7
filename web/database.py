"""One engine per app, one session per request (closed at teardown)."""

from flask import Flask, current_app, g
from sqlalchemy.engine import Engine
from sqlmodel import Session

from contest.db import make_engine


def init_app(app: Flask) -> None:
    app.extensions["contest.engine"] = make_engine(app.config["DATABASE_URL"])
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    engine: Engine = current_app.extensions["contest.engine"]
    return engine


def session() -> Session:
    """The request's session; views commit what they change."""
    if "db_session" not in g:
        g.db_session = Session(engine(), expire_on_commit=False)
    db_session: Session = g.db_session
    return db_session


def _close_session(_error: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
