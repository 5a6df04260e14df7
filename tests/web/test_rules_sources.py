"""Where entries come from in the social networks: the marketer adds, edits and removes a
source in the rules editor, sees each mistake beside its field in her language, and the
official rules state each source and its conditions in words, in the rules' language."""

import dataclasses
import io
import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import NullTranslations, Translations
from sqlmodel import Session

import contest.i18n
from contest.rules.document import Condition, ConditionKind, Network, SocialSource
from contest.rules.publishing import draft_data, find_contest
from tests.builders import amend_contest, make_contest, rules_document
from tests.fixtures import Browser, Clock
from tests.web.test_rules_editor_ranges import error_of, sign_in_marketer
from tests.web.test_rules_page_language import official_text
from tests.web.test_rules_wizard import save_step, step_page
from tests.web.test_rules_wizard import text_of as tagless
from web.rules_form import field_of

SLUG = "winter-giveaway"


@pytest.fixture
def editing(client: Browser, db: Session, clock: Clock) -> str:
    """A signed-in marketer (reading English) with a draft that names no source."""
    make_contest(db, published=False)
    sign_in_marketer(client, db, clock)
    client.submit("/language/en", {"next": "/"})
    return SLUG


def text_of(html: str) -> str:
    """What a reader reads: the text without tags, its spaces as one."""
    return " ".join(tagless(html).split())


def sources_of(db: Session) -> object:
    db.expire_all()
    return draft_data(find_contest(db, SLUG)).get("sources")


def test_a_source_is_added_from_its_addresses_edited_and_removed(
        client: Browser, db: Session, editing: str) -> None:
    page, form = step_page(client, editing, "sources")
    assert "sources.0.network" not in form.fields
    added = save_step(client, editing, "sources", then="add:sources")
    assert added.status_code == 303 and added.headers["Location"].endswith(
        "step=sources&add=sources#sources")
    page = client.get(added.headers["Location"]).get_data(as_text=True)
    assert '<legend>Source 1</legend>' in page
    assert '<label for="sources.0.conditions.tagged">' in page

    saved = save_step(client, editing, "sources", **{
        "sources.0.network": "vk", "sources.0.post": "https://vk.com/wall-555_77",
        "sources.0.community": "vk.com/club555", "sources.0.conditions.reposted": "on",
        "sources.0.conditions.member": "on"})
    assert saved.status_code == 200, error_texts(saved.get_data(as_text=True))
    assert sources_of(db) == [{"network": "vk", "post": "-555_77", "community": "555",
                               "conditions": [{"kind": "member"}, {"kind": "reposted"}]}]
    _, form = step_page(client, editing, "sources")
    assert form.fields["sources.0.post"] == "-555_77"
    assert form.fields["sources.0.conditions.member"] == ["on"]
    assert "sources.0.conditions.liked" not in form.fields

    edited = save_step(client, editing, "sources", **{
        "sources.0.conditions.reposted": [], "sources.0.conditions.tagged": "on",
        "sources.0.conditions.tagged.at_least": "2"})
    assert edited.status_code == 200
    assert sources_of(db) == [{"network": "vk", "post": "-555_77", "community": "555",
                               "conditions": [{"kind": "member"},
                                              {"kind": "tagged", "at_least": 2}]}]

    removed = save_step(client, editing, "sources", then="remove:sources.0")
    assert removed.status_code == 303 and removed.headers["Location"].endswith("#sources")
    assert sources_of(db) is None  # left out, as rules without sources have it


def test_two_sources_and_the_second_removed_leaves_the_first(
        client: Browser, db: Session, editing: str) -> None:
    save_step(client, editing, "sources", then="add:sources")
    client.submit(f"/manage/contests/{editing}/rules", {
        "step": "sources", "then": "stay",
        "sources.0.network": "telegram", "sources.0.post": "", "sources.0.community":
        "https://t.me/brand_channel", "sources.0.conditions.member": "on",
        "sources.1.network": "instagram", "sources.1.post": "17841400000000001",
        "sources.1.community": "", "sources.1.conditions.commented": "on"})
    assert sources_of(db) == [
        {"network": "telegram", "community": "@brand_channel",
         "conditions": [{"kind": "member"}]},
        {"network": "instagram", "post": "17841400000000001",
         "conditions": [{"kind": "commented"}]}]
    save_step(client, editing, "sources", then="remove:sources.1")
    assert sources_of(db) == [{"network": "telegram", "community": "@brand_channel",
                               "conditions": [{"kind": "member"}]}]


def error_texts(html: str) -> list[str]:
    return re.findall(r'<p class="error" id="([^"]+)-error">', html)


