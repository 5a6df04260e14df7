"""The "verify this draw" page names the deployment's witnesses (``CONTEST_WITNESSES``) for
the visitor's browser to require, and says what it finds in the page's language."""

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session

from contest.errors import ConfigError
from contest.ledger.note import Signer
from contest.witness.cosignature import Cosigner
from tests.draw.builders import drawn
from tests.fixtures import Browser, Clock, configured_app

WITNESS = Cosigner(Signer("auditor.test/witness", bytes([3]) * 32))


@pytest.fixture
def app(database_url: str, clock: Clock, tmp_path: Path) -> Iterator[Flask]:
    with configured_app(database_url, clock, tmp_path,
                        witnesses=f"{WITNESS.verifier_key()} https://witness.test") as app:
        yield app


def messages(page: str) -> dict[str, str]:
    found = re.search(r'<script type="application/json" id="verify-messages">(.*?)</script>',
                      page, re.S)
    assert found is not None
    value: dict[str, str] = json.loads(found.group(1))
    return value


@pytest.mark.parametrize(("language", "label", "cosigned"), [
    ("en", "Witness keys to require, one a line", "Cosigned by witness {witness} at {moment}."),
    ("ru", "Ключи свидетелей, подписи которых обязательны, по одному в строке",
     "Подписано свидетелем {witness} в {moment}."),
    ("uk", "Ключі свідків, чиї підписи обов’язкові, по одному в рядку",
     "Підписано свідком {witness} о {moment}."),
], ids=["en", "ru", "uk"])
def test_the_verify_page_fills_in_the_deployment_s_witnesses(
        app: Flask, client: Browser, db: Session, language: str, label: str,
        cosigned: str) -> None:
    contest = drawn(db, app.extensions["contest.signer"])
    page = client.get(f"/contests/{contest.slug}/verify",
                      headers={"Accept-Language": language}).get_data(as_text=True)
    assert html.escape(label) in page or label in page
    field = re.search(r'<textarea id="witness-keys"[^>]*>(.*?)</textarea>', page, re.S)
    assert field is not None and html.unescape(field.group(1)) == WITNESS.verifier_key()
    assert messages(page)["cosigned_by"] == cosigned
    assert messages(page)["check_witnesses"] != "" and '<li data-check="witnesses"' in page


def test_a_witness_key_that_is_no_witness_key_stops_the_app(database_url: str, clock: Clock,
                                                            tmp_path: Path) -> None:
    log_key = Signer("auditor.test/witness", bytes([3]) * 32).verifier_key()
    with pytest.raises(ConfigError, match="CONTEST_WITNESSES entry 1: verifier key"), \
            configured_app(database_url, clock, tmp_path,
                           witnesses=f"{log_key} https://witness.test"):
        pass
