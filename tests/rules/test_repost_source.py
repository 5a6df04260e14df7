"""The repost giveaway starts with a VK source (reposted, member) whose post and community
are the validation's examples: the marketer sees them, and publishing refuses them until
they are the contest's own."""

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from contest.errors import InvalidInput
from contest.rules.document import Condition, ConditionKind, Network, SocialSource
from contest.rules.parse import parse_rules
from contest.rules.placeholders import placeholder_errors
from contest.rules.publishing import create_contest, draft_data, publish, save_draft
from contest.rules.templates import Template, template_rules
from tests.builders import SIGNER, rules_document

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("language", ["en", "ru", "uk"])
def test_the_repost_giveaway_names_a_vk_post_to_repost_and_a_community_to_join(
        language: str) -> None:
    rules = parse_rules(template_rules(Template.REPOST, language=language, title="T", now=NOW))
    assert rules.sources == (SocialSource(
        Network.VK, "-123456_789", "123456",
        (Condition(ConditionKind.REPOSTED), Condition(ConditionKind.MEMBER))),)


def test_the_other_templates_name_no_source_and_their_data_has_no_sources_key() -> None:
    for template in (Template.BLANK, Template.SWEEPSTAKE, Template.RECEIPT_CODE):
        draft = template_rules(template, language="en", title="T", now=NOW)
        assert "sources" not in draft
        assert parse_rules(draft).sources == ()


def test_the_example_ids_are_named_on_their_fields_and_real_ones_are_not() -> None:
    example = SocialSource(Network.TELEGRAM, "", "@brand_news", (Condition(ConditionKind.MEMBER),))
    own = SocialSource(Network.VK, "-777_12", "777", (Condition(ConditionKind.LIKED),
                                                      Condition(ConditionKind.MEMBER)))
    errors = placeholder_errors(rules_document(sources=(own, example)))
    assert [(e.field, e.code, e.text()) for e in errors] == [
        ("sources.1.community", "placeholder",
         "is the example @brand_news: give the contest's own community or channel")]
    instagram = SocialSource(Network.INSTAGRAM, "17895695668004550", "",
                             (Condition(ConditionKind.COMMENTED),))
    assert [e.field for e in placeholder_errors(rules_document(sources=(instagram,)))] == [
        "sources.0.post"]


def test_publishing_refuses_the_repost_giveaways_example_post_and_community(
        session: Session) -> None:
    contest = create_contest(session, slug="reposts", title="Reposts", language="en",
                             actor_id=None, now=NOW, template=Template.REPOST)
    draft = draft_data(contest)
    # Everything else made real: only the source's examples stand in the way.
    real = rules_document(opens_at=NOW + timedelta(days=1)).to_data()
    save_draft(session, contest=contest, draft=real | {"sources": draft["sources"]},
               actor_id=None, now=NOW)
    with pytest.raises(InvalidInput) as refused:
        publish(session, contest=contest, actor_id=None, now=NOW, signer=SIGNER)
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("sources.0.post", "placeholder"), ("sources.0.community", "placeholder")]
    own = dict(draft["sources"][0], post="-987654_321", community="987654")
    save_draft(session, contest=contest, draft=real | {"sources": [own]}, actor_id=None,
               now=NOW)
    version = publish(session, contest=contest, actor_id=None, now=NOW, signer=SIGNER)
    assert version.version == 1


def test_rules_without_sources_keep_their_data_and_hash() -> None:
    rules = rules_document()
    assert "sources" not in rules.to_data()
    with_one = dataclasses.replace(rules, sources=(SocialSource(
        Network.VK, "-1_2", "", (Condition(ConditionKind.LIKED),)),))
    assert with_one.to_data()["sources"] == [
        {"network": "vk", "post": "-1_2", "community": "", "conditions": [{"kind": "liked"}]}]
