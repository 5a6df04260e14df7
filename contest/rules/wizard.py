"""The rules as a marketer fills them in: steps in the marketer's order, and what is still
missing, said in words ("Choose when entries close") rather than as a field's path.

Every rules field belongs to one :class:`Step` (:func:`step_of`); :func:`draft_problems` is
what stands between a draft and publishing (the validation of
:func:`contest.rules.parse.parse_rules`, then the placeholders of
:mod:`contest.rules.placeholders`), and :func:`missing` turns those problems into
:class:`Todo` items, one per thing to do, in the order of the steps. The web's rules editor
and the command line show the same words.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import StrEnum
from typing import Any

from contest.errors import FieldError, RulesInvalid
from contest.i18n import N_, translate
from contest.rules.parse import parse_rules
from contest.rules.placeholders import placeholder_errors


class Step(StrEnum):
    WHAT = "what"
    WHO = "who"
    WHEN = "when"
    SOURCES = "sources"
    PRIZES = "prizes"
    SELECTION = "selection"
    COMPLAINTS = "complaints"
    SECTIONS = "sections"
    PREVIEW = "preview"


STEPS: tuple[Step, ...] = tuple(Step)

STEP_TITLES: Mapping[Step, str] = {
    Step.WHAT: N_("What and whose"),
    Step.WHO: N_("Who may enter"),
    Step.WHEN: N_("When"),
    Step.SOURCES: N_("How to enter"),
    Step.PRIZES: N_("Prizes"),
    Step.SELECTION: N_("How winners are chosen"),
    Step.COMPLAINTS: N_("Complaints"),
    Step.SECTIONS: N_("Legal sections"),
    Step.PREVIEW: N_("Preview"),
}

_STEP_OF_TOP = {
    "title": Step.WHAT, "language": Step.WHAT, "sponsor": Step.WHAT, "organiser": Step.WHAT,
    "agencies": Step.WHAT, "schema": Step.WHAT,
    "eligibility": Step.WHO, "exclusions": Step.WHO, "limits": Step.WHO,
    "period": Step.WHEN,
    "sources": Step.SOURCES,
    "prizes": Step.PRIZES, "winners": Step.PRIZES, "alternates": Step.PRIZES,
    "selection": Step.SELECTION, "announcement": Step.SELECTION,
    "complaints": Step.COMPLAINTS,
    "sections": Step.SECTIONS,
}

# A field's path with its list index replaced by N → what to do about it. The first pattern
# that matches the start of the path wins.
_TODOS: tuple[tuple[str, str], ...] = (
    ("title", N_("Give the contest a title")),
    ("language", N_("Choose the language of the rules")),
    ("sponsor.legal_name", N_("Give the sponsor's legal name")),
    ("sponsor", N_("Check the sponsor's address and contact")),
    ("organiser.legal_name", N_("Give the organiser's legal name")),
    ("organiser", N_("Check the organiser's address and contact")),
    ("agencies", N_("Check agency {number}")),
    ("period.timezone", N_("Choose the contest's time zone")),
    ("period.opens_at", N_("Choose when entries open")),
    ("period.closes_at", N_("Choose when entries close")),
    ("period.draw_at", N_("Choose when the draw takes place")),
    ("period", N_("Choose when entries open and close")),
    ("sources.N.network", N_("Choose the network of source {number}")),
    ("sources.N.post", N_("Give the post of source {number}")),
    ("sources.N.community", N_("Give the community or channel of source {number}")),
    ("sources.N.conditions", N_("Check the conditions of source {number}")),
    ("sources.N", N_("Check source {number}")),
    ("sources", N_("Check where the entries come from")),
    ("eligibility.countries", N_("Choose the countries whose people may enter")),
    ("eligibility.regions", N_("Check the regions whose people may enter")),
    ("eligibility", N_("Check the ages of the people who may enter")),
    ("exclusions", N_("Check who may not enter")),
    ("limits", N_("Check how many entries a person may make")),
    ("prizes.N.name", N_("Name prize {number}")),
    ("prizes.N.quantity", N_("Say how many of prize {number} there are")),
    ("prizes.N.retail_value", N_("Give the value of prize {number}")),
    ("prizes.N.cash_alternative", N_("Check the cash alternative of prize {number}")),
    ("prizes.N", N_("Check prize {number}")),
    ("prizes", N_("Make the prizes add up to the number of winners")),
    ("winners", N_("Give the number of winners")),
    ("alternates", N_("Give the number of alternates")),
    ("selection", N_("Choose how the winners are drawn")),
    ("announcement.notify_by", N_("Say how winners are told")),
    ("announcement", N_("Say when winners are told and how long they have to claim")),
    ("complaints.channel", N_("Give the official address for complaints")),
    ("complaints", N_("Give the time to answer a complaint")),
    ("sections", N_("Check legal section {number}")),
)


@dataclass(frozen=True)
class Todo:
    """One thing the marketer still has to do, at ``field`` in ``step``."""

    step: Step
    field: str
    message: str
    params: Mapping[str, object] = dataclass_field(default_factory=dict)

    def text(self, language: str = "en") -> str:
        return translate(self.message, language, self.params)


def step_of(path: str) -> Step:
    """The step that holds the field at ``path`` (``prizes.0.quantity`` → prizes)."""
    return _STEP_OF_TOP.get(path.split(".", 1)[0], Step.WHAT)


def draft_problems(draft: Mapping[str, Any]) -> list[FieldError]:
    """What stops ``draft`` from being published: its validation errors, or, once it is
    valid, its placeholders and example domains."""
    try:
        rules = parse_rules(draft)
    except RulesInvalid as invalid:
        return list(invalid.errors)
    return placeholder_errors(rules)


def missing(problems: Sequence[FieldError]) -> list[Todo]:
    """One :class:`Todo` per thing to do, in the order of the steps; problems that come to
    the same thing (a prize's amount and its currency) are one."""
    todos: dict[tuple[Step, str, tuple[tuple[str, object], ...]], Todo] = {}
    for problem in problems:
        todo = todo_for(problem.field)
        todos.setdefault((todo.step, todo.message, tuple(todo.params.items())), todo)
    return sorted(todos.values(), key=lambda todo: STEPS.index(todo.step))


def todo_for(path: str) -> Todo:
    """What to do about a problem with the field at ``path``, in words."""
    general = re.sub(r"\.[0-9]+(?=\.|$)", ".N", path)
    numbers = re.findall(r"\.([0-9]+)(?=\.|$)", path)
    params = {"number": int(numbers[0]) + 1} if numbers else {}
    for prefix, message in _TODOS:
        if general == prefix or general.startswith(prefix + "."):
            if "{number}" in message and not numbers:
                continue
            return Todo(step_of(path), path, message, params if "{number}" in message else {})
    return Todo(step_of(path), path, N_("Check this step"))
