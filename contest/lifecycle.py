"""The contest's life as one state machine: its stages, and who may do what in each.

A contest moves forward only::

    draft → scheduled → open → closed → frozen → randomness taken → drawn

``scheduled``, ``open`` and ``closed`` follow from the published rules and the clock; the last
three from the draw record, which only moves forward: :func:`contest.rules.status.contest_stage`
reads which stage a contest is in. :data:`PERMITTED` below is the whole policy at a glance;
:func:`require` is the one function the domain consults before it acts, and :func:`allowed`
is what the web and the command line ask before they offer a button. Neither of them ever
decides on its own. What an *amendment* may change in each stage is the finer question of
:mod:`contest.rules.amendments`. ``docs/LIFECYCLE.md`` shows the same table for people.

The policy needs nothing of the rules, so it sits below them: the rules' publishing asks it
like every other step of the contest.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from contest.errors import Conflict
from contest.i18n import N_, Message
from contest.models import Role


class Stage(StrEnum):
    """Where a contest stands, in the order it gets there."""

    DRAFT = "draft"
    """Never published."""
    SCHEDULED = "scheduled"
    """Published, entries not open yet."""
    OPEN = "open"
    """Taking entries."""
    CLOSED = "closed"
    """The entry period is over; the entries are not frozen yet."""
    FROZEN = "frozen"
    """The eligible tickets are fixed and the randomness is named."""
    RANDOMNESS_TAKEN = "randomness_taken"
    """The named public randomness is recorded."""
    DRAWN = "drawn"
    """The winners are drawn; only replacements follow."""


class Action(StrEnum):
    """Everything that changes a contest."""

    EDIT_RULES = "edit_rules"
    PUBLISH = "publish"
    AMEND = "amend"
    ENTER = "enter"
    IMPORT_ENTRIES = "import_entries"
    READ_SOURCES = "read_sources"
    LOAD_ROSTER = "load_roster"
    SCAN = "scan"
    DECIDE_FLAG = "decide_flag"
    COMMIT = "commit"
    FREEZE = "freeze"
    REVEAL = "reveal"
    TAKE_RANDOMNESS = "take_randomness"
    DRAW = "draw"
    REPLACE_WINNER = "replace_winner"
    COMPLAIN = "complain"


class Actor(StrEnum):
    """Who acts: a staff role, or anyone at all. An admin may act as any staff role, and the
    command line is run by the operator, who is trusted as an admin."""

    MARKETER = "marketer"
    AUDITOR = "auditor"
    PUBLIC = "public"


MARKETER, AUDITOR, PUBLIC = Actor.MARKETER, Actor.AUDITOR, Actor.PUBLIC
DRAFT, SCHEDULED, OPEN, CLOSED = Stage.DRAFT, Stage.SCHEDULED, Stage.OPEN, Stage.CLOSED
FROZEN, RANDOMNESS_TAKEN, DRAWN = Stage.FROZEN, Stage.RANDOMNESS_TAKEN, Stage.DRAWN
_BEFORE_FREEZE = (SCHEDULED, OPEN, CLOSED)
_PUBLISHED = (SCHEDULED, OPEN, CLOSED, FROZEN, RANDOMNESS_TAKEN, DRAWN)


@dataclass(frozen=True)
class Permission:
    actors: frozenset[Actor]
    stages: frozenset[Stage]


def _who(*actors: Actor) -> frozenset[Actor]:
    return frozenset(actors)


def _when(*stages: Stage) -> frozenset[Stage]:
    return frozenset(stages)


PERMITTED: Final[dict[Action, Permission]] = {
    # action                  who may                       in which stages
    Action.EDIT_RULES:      Permission(_who(MARKETER),           _when(DRAFT, *_BEFORE_FREEZE)),
    Action.PUBLISH:         Permission(_who(MARKETER),           _when(DRAFT)),
    Action.AMEND:           Permission(_who(MARKETER),           _when(*_BEFORE_FREEZE)),
    Action.ENTER:           Permission(_who(PUBLIC),             _when(OPEN)),
    Action.IMPORT_ENTRIES:  Permission(_who(MARKETER),           _when(*_BEFORE_FREEZE)),
    Action.READ_SOURCES:    Permission(_who(MARKETER),           _when(OPEN, CLOSED)),
    Action.LOAD_ROSTER:     Permission(_who(MARKETER, AUDITOR),  _when(DRAFT, *_PUBLISHED)),
    Action.SCAN:            Permission(_who(AUDITOR),            _when(*_BEFORE_FREEZE)),
    Action.DECIDE_FLAG:     Permission(_who(AUDITOR),            _when(*_BEFORE_FREEZE)),
    Action.COMMIT:          Permission(_who(MARKETER, AUDITOR),  _when(SCHEDULED, OPEN)),
    Action.FREEZE:          Permission(_who(MARKETER),           _when(CLOSED)),
    Action.REVEAL:          Permission(_who(MARKETER, AUDITOR),  _when(FROZEN)),
    Action.TAKE_RANDOMNESS: Permission(_who(MARKETER),           _when(FROZEN)),
    Action.DRAW:            Permission(_who(MARKETER),           _when(RANDOMNESS_TAKEN)),
    Action.REPLACE_WINNER:  Permission(_who(AUDITOR),            _when(DRAWN)),
    Action.COMPLAIN:        Permission(_who(PUBLIC),             _when(*_PUBLISHED)),
}
"""Who may take each action, and in which stages. Anything not listed is refused."""

_EXPLAINED: Final[dict[Action, str]] = {
    Action.EDIT_RULES: N_("the rules of {slug} cannot be edited: the contest is {stage}"),
    Action.PUBLISH: N_("{slug} is already published; a new version is an amendment"),
    Action.AMEND: N_("the rules of {slug} cannot be amended: the contest is {stage}"),
    Action.ENTER: N_("{slug} is not taking entries: the contest is {stage}"),
    Action.IMPORT_ENTRIES: N_("entries cannot be imported into {slug}: the contest is {stage}"),
    Action.READ_SOURCES: N_("the social network sources of {slug} cannot be read: the "
                            "contest is {stage}"),
    Action.LOAD_ROSTER: N_("the staff roster of {slug} cannot change: the contest is {stage}"),
    Action.SCAN: N_("the entries of {slug} cannot be scanned: the contest is {stage}"),
    Action.DECIDE_FLAG: N_("flags of {slug} cannot be decided: the contest is {stage}"),
    Action.COMMIT: N_("commitments to the draw of {slug} are taken before the close: the "
                      "contest is {stage}"),
    Action.FREEZE: N_("the entries of {slug} cannot be frozen: the contest is {stage}"),
    Action.REVEAL: N_("secrets for the draw of {slug} cannot be revealed: the contest is "
                      "{stage}"),
    Action.TAKE_RANDOMNESS: N_("the randomness of {slug} cannot be taken: the contest is "
                               "{stage}"),
    Action.DRAW: N_("{slug} cannot be drawn: the contest is {stage}"),
    Action.REPLACE_WINNER: N_("winners of {slug} cannot be replaced: the contest is {stage}"),
    Action.COMPLAIN: N_("{slug} takes no complaints: the contest is {stage}"),
}

STAGE_NAMES: Final[dict[Stage, str]] = {
    Stage.DRAFT: N_("a draft"),
    Stage.SCHEDULED: N_("published, not open yet"),
    Stage.OPEN: N_("open for entries"),
    Stage.CLOSED: N_("closed for entries"),
    Stage.FROZEN: N_("frozen for the draw"),
    Stage.RANDOMNESS_TAKEN: N_("waiting for the draw, its randomness taken"),
    Stage.DRAWN: N_("drawn"),
}


ACTOR_LABELS: Final[dict[Actor, str]] = {
    Actor.MARKETER: N_("a marketer"),
    Actor.AUDITOR: N_("an auditor"),
    Actor.PUBLIC: N_("the public"),
}


class StageForbids(Conflict):
    """The action is not taken in the contest's present stage (or not by this role)."""

    code = "stage_forbids"


