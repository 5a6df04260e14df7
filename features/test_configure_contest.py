"""Steps for features/configure_contest.feature: the marketer's rules editor in the browser."""

import hashlib
import re

from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session, select

from contest.canonical import canonical_json
from contest.models import LogEntry, RulesVersion
from tests.builders import rules_document
from tests.fixtures import Browser
from web.rules_form import draft_to_form

scenarios("configure_contest.feature")


def _form(**changes: object) -> dict[str, object]:
    """The editor's form for a valid document, with ``changes`` to named inputs."""
    values: dict[str, object] = dict(draft_to_form(rules_document().to_data()))
    values["exclusions.family"] = ["spouse", "child", "parent", "sibling"]
    values.update(changes)
    return {k: v for k, v in values.items() if v != "" or k.startswith("period.")}


@given(parsers.parse('she creates the contest "{slug}" titled "{title}" in English'))
@when(parsers.parse('she creates the contest "{slug}" titled "{title}" in English'))
def create(client: Browser, page: dict[str, str], slug: str, title: str) -> None:
    response = client.submit("/manage/contests", {"slug": slug, "title": title,
                                                  "language": "en"})
    assert response.status_code == 303, response.get_data(as_text=True)
    page["slug"] = slug


@when(parsers.parse('she creates the repost giveaway "{slug}" titled "{title}" in English'))
def create_repost(client: Browser, page: dict[str, str], slug: str, title: str) -> None:
    response = client.submit("/manage/contests", {"slug": slug, "title": title,
                                                  "language": "en", "template": "repost"})
    assert response.status_code == 303, response.get_data(as_text=True)
    page["slug"] = slug


