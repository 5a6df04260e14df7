"""Security headers and cookie flags on every kind of answer."""

from pathlib import Path

import pytest
from sqlmodel import Session

from contest.accounts import create_user
from tests.builders import make_contest
from tests.fixtures import Browser, Clock, configured_app

PAGES = ["/", "/api/contests", "/log/checkpoint", "/login", "/static/style.css",
         "/no-such-page"]


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_carries_the_security_headers(client: Browser, path: str) -> None:
    answer = client.get(path)
    answer.close()  # a static file's stream
    headers = answer.headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS would be ignored


def test_hsts_is_sent_over_tls(client: Browser) -> None:
    answer = client.get("/", base_url="https://contest.example")
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_page_has_an_inline_script(client: Browser, db: Session) -> None:
    contest, _ = make_contest(db)
    for path in ("/", f"/contests/{contest.slug}", f"/contests/{contest.slug}/rules",
                 f"/contests/{contest.slug}/verify", "/login"):
        html = client.get(path).get_data(as_text=True)
        for tag in html.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            assert "src=" in opening or 'type="application/json"' in opening, (path, opening)
        assert " style=" not in html and " onclick=" not in html, path


def test_the_session_cookie_is_httponly_and_samesite(client: Browser, db: Session,
                                                     clock: Clock) -> None:
    create_user(db, email="a@brand.example", name="A", role="auditor",
                password="a long password", actor_id=None, now=clock.now)
    db.commit()
    answer = client.sign_in("a@brand.example", "a long password")
    cookie = next(v for v in answer.headers.getlist("Set-Cookie") if v.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # the test app's base URL is plain http


def test_cookies_are_secure_when_the_site_is_served_over_https(
        database_url: str, clock: Clock, tmp_path: Path) -> None:
    with configured_app(database_url, clock, tmp_path,
                        base_url="https://contest.example") as app:
        assert app.config["SESSION_COOKIE_SECURE"] is True
        assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_an_app_given_a_test_config_reads_no_environment(
        database_url: str, clock: Clock, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A deployment's variables in the test's environment must not reach the app under test.
    monkeypatch.setenv("CONTEST_DATABASE_URL", "mysql://not-a-database-we-take")
    monkeypatch.setenv("CONTEST_BASE_URL", "https://production.example")
    monkeypatch.setenv("CONTEST_INSTANCE_PATH", str(tmp_path / "production"))
    with configured_app(database_url, clock, tmp_path) as app:
        assert app.config["BASE_URL"] == "http://127.0.0.1:5000"
        assert app.instance_path == str(tmp_path / "instance")
        assert app.test_client().get("/").status_code == 200
    assert not (tmp_path / "production").exists()