def actors_of(role: Role | str | None) -> frozenset[Actor]:
    """Whom a signed-in role may act as; ``None`` is the public. An admin, and the operator
    at the command line, act as any staff role."""
    if role is None:
        return _who(PUBLIC)
    if role == Role.ADMIN:
        return _who(MARKETER, AUDITOR, PUBLIC)
    return _who(Actor(str(role)), PUBLIC)


def roles_for(action: Action) -> tuple[Role, ...]:
    """The staff roles that may take ``action`` (an admin always may), for the web's
    sign-in checks: the table decides them too."""
    return tuple(Role(actor.value) for actor in Actor
                 if actor in PERMITTED[action].actors and actor != Actor.PUBLIC)


def allowed(action: Action, stage: Stage, role: Role | str | None = Role.ADMIN) -> bool:
    """Whether ``role`` (an admin by default: the operator) may take ``action`` in ``stage``."""
    permission = PERMITTED[action]
    return stage in permission.stages and bool(permission.actors & actors_of(role))


def require(action: Action, stage: Stage, *, slug: str,
            role: Role | str | None = Role.ADMIN) -> None:
    """Raise :class:`StageForbids`, naming the stage, unless ``action`` is allowed."""
    if not allowed(action, stage, role):
        raise StageForbids(_EXPLAINED[action],
                           {"slug": slug, "stage": Message(STAGE_NAMES[stage])})


def markdown_table() -> str:
    """:data:`PERMITTED` as the Markdown table ``docs/LIFECYCLE.md`` shows (a test keeps the
    two the same)."""
    head = "| action | who | " + " | ".join(stage.value for stage in Stage) + " |"
    rule = "|---|---|" + "---|" * len(Stage)
    rows = [head, rule]
    for action, permission in PERMITTED.items():
        who = ", ".join(actor.value for actor in Actor if actor in permission.actors)
        marks = " | ".join("✓" if stage in permission.stages else "·" for stage in Stage)
        rows.append(f"| `{action.value}` | {who} | {marks} |")
    return "\n".join(rows) + "\n"
