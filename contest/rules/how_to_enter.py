"""How to enter through the social networks, in words: each source the rules name
(:class:`~contest.rules.document.SocialSource`) and its conditions, as the official rules
state them, in the rules' own language.

The links to the networks are built from the ids the rules hold, as the networks write their
addresses: a VK post ``-123456_789`` is ``https://vk.com/wall-123456_789`` (a community's
wall; a person's wall has no minus), a VK community ``123456`` is
``https://vk.com/club123456``, a public Telegram channel ``@brand_news`` is
``https://t.me/brand_news``. Two ids have no public address: an Instagram media id (the
Graph API's id of a post is not the code in its ``instagram.com/p/…`` address), and a
private Telegram channel's ``-100…`` id. Those are named by their id, and the Instagram post
as "the post named in the contest's announcement": the announcement is where an entrant
finds it.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babel.lists import format_list

from contest.i18n import N_, Message, N_plural, Plural, translate
from contest.rules.document import (
    Condition,
    ConditionKind,
    Network,
    RulesDocument,
    SocialSource,
)

NETWORK_NAMES: Mapping[Network, str] = {
    Network.VK: N_("VK"),
    Network.TELEGRAM: N_("Telegram"),
    Network.INSTAGRAM: N_("Instagram"),
}
"""Each network by the name people know it by."""

CONDITION_NAMES: Mapping[ConditionKind, str] = {
    ConditionKind.MEMBER: N_("Member of the community or subscriber of the channel"),
    ConditionKind.REPOSTED: N_("Reposted the post"),
    ConditionKind.COMMENTED: N_("Commented under the post"),
    ConditionKind.LIKED: N_("Liked the post"),
    ConditionKind.TAGGED: N_("Commented under the post, tagging other accounts"),
}
"""Each condition in a few words, for the editor's boxes and the rules' version history."""

_DOING: Mapping[ConditionKind, str | Plural] = {
    ConditionKind.REPOSTED: N_("repost the post {post}"),
    ConditionKind.COMMENTED: N_("comment under the post {post}"),
    ConditionKind.LIKED: N_("like the post {post}"),
    ConditionKind.TAGGED: N_plural(
        "leave a comment under the post {post} that tags at least {count} other account",
        "leave a comment under the post {post} that tags at least {count} other accounts"),
}

_VK_OWNER_POST = re.compile(r"-?[1-9][0-9]*_[1-9][0-9]*")
_TELEGRAM_NAME = re.compile(r"@[A-Za-z][A-Za-z0-9_]+")


@dataclass(frozen=True)
class Link:
    """An address in the text: ``shown`` as the text writes it, ``url`` where it leads."""

    shown: str
    url: str


@dataclass(frozen=True)
class SourceWords:
    """One source in words: the text, and the links in it to make clickable."""

    text: str
    links: tuple[Link, ...] = ()


def post_link(network: Network, post: str) -> Link | None:
    """The public address of a post, when the network gives one for its id."""
    if network == Network.VK and _VK_OWNER_POST.fullmatch(post):
        url = f"https://vk.com/wall{post}"
        return Link(url, url)
    return None


def community_link(network: Network, community: str) -> Link | None:
    """The public address of a community or channel, when the network gives one."""
    if network == Network.VK and community.isdigit():
        url = f"https://vk.com/club{community}"
        return Link(url, url)
    if network == Network.TELEGRAM and _TELEGRAM_NAME.fullmatch(community):
        return Link(community, f"https://t.me/{community[1:]}")
    return None


def how_to_enter(rules: RulesDocument) -> tuple[SourceWords, ...]:
    """Each of the rules' sources in words, in the rules' language; none without sources."""
    return tuple(source_words(source, rules.language) for source in rules.sources)


def source_words(source: SocialSource, language: str) -> SourceWords:
    """``source`` and its conditions as the official rules state them, in ``language``."""
    post = post_link(source.network, source.post)
    community = community_link(source.network, source.community)
    post_named: object = post.shown if post else Message(
        N_("with the media id {id} (the one named in the contest's announcement)")
        if source.network == Network.INSTAGRAM else N_("with the id {id}"), {"id": source.post})
    community_named: object = community.shown if community else Message(
        N_("with the id {id}"), {"id": source.community})
    clauses = [_doing(condition, post_named, language) for condition in source.conditions
               if condition.kind in _DOING]
    if source.needs(ConditionKind.MEMBER) is not None:
        clauses.append(translate(
            N_("be subscribed to the channel {channel} when the entries close and at the "
               "draw") if source.network == Network.TELEGRAM else
            N_("be a member of the community {community} when the entries close and at the "
               "draw"), language, {"channel": community_named, "community": community_named}))
    network = translate(NETWORK_NAMES[source.network], language)
    if source.network == Network.TELEGRAM:
        sentences = [translate(N_("How to enter in {network}: open the contest's bot from the "
                                  "link on the contest's page and press Participate."),
                               language, {"network": network})]
        if clauses:
            sentences.append(translate(N_("To take part, {conditions}."), language,
                                       {"conditions": _joined(clauses, language)}))
            sentences.append(translate(N_(
                "The bot checks this when you press Participate; it is checked again for the "
                "winners and the alternates before the results are published."), language))
    else:
        sentences = [translate(N_("How to enter in {network}: {conditions}."), language,
                               {"network": network,
                                "conditions": _joined(clauses, language)})]
        sentences.append(translate(N_(
            "Entries are read from {network} after the entries close; the conditions are "
            "checked again for the winners and the alternates before the results are "
            "published."), language, {"network": network}))
    links = tuple(link for link in (post, community) if link is not None)
    return SourceWords(" ".join(sentences), links)


def _doing(condition: Condition, post: object, language: str) -> str:
    return translate(_DOING[condition.kind], language,
                     {"post": post, "count": condition.at_least or 1})


def _joined(clauses: list[str], language: str) -> str:
    """"a, b and c", as ``language`` joins a list."""
    return format_list(clauses, locale=language) if clauses else ""


def source_from_data(data: Mapping[str, Any]) -> SocialSource:
    """A source as published rules hold it (their JSON data, valid when published); raises
    ``ValueError``, ``KeyError`` or ``TypeError`` for data that is not one."""
    conditions = tuple(
        Condition(ConditionKind(item["kind"]), item.get("at_least"))
        for item in data.get("conditions", []))
    return SocialSource(Network(data["network"]), str(data.get("post", "")),
                        str(data.get("community", "")), conditions)