@when(parsers.parse('she names the post "{post}" and the community "{community}"'))
def name_source(client: Browser, page: dict[str, str], post: str, community: str) -> None:
    response = client.submit(f"/manage/contests/{page['slug']}/rules", {
        "step": "sources", "then": "stay", "sources.0.network": "vk", "sources.0.post": post,
        "sources.0.community": community, "sources.0.conditions.reposted": "on",
        "sources.0.conditions.member": "on"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "Nothing is missing" in html


@then(parsers.parse('publishing is refused, saying "{words}"'))
def publishing_refused(client: Browser, page: dict[str, str], db: Session, words: str) -> None:
    response = client.submit(f"/manage/contests/{page['slug']}/publish", {"reason": ""},
                             follow_redirects=True)
    assert words in response.get_data(as_text=True)
    assert db.exec(select(RulesVersion)).first() is None


@then(parsers.parse('the rules say "{words}"'))
def rules_say(page: dict[str, str], words: str) -> None:
    official = page["html"][page["html"].index('<article class="rules"'):]
    said = " ".join(re.sub(r"<[^>]+>", " ", official).split())
    assert words in said, said


@when(parsers.parse("she saves rules with {count:d} gift cards for {winners:d} winners"))
def save_valid(client: Browser, page: dict[str, str], count: int, winners: int) -> None:
    response = client.submit(f"/manage/contests/{page['slug']}/rules", _form(**{
        "prizes.0.name": "Gift card", "prizes.0.quantity": str(count), "winners": str(winners),
        "then": "stay"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "Draft saved." in html


@when("she saves rules that close before they open and have zero winners")
def save_invalid(client: Browser, page: dict[str, str]) -> None:
    response = client.submit(f"/manage/contests/{page['slug']}/rules", _form(**{
        "period.opens_at": "2026-12-10T10:00", "period.closes_at": "2026-12-01T10:00",
        "winners": "0", "then": "stay"}))
    assert response.status_code == 422
    page["html"] = response.get_data(as_text=True)


@then(parsers.parse('she is told what is still to do: "{first}" and "{second}"'))
def told_what_to_do(page: dict[str, str], first: str, second: str) -> None:
    todo = page["html"][page["html"].find('class="error todo"'):]
    todo = todo[:todo.find("</div>")]
    assert first in todo and second in todo, todo


@when(parsers.parse('she opens the step "{step}" of the rules'))
def open_step(client: Browser, page: dict[str, str], step: str) -> None:
    response = client.get(f"/manage/contests/{page['slug']}/rules?step={step}")
    assert response.status_code == 200
    page["html"] = response.get_data(as_text=True)


@when("she previews the rules")
def preview(client: Browser, page: dict[str, str]) -> None:
    response = client.get(f"/manage/contests/{page['slug']}/preview")
    assert response.status_code == 200
    page["html"] = response.get_data(as_text=True)


@then("the preview is the public rules page, marked as a preview without a fingerprint")
def preview_shown(page: dict[str, str]) -> None:
    html = page["html"]
    assert "Preview: this is exactly the page the public will see" in html
    assert "Official rules" in html and "Gift card" in html
    assert "assigned when published" in html


@when("she publishes the rules")
def publish(client: Browser, page: dict[str, str]) -> None:
    response = client.submit(f"/manage/contests/{page['slug']}/publish", {"reason": ""},
                             follow_redirects=True)
    assert response.status_code == 200
    page["html"] = response.get_data(as_text=True)


def _shows_version(client: Browser, slug: str, number: int) -> str:
    html = client.get(f"/contests/{slug}/rules").get_data(as_text=True)
    assert re.search(rf"Version</dt><dd>{number} ·", html), f"version {number} not shown"
    return html


@then("the official rules page shows version 1 with its fingerprint")
def version_one(client: Browser, page: dict[str, str], db: Session) -> None:
    html = _shows_version(client, page["slug"], 1)
    version = db.exec(select(RulesVersion)).one()
    assert version.sha256 in html
    page["sha256"] = version.sha256


@then("the fingerprint is the SHA-256 of the rules' canonical JSON")
def fingerprint_is_hash(client: Browser, page: dict[str, str]) -> None:
    published = client.get(f"/api/contests/{page['slug']}").get_json()
    expected = hashlib.sha256(canonical_json(published["rules"])).hexdigest()
    assert page["sha256"] == published["rules_sha256"] == expected


@then("the rules cannot be published")
def cannot_publish(client: Browser, page: dict[str, str], db: Session) -> None:
    response = client.submit(f"/manage/contests/{page['slug']}/publish",
                             follow_redirects=True)
    assert "Fix the errors in the rules before the preview." in response.get_data(as_text=True) \
        or "errors" in response.get_data(as_text=True)
    assert db.exec(select(RulesVersion)).first() is None


@when("she sets the number of alternates to 5 and publishes without a reason")
def amend_without_reason(client: Browser, page: dict[str, str], db: Session) -> None:
    page["slug"] = "winter-giveaway"
    page["sha256"] = db.exec(select(RulesVersion)).one().sha256
    response = client.submit("/manage/contests/winter-giveaway/rules",
                             _form(alternates="5", then="stay"))
    assert response.status_code == 200, response.get_data(as_text=True)
    response = client.submit("/manage/contests/winter-giveaway/publish", {"reason": ""},
                             follow_redirects=True)
    page["html"] = response.get_data(as_text=True)


@then("publishing is refused because a reason is required")
def reason_required(page: dict[str, str], db: Session) -> None:
    assert "reason" in page["html"].lower()
    assert len(db.exec(select(RulesVersion)).all()) == 1


@when(parsers.parse('she publishes with the reason "{reason}" and the note "{note}"'))
def amend_with_reason(client: Browser, page: dict[str, str], reason: str, note: str) -> None:
    response = client.submit(f"/manage/contests/{page['slug']}/publish",
                             {"reason": reason, "note": note}, follow_redirects=True)
    assert response.status_code == 200
    page["note"] = note


@then(parsers.parse('the official rules page shows version 2 with the reason "{label}"'))
def version_two(client: Browser, page: dict[str, str], label: str) -> None:
    page["html"] = _shows_version(client, page["slug"], 2)
    assert f"Reason for the change: {label}" in page["html"]


@then("the note stays off the public pages and the public log")
def note_private(client: Browser, page: dict[str, str], db: Session) -> None:
    assert page["note"] not in page["html"]
    leaves = " ".join(row.leaf for row in db.exec(select(LogEntry)))
    assert '"reason":"more_prizes"' in leaves and page["note"] not in leaves


@then(parsers.parse('the version history shows "{field}" changed from {before} to {after}'))
def history_shows_change(page: dict[str, str], field: str, before: str, after: str) -> None:
    html = page["html"]
    row = re.search(rf"<td>{re.escape(field)}</td><td><del>(.*?)</del></td>"
                    rf"<td><ins>(.*?)</ins>", html)
    assert row, f"no change of {field} in the version history"
    assert row.groups() == (before, after)


@then("version 1 is still public with its original fingerprint")
def version_one_still_public(client: Browser, page: dict[str, str]) -> None:
    html = client.get(f"/contests/{page['slug']}/rules?version=1").get_data(as_text=True)
    assert re.search(r"Version</dt><dd>1 ·", html)
    assert page["sha256"] in html
