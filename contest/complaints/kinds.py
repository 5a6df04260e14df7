"""What a complaint can be about: the codes scripts send and the log records, and the words
the form shows (English message ids)."""

from enum import StrEnum

from contest.i18n import N_


class Kind(StrEnum):
    NOT_INCLUDED = "not_included"
    INELIGIBLE_DECISION = "ineligible_decision"
    WINNER_STAFF_OR_PROXY = "winner_staff_or_proxy"
    PRIZE_NOT_DELIVERED = "prize_not_delivered"
    OTHER = "other"


KIND_LABELS: dict[str, str] = {
    Kind.NOT_INCLUDED: N_("My entry was not included"),
    Kind.INELIGIBLE_DECISION: N_("I disagree with an ineligibility decision"),
    Kind.WINNER_STAFF_OR_PROXY: N_("A winner seems to be staff or a front person"),
    Kind.PRIZE_NOT_DELIVERED: N_("A prize was not delivered"),
    Kind.OTHER: N_("Something else"),
}
