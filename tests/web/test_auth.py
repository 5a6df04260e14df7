import pytest
from sqlmodel import Session

from contest.accounts import create_user
from tests.fixtures import Browser, Clock

PASSWORD = "a long password"


def _account(db: Session, clock: Clock, role: str) -> str:
    email = f"{role}@brand.example"
    create_user(db, email=email, name=role.title(), role=role, password=PASSWORD,
                actor_id=None, now=clock.now)
    db.commit()
    return email


def test_the_public_is_sent_to_sign_in(client: Browser) -> None:
    response = client.get("/manage/contests")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_wrong_password_is_refused_with_a_clear_message(
    client: Browser, db: Session, clock: Clock
) -> None:
    email = _account(db, clock, "marketer")
    response = client.sign_in(email, "not the password")
    assert response.status_code == 401
    assert "Wrong e-mail or password." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        ("auditor", "/manage/contests", 403),
        ("marketer", "/audit/contests", 403),
        ("marketer", "/admin/users", 403),
        ("auditor", "/admin/users", 403),
        ("marketer", "/manage/contests", 200),
        ("auditor", "/audit/contests", 200),
        ("admin", "/admin/users", 200),
        ("admin", "/manage/contests", 200),
    ],
)
def test_each_role_reaches_only_its_desk(
    client: Browser, db: Session, clock: Clock, role: str, url: str, status: int
) -> None:
    assert client.sign_in(_account(db, clock, role), PASSWORD).status_code == 302
    assert client.get(url).status_code == status


def test_a_form_without_its_csrf_token_is_refused(
    client: Browser, db: Session, clock: Clock
) -> None:
    email = _account(db, clock, "marketer")
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 400
    assert "The form expired" in response.get_data(as_text=True)


def test_admin_creates_an_account_and_errors_come_per_field(
    client: Browser, db: Session, clock: Clock
) -> None:
    client.sign_in(_account(db, clock, "admin"), PASSWORD)
    bad = client.submit("/admin/users", {"email": "x", "name": "", "role": "auditor",
                                         "password": "short"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert 'id="email-error"' in html and 'id="password-error"' in html
    good = client.submit("/admin/users", {"email": "new@brand.example", "name": "New",
                                          "role": "auditor", "password": PASSWORD})
    assert good.status_code == 303
    assert client.sign_in("new@brand.example", PASSWORD).status_code == 302
