"""Issue 18's insider, a database administrator with write access to the database and none
to the app's files, rewrites a published rules version behind the app's back. Every read of
the version checks its stored text against its SHA-256, and where the public log is read,
that SHA-256 against the log's ``rules.published`` event: a mismatch is refused loudly (a
503 page or JSON, a non-zero exit, a critical log line), never shown under the old
fingerprint. On SQLite and PostgreSQL.
"""

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text
from sqlmodel import Session, select

from contest.accounts import create_user
from contest.canonical import sha256_hex
from contest.draw.bundle import build_bundle
from contest.errors import RulesTampered
from contest.ledger.note import Signer
from contest.models import Contest, DrawRecord, Entry, RulesVersion
from contest.rules.publishing import create_contest, find_contest, publish
from contest.rules.versions import find_published, verify_published_rules
from tests.builders import OPENS, SIGNER, log_publication, make_contest, rules_document
from tests.draw.builders import FREEZE, closed_contest, drawn
from tests.fixtures import Browser, Clock, run_cli

PASSWORD = "a long password"
OPEN = "winter-giveaway"     # closed, not yet frozen: the freeze is still to come
DRAWN = "autumn-giveaway"    # drawn: its bundle and results are public
PEN = "Branded pen"


def _rewrite_the_prize(db: Session, *, fingerprint_too: bool) -> None:
    """What the insider does, through the database's own SQL (the app's ORM guard refuses
    to change a published version, so they go around it): the prize becomes a branded pen,
    with the old fingerprint kept, or with the fingerprint of the new text written too."""
    db.execute(text("UPDATE rules_versions SET canonical_json = "
                    "replace(canonical_json, 'Gift card', :pen)"), {"pen": PEN})
    if fingerprint_too:
        for row in db.execute(text("SELECT id, canonical_json FROM rules_versions")).all():
            db.execute(text("UPDATE rules_versions SET sha256 = :sha WHERE id = :id"),
                       {"sha": sha256_hex(row.canonical_json.encode("utf-8")), "id": row.id})
    db.commit()
    db.expire_all()
    assert all(PEN in version.canonical_json for version in db.exec(select(RulesVersion)))


def _log_the_publication(db: Session, slug: str, signer: Signer) -> None:
    contest = find_contest(db, slug)
    version = db.exec(select(RulesVersion).where(RulesVersion.contest_id == contest.id)).one()
    log_publication(db, contest, version, signer)


def _two_contests(db: Session, clock: Clock, *, logged: bool) -> None:
    drawn(db, SIGNER, slug=DRAWN)
    closed_contest(db, slug=OPEN)
    if logged:
        for slug in (DRAWN, OPEN):
            _log_the_publication(db, slug, SIGNER)
    create_user(db, email="marketer@brand.example", name="Mara", role="marketer",
                password=PASSWORD, actor_id=None, now=clock.now)
    db.commit()
    clock.now = FREEZE


def _refused_page(client: Browser, url: str) -> str:
    response = client.get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 503, (url, response.status_code, html[:300])
    assert "fails its integrity check" in html, url
    assert "The record has been altered, so these rules are not shown." in html, url
    assert PEN not in html, url
    return html


def _refused_everywhere(app: Flask, client: Browser, db: Session) -> None:
    ticket = db.exec(select(Entry.ticket).join(Contest).where(Contest.slug == OPEN)).first()
    for url in (f"/contests/{OPEN}/rules", f"/contests/{OPEN}/rules?version=1",
                f"/contests/{OPEN}", f"/contests/{OPEN}/enter", f"/contests/{DRAWN}/rules",
                f"/contests/{DRAWN}/results", f"/receipts/{ticket}"):
        _refused_page(client, url)

    for url in (f"/api/contests/{OPEN}", f"/contests/{DRAWN}/draw.json"):
        answer = client.get(url)
        assert answer.status_code == 503, (url, answer.get_data(as_text=True)[:300])
        body = answer.get_json()
        assert body["error"] == "rules_tampered" and "integrity check" in body["message"]
        assert "Retry-After" not in answer.headers  # waiting will not mend the record
        assert PEN not in answer.get_data(as_text=True)
    with pytest.raises(RulesTampered, match="integrity check"):
        build_bundle(db, contest=find_contest(db, DRAWN), verifier_key="unused")

    client.sign_in("marketer@brand.example", PASSWORD)
    desk = f"/manage/contests/{OPEN}/draw"
    _refused_page(client, desk)
    frozen = client.submit(f"{desk}/freeze")
    assert frozen.status_code == 303
    db.expire_all()
    contest = find_contest(db, OPEN)
    assert db.exec(select(DrawRecord).where(DrawRecord.contest_id == contest.id)).first() is None
    assert PEN not in client.get(desk).get_data(as_text=True)


