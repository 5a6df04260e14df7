"""Kinds of contest to start from: a repost giveaway, a purchase-free sweepstake, a
receipt-code promotion.

The repost giveaway reads its entries from a VK post (its reposts) and requires membership
of the community; its post and community start as examples the marketer must replace.

Each is the starter draft (:func:`contest.rules.starter.starter_rules`) with the limits,
the draw's details and the sections such a contest needs, written in the contest's language
(English, Russian or Ukrainian). What only the marketer knows (the sponsor's legal name, the
complaints address) stays a placeholder that publishing refuses until it is replaced.
"""

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from contest.i18n import N_
from contest.rules.document import ConditionKind, Network, SectionKind
from contest.rules.parse import COMMUNITIES, POSTS
from contest.rules.starter import starter_rules


class Template(StrEnum):
    BLANK = "blank"
    REPOST = "repost"
    SWEEPSTAKE = "sweepstake"
    RECEIPT_CODE = "receipt_code"


TEMPLATE_LABELS: Mapping[Template, str] = {
    Template.BLANK: N_("Standard contest: an entry form, one entry per person"),
    Template.REPOST: N_("Repost giveaway: share the sponsor's post, then enter"),
    Template.SWEEPSTAKE: N_("Sweepstake, no purchase necessary"),
    Template.RECEIPT_CODE: N_("Receipt-code promotion: buy, then enter the receipt's code"),
}


@dataclass(frozen=True)
class _Kind:
    per_person: int
    per_day: int | None
    details: Mapping[str, str]
    how_to_enter: Mapping[str, tuple[str, str]]
    no_purchase: bool = True
    proof: Mapping[str, tuple[str, str]] | None = None
    sources: tuple[Mapping[str, Any], ...] = ()
    """The social networks the entries are read from, as the rules' data names them."""


_KINDS: Mapping[Template, _Kind] = {
    Template.REPOST: _Kind(
        per_person=1, per_day=None,
        details={
            "en": "Each account read from the post that meets the conditions is one entry; "
                  "an account counts once, whatever way it enters.",
            "ru": "Каждый аккаунт, найденный под публикацией и выполнивший условия, — одна "
                  "заявка; аккаунт учитывается один раз, каким бы путём он ни участвовал.",
            "uk": "Кожен акаунт, знайдений під дописом, що виконав умови, — одна заявка; "
                  "акаунт враховується один раз, хоч би яким шляхом він брав участь.",
        },
        how_to_enter={
            "en": ("How to enter",
                   "Repost the contest post to your own page during the entry period and be "
                   "a member of the sponsor's community. Keep the repost public and stay a "
                   "member until the results are published: the conditions are checked "
                   "again for the winners and the alternates before then."),
            "ru": ("Как принять участие",
                   "В период приёма заявок сделайте репост конкурсной публикации на свою "
                   "страницу и вступите в сообщество спонсора. Не удаляйте и не скрывайте "
                   "репост и не выходите из сообщества до публикации итогов: перед ней "
                   "условия проверяются повторно у победителей и резервных участников."),
            "uk": ("Як взяти участь",
                   "Протягом періоду прийому заявок поширте конкурсний допис на своїй "
                   "сторінці та вступіть до спільноти спонсора. Не видаляйте і не "
                   "приховуйте репост і не виходьте зі спільноти до оприлюднення підсумків: "
                   "перед ним умови перевіряються повторно в переможців і резервних "
                   "учасників."),
        },
        # The post and the community are the validation's examples: the marketer must give
        # the contest's own, and publishing refuses the examples (contest.rules.placeholders).
        sources=({"network": Network.VK.value, "post": POSTS[Network.VK][1],
                  "community": COMMUNITIES[Network.VK][1],
                  "conditions": [{"kind": ConditionKind.REPOSTED.value},
                                 {"kind": ConditionKind.MEMBER.value}]},),
    ),
    Template.SWEEPSTAKE: _Kind(
        per_person=1, per_day=None,
        details={
            "en": "Every eligible entry has the same chance of winning.",
            "ru": "У каждой допущенной заявки одинаковые шансы на победу.",
            "uk": "Кожна допущена заявка має однакові шанси на перемогу.",
        },
        how_to_enter={
            "en": ("How to enter",
                   "Fill in the entry form on this page during the entry period. Entering is "
                   "free; one entry per person."),
            "ru": ("Как принять участие",
                   "Заполните форму участия на этой странице в период приёма заявок. Участие "
                   "бесплатное; одна заявка от одного человека."),
            "uk": ("Як взяти участь",
                   "Заповніть форму участі на цій сторінці протягом періоду прийому заявок. "
                   "Участь безкоштовна; одна заявка від однієї особи."),
        },
    ),
    Template.RECEIPT_CODE: _Kind(
        per_person=10, per_day=3, no_purchase=False,
        details={
            "en": "Each receipt code counts once, whoever enters it first.",
            "ru": "Каждый код чека учитывается один раз — у того, кто ввёл его первым.",
            "uk": "Кожен код чека враховується один раз — у того, хто ввів його першим.",
        },
        how_to_enter={
            "en": ("How to enter",
                   "Buy any participating product during the entry period and enter the code "
                   "printed on the receipt in the entry form on this page. Each receipt is "
                   "one entry; up to 10 entries per person and 3 per day."),
            "ru": ("Как принять участие",
                   "Купите любой товар, участвующий в акции, в период приёма заявок и "
                   "введите код с чека в форму участия на этой странице. Один чек — одна "
                   "заявка; не больше 10 заявок от одного человека и 3 в день."),
            "uk": ("Як взяти участь",
                   "Купіть будь-який товар, що бере участь в акції, протягом періоду прийому "
                   "заявок і введіть код з чека у форму участі на цій сторінці. Один чек — "
                   "одна заявка; не більше 10 заявок від однієї особи і 3 на день."),
        },
        proof={
            "en": ("Keep the receipt",
                   "A winner must show the original receipt whose code won to claim the "
                   "prize. Without it the prize passes to the next alternate."),
            "ru": ("Сохраните чек",
                   "Чтобы получить приз, победитель предъявляет оригинал чека, код которого "
                   "выиграл. Без чека приз переходит следующему резервному участнику."),
            "uk": ("Збережіть чек",
                   "Щоб отримати приз, переможець пред'являє оригінал чека, код якого "
                   "виграв. Без чека приз переходить наступному резервному учаснику."),
        },
    ),
}


def template_rules(template: Template, *, language: str, title: str,
                   now: datetime) -> dict[str, Any]:
    """The starting draft of a contest of kind ``template``, in ``language``."""
    draft = starter_rules(language=language, title=title, now=now)
    kind = _KINDS.get(template)
    if kind is None:
        return draft
    rules_language = draft["language"]
    draft["limits"] = {"per_person": kind.per_person, "per_household": None,
                       "per_day": kind.per_day, "counts": "earliest"}
    draft["selection"]["details"] = kind.details[rules_language]
    sections = [section for section in draft["sections"]
                if kind.no_purchase or section["kind"] != SectionKind.NO_PURCHASE.value]
    title_text, text = kind.how_to_enter[rules_language]
    added = [{"kind": SectionKind.OTHER.value, "title": title_text, "text": text}]
    if kind.proof is not None:
        proof_title, proof_text = kind.proof[rules_language]
        added.append({"kind": SectionKind.OTHER.value, "title": proof_title,
                      "text": proof_text})
    draft["sections"] = added + sections
    if kind.sources:
        draft["sources"] = copy.deepcopy(list(kind.sources))
    return draft