def test_every_mistake_stands_beside_its_field(client: Browser, db: Session,
                                               editing: str) -> None:
    save_step(client, editing, "sources", then="add:sources")
    shown = client.submit(f"/manage/contests/{editing}/rules", {
        "step": "sources", "then": "stay",
        "sources.0.network": "telegram", "sources.0.post": "-1_2",
        "sources.0.community": "brand", "sources.0.conditions.member": "on",
        "sources.0.conditions.reposted": "on"})
    assert shown.status_code == 422
    page = shown.get_data(as_text=True)
    assert error_of(page, "sources.0.post") == "no condition needs it; remove it"
    assert error_of(page, "sources.0.community").startswith(
        "must be written like @brand_news, got brand")
    assert error_of(page, "sources.0.conditions.reposted") == (
        "telegram lets us check only member, got reposted")
    assert 'id="sources.0.conditions.reposted" name="sources.0.conditions.reposted" ' \
           'type="checkbox" checked aria-describedby="sources.0.conditions.reposted-help ' \
           'sources.0.conditions.reposted-error" aria-invalid="true"' in page
    todo = text_of(page[page.index('class="error todo"'):])
    assert "Check the conditions of source 1" in todo and "Give the post of source 1" in todo

    vk = client.submit(f"/manage/contests/{editing}/rules", {
        "step": "sources", "then": "stay",
        "sources.0.network": "vk", "sources.0.post": "-1_2", "sources.0.community": "12",
        "sources.0.conditions.tagged": "on", "sources.0.conditions.tagged.at_least": "",
        "sources.0.conditions.member": "on"})
    assert error_of(vk.get_data(as_text=True),
                    "sources.0.conditions.tagged.at_least") == "is required"
    vk = client.submit(f"/manage/contests/{editing}/rules", {
        "step": "sources", "then": "stay",
        "sources.0.network": "vk", "sources.0.post": "-1_2", "sources.0.community": "12",
        "sources.0.conditions.tagged": "on", "sources.0.conditions.tagged.at_least": "51",
        "sources.0.conditions.member": "on"})
    assert error_of(vk.get_data(as_text=True), "sources.0.conditions.tagged.at_least") == (
        "must be a whole number from 1 to 50, got 51")
    untagged = client.submit(f"/manage/contests/{editing}/rules", {
        "step": "sources", "then": "stay",
        "sources.0.network": "vk", "sources.0.post": "-1_2", "sources.0.community": "12",
        "sources.0.conditions.liked": "on", "sources.0.conditions.tagged.at_least": "3"})
    assert untagged.status_code == 422
    assert error_of(untagged.get_data(as_text=True),
                    "sources.0.conditions.tagged.at_least").startswith("was not kept")
    vk = client.submit(f"/manage/contests/{editing}/rules", {
        "step": "sources", "then": "stay",
        "sources.0.network": "vk", "sources.0.post": "", "sources.0.community": "12",
        "sources.0.conditions.member": "on"})
    assert error_of(vk.get_data(as_text=True), "sources.0.conditions").startswith(
        "must name what entrants do under the post (reposted, commented, liked, tagged)")


@pytest.mark.parametrize(("path", "field"), [
    ("sources", "sources"),
    ("sources.x", "sources"),
    ("sources.0", "sources.0"),
    ("sources.0.post", "sources.0.post"),
    ("sources.0.conditions", "sources.0.conditions"),
    ("sources.0.colour", "sources.0"),
    ("sources.0.conditions.0.kind", "sources.0.conditions.member"),
    ("sources.0.conditions.1", "sources.0.conditions.tagged"),
    ("sources.0.conditions.1.at_least", "sources.0.conditions.tagged.at_least"),
    ("sources.0.conditions.0.at_least", "sources.0.conditions.member"),
    ("sources.0.conditions.2", "sources.0.conditions"),
    ("sources.1.conditions.0.kind", "sources.1.conditions"),
    ("sources.0.conditions.tagged.at_least", "sources.0.conditions.tagged.at_least"),
    ("prizes.0.quantity", "prizes.0.quantity"),
])
def test_each_error_of_a_source_has_a_field_to_stand_by(path: str, field: str) -> None:
    draft = {"sources": [{"network": "vk", "conditions": [
        {"kind": "member", "at_least": 2}, {"kind": "tagged", "at_least": "x"}, "liked"]}]}
    assert field_of(path, draft) == field


def test_the_mistakes_are_said_in_the_marketers_language(client: Browser, db: Session,
                                                         editing: str) -> None:
    client.submit("/language/ru", {"next": "/"})
    save_step(client, editing, "sources", then="add:sources")
    shown = client.submit(f"/manage/contests/{editing}/rules", {
        "step": "sources", "then": "stay", "sources.0.network": "vk", "sources.0.post": "-1_2",
        "sources.0.community": "", "sources.0.conditions.member": "on",
        "sources.0.conditions.liked": "on"})
    assert error_of(shown.get_data(as_text=True), "sources.0.community") == "обязательное поле"


VK = SocialSource(Network.VK, "-123456_789", "123456",
                  (Condition(ConditionKind.REPOSTED), Condition(ConditionKind.MEMBER)))


def rules_page(client: Browser) -> str:
    return client.get(f"/contests/{SLUG}/rules").get_data(as_text=True)


