"""The rules editor as a guided wizard: steps in the marketer's order, what is missing in
words, pickers instead of codes, templates, the slug made from the title, placeholders
refused at publishing, and the prize advisor's warning in the prizes step."""

import html as html_module
import re

from sqlmodel import Session, select

from contest.models import RulesVersion
from tests.fixtures import Browser, Clock
from tests.web.test_rules_editor_ranges import sign_in_marketer


def text_of(response_html: str) -> str:
    return html_module.unescape(re.sub(r"<[^>]+>", " ", response_html))


def test_the_starter_draft_cannot_be_published_from_the_browser(
    client: Browser, db: Session, clock: Clock
) -> None:
    sign_in_marketer(client, db, clock)
    created = client.submit("/manage/contests", {"slug": "fresh-one", "title": "Fresh",
                                                 "language": "en"})
    assert created.status_code == 303
    assert client.get("/manage/contests/fresh-one/preview").status_code == 200
    refused = client.submit("/manage/contests/fresh-one/publish", {"reason": ""},
                            follow_redirects=True)
    page = text_of(refused.get_data(as_text=True))
    assert "still holds the placeholder “Sponsor legal name (replace me)”" in page
    assert "names example.com, an example domain that reaches no one" in page
    assert db.exec(select(RulesVersion)).first() is None