def test_a_prize_rewritten_as_a_branded_pen_under_the_old_sha256_is_refused_everywhere(
        app: Flask, client: Browser, db: Session, clock: Clock, cli_env: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    """Issue 18: "a published rules version's stored text changed (the prize became 'Branded
    pen') with the old SHA-256 kept: the public rules page showed the new text under the old
    fingerprint"."""
    _two_contests(db, clock, logged=False)
    published = db.exec(select(RulesVersion).join(Contest).where(Contest.slug == OPEN)).one()
    fingerprint = published.sha256
    assert client.get(f"/contests/{OPEN}/rules").status_code == 200
    _rewrite_the_prize(db, fingerprint_too=False)

    with caplog.at_level(logging.CRITICAL, logger="contest.rules.versions"):
        _refused_everywhere(app, client, db)
        with pytest.raises(RulesTampered, match=f"published fingerprint is {fingerprint}"):
            find_published(db, OPEN)
    altered = sha256_hex(published.canonical_json.replace("Gift card", PEN).encode("utf-8"))
    said = [r.getMessage() for r in caplog.records if r.levelno == logging.CRITICAL]
    assert any(fingerprint in line and altered in line for line in said), said

    shown = run_cli("rules", "show", OPEN)
    assert shown.exit_code == 1
    assert "fails its integrity check" in shown.stderr and fingerprint in shown.stderr
    assert PEN not in shown.output


def test_the_refusal_speaks_the_visitors_language(
        client: Browser, db: Session, clock: Clock) -> None:
    _two_contests(db, clock, logged=False)
    _rewrite_the_prize(db, fingerprint_too=False)
    client.submit("/language/ru", {"next": "/"})
    response = client.get(f"/contests/{OPEN}/rules")
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and PEN not in html
    assert "Эти правила не проходят проверку целостности" in html
    assert "версия 1 опубликованных правил этого розыгрыша не проходит проверку" in html


def test_text_and_sha256_both_rewritten_are_caught_by_the_logs_rules_published_event(
        app: Flask, client: Browser, db: Session, clock: Clock, cli_env: Path) -> None:
    """The insider rewrites the fingerprint column too, so text and fingerprint agree; the
    fingerprint the public log recorded at publishing does not."""
    _two_contests(db, clock, logged=True)
    logged = db.exec(select(RulesVersion).join(Contest).where(Contest.slug == OPEN)).one()
    fingerprint = logged.sha256
    _rewrite_the_prize(db, fingerprint_too=True)
    db.expire_all()
    # The text alone now agrees with its (rewritten) fingerprint:
    assert find_published(db, OPEN) is not None

    _refused_everywhere(app, client, db)
    answer = client.get(f"/api/contests/{OPEN}").get_json()
    assert f"the public log recorded the fingerprint {fingerprint}" in answer["message"]
    with pytest.raises(RulesTampered, match=f"{OPEN} version 1: the log recorded {fingerprint}"):
        verify_published_rules(db)
    shown = run_cli("rules", "show", OPEN)
    assert shown.exit_code == 1
    assert f"the public log recorded the fingerprint {fingerprint}" in shown.stderr
    assert PEN not in shown.output


def _published_through_the_app(db: Session, signer: Signer) -> None:
    before = OPENS - timedelta(days=3)
    contest = create_contest(db, slug=OPEN, language="en", title="Winter giveaway",
                             actor_id=None, now=before, draft=rules_document().to_data())
    publish(db, contest=contest, actor_id=None, now=before, signer=signer)
    db.commit()


@pytest.mark.parametrize("fingerprint_too", [False, True], ids=["text", "text_and_sha256"])
def test_contest_log_verify_checks_every_published_version_against_the_log(
        session: Session, cli_env: Path, fingerprint_too: bool) -> None:
    signer = SIGNER  # the log key the command line mounts (tests.fixtures.cli_env)
    _published_through_the_app(session, signer)
    verified = run_cli("log", "verify")
    assert verified.exit_code == 0, verified.output
    assert "rules verified: 1 published versions match their fingerprints and the log" in (
        verified.stdout)
    _rewrite_the_prize(session, fingerprint_too=fingerprint_too)
    session.close()
    result = run_cli("log", "verify")
    assert result.exit_code == 1
    assert "published rules fail their integrity check: winter-giveaway version 1: " in (
        result.stderr)
    assert PEN not in result.output


def test_a_version_the_log_never_published_fails_contest_log_verify(
        session: Session, cli_env: Path) -> None:
    """A version row the insider inserted (or one stored without its event) has no
    ``rules.published`` event: the public pages cannot tell, the monitor can."""
    signer = SIGNER  # the log key the command line mounts (tests.fixtures.cli_env)
    _published_through_the_app(session, signer)
    make_contest(session, slug="spring-giveaway")  # stored without its event
    session.close()
    result = run_cli("log", "verify")
    assert result.exit_code == 1
    assert "spring-giveaway version 1: the log holds no event publishing it" in result.stderr