def test_the_rules_state_a_vk_source_and_its_conditions_with_links(
        client: Browser, db: Session) -> None:
    make_contest(db, rules=rules_document(sources=(VK,)))
    client.submit("/language/en", {"next": "/"})
    official = official_text(rules_page(client))
    assert "<h2>3. How to enter</h2>" in official and "<h2>4. Who may enter</h2>" in official
    said = text_of(official)
    assert ("How to enter in VK: repost the post https://vk.com/wall-123456_789 and be a "
            "member of the community https://vk.com/club123456 when the entries close and "
            "at the draw. Entries are read from VK after the entries close; the conditions "
            "are checked again for the winners and the alternates before the results are "
            "published.") in said
    assert ('<a href="https://vk.com/wall-123456_789" rel="nofollow">'
            'https://vk.com/wall-123456_789</a>') in official
    assert '<a href="https://vk.com/club123456" rel="nofollow">' in official


def test_the_rules_state_telegram_and_instagram_sources(client: Browser,
                                                        db: Session) -> None:
    telegram = SocialSource(Network.TELEGRAM, "", "@brand_news",
                            (Condition(ConditionKind.MEMBER),))
    instagram = SocialSource(Network.INSTAGRAM, "17895695668004550", "",
                             (Condition(ConditionKind.TAGGED, 3),))
    make_contest(db, rules=rules_document(sources=(telegram, instagram)))
    client.submit("/language/en", {"next": "/"})
    official = official_text(rules_page(client))
    said = text_of(official)
    assert ("How to enter in Telegram: open the contest's bot from the link on the contest's "
            "page and press Participate. To take part, be subscribed to the channel "
            "@brand_news when the entries close and at the draw.") in said
    assert '<a href="https://t.me/brand_news" rel="nofollow">@brand_news</a>' in official
    assert ("How to enter in Instagram: leave a comment under the post with the media id "
            "17895695668004550 (the one named in the contest's announcement) that tags at "
            "least 3 other accounts.") in said


def russian(monkeypatch: pytest.MonkeyPatch, texts: dict[str, str]) -> None:
    """The domain's catalogs, with ``texts`` in Russian (the lead fills the real ones)."""
    catalog = Catalog(locale="ru")
    for english, translated in texts.items():
        catalog.add(english, translated)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    in_russian = Translations(compiled)
    monkeypatch.setattr(contest.i18n, "translations", lambda language: (
        in_russian if language == "ru" else NullTranslations()))


def test_russian_rules_state_the_conditions_in_russian_whatever_the_visitor_reads(
        client: Browser, db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    russian(monkeypatch, {
        "VK": "ВКонтакте",
        "repost the post {post}": "сделайте репост публикации {post}",
        "be a member of the community {community} when the entries close and at the draw":
            "состойте в сообществе {community} на момент окончания приёма заявок и "
            "розыгрыша",
        "How to enter in {network}: {conditions}.": "Как участвовать во {network}: "
                                                   "{conditions}."})
    make_contest(db, rules=rules_document(language="ru", sources=(VK,)))
    client.submit("/language/en", {"next": "/"})
    said = text_of(official_text(rules_page(client)))
    assert ("Как участвовать во ВКонтакте: сделайте репост публикации "
            "https://vk.com/wall-123456_789 и состойте в сообществе https://vk.com/club123456 "
            "на момент окончания приёма заявок и розыгрыша.") in said
    assert " and " not in said.split("Как участвовать")[1].split(".")[0]

    english = rules_document(sources=(VK,))
    make_contest(db, slug="english-rules", rules=english)
    client.submit("/language/ru", {"next": "/"})
    said = text_of(official_text(client.get("/contests/english-rules/rules").get_data(
        as_text=True)))
    assert "How to enter in VK: repost the post https://vk.com/wall-123456_789 and" in said
    assert "ВКонтакте" not in said


def test_rules_without_sources_are_numbered_and_worded_as_before(client: Browser,
                                                                 db: Session) -> None:
    make_contest(db)
    client.submit("/language/en", {"next": "/"})
    official = official_text(rules_page(client))
    assert re.findall(r"<h2>([^<]+)</h2>", official) == [
        "1. Sponsor and organiser", "2. Entry period", "3. Who may enter",
        "4. Who may not enter", "5. How many entries count", "6. Prizes",
        "7. How winners are chosen", "8. Notification and publication", "9. Complaints",
        "10. No purchase necessary"]
    assert "How to enter" not in official and 'class="source"' not in official
    assert official.startswith('en:\n<h2>1. Sponsor and organiser</h2>')


def test_a_source_added_by_an_amendment_is_told_in_words_in_the_history(
        client: Browser, db: Session) -> None:
    contest_row, _ = make_contest(db)
    before = rules_document()
    amend_contest(db, contest_row, dataclasses.replace(before, sources=(VK,)))
    liked = dataclasses.replace(VK, conditions=(Condition(ConditionKind.LIKED),
                                                Condition(ConditionKind.MEMBER)))
    amend_contest(db, contest_row, dataclasses.replace(before, sources=(liked,)))
    client.submit("/language/en", {"next": "/"})
    html = rules_page(client)
    history = text_of(html[html.index('class="history"'):])
    assert "How to enter in the social networks" in history
    assert "How to enter in VK: repost the post https://vk.com/wall-123456_789" in history
    assert "Source 1: condition 1: kind" in history
    assert "Reposted the post" in history and "Liked the post" in history
    assert "{" not in history and "'network'" not in history
