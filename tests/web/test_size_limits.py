"""Oversized input is refused with a clear answer, at the documented limit
(``CONTEST_MAX_UPLOAD_MB``, 32 MiB by default), before the app reads it."""

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session

from contest.accounts import create_user
from tests.builders import make_contest
from tests.fixtures import Browser, Clock, configured_app


@pytest.fixture
def small_app(database_url: str, clock: Clock, tmp_path: Path) -> Iterator[Flask]:
    with configured_app(database_url, clock, tmp_path, max_upload_mb="1") as app:
        yield app


def test_a_body_over_the_limit_gets_413_in_the_persons_language(small_app: Flask) -> None:
    with Session(small_app.extensions["contest.engine"]) as session:
        make_contest(session)
    client = small_app.test_client()
    big = b'{"full_name": "' + b"x" * (1024 * 1024) + b'"}'
    answer = client.post("/api/contests/winter-giveaway/entries", data=big,
                         content_type="application/json", headers={"Accept-Language": "ru"})
    assert answer.status_code == 413
    assert answer.get_json()["error"] == "request_entity_too_large"
    assert answer.get_json()["message"]


def test_an_upload_over_the_limit_is_refused_on_the_page(small_app: Flask,
                                                         clock: Clock) -> None:
    with Session(small_app.extensions["contest.engine"]) as session:
        slug = make_contest(session)[0].slug
        create_user(session, email="m@brand.example", name="M", role="marketer",
                    password="a long password", actor_id=None, now=clock.now)
        session.commit()
    client = small_app.test_client()
    assert isinstance(client, Browser)
    client.sign_in("m@brand.example", "a long password")
    answer = client.submit(f"/manage/contests/{slug}/entries/import",
                           {"file": (io.BytesIO(b"a" * (2 * 1024 * 1024)), "entries.csv")},
                           content_type="multipart/form-data")
    assert answer.status_code == 413
    assert "The upload is too large." in answer.get_data(as_text=True)
    answer.request.input_stream.close()  # the test client spooled the upload to a file
