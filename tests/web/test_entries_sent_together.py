"""Entries sent to the API at the same moment share a group commit: one entry whose text is
not text is refused with a ``422`` naming its field, and never costs the entries stored in
the same group their receipts (a lone surrogate once failed the whole group with a 500)."""

import threading
import time
from typing import Any

from flask import Flask
from sqlmodel import Session, col, select

from contest.entries.group_intake import GroupIntake, QueuedEntry
from contest.entries.intake import TakenEntry
from contest.models import Entry
from contest.rules.publishing import CurrentRulesCache
from tests.builders import consented, make_contest, rules_document
from tests.entries.builders import DURING, entrant
from tests.fixtures import Clock

URL = "/api/contests/winter-giveaway/entries"
VALID, REPETITIONS = 15, 20
POISONED = [("full_name", "A\ud800B"), ("address", "ul. Mira\x00 7"), ("city", "Moscow\uffff")]


class HeldIntake(GroupIntake):
    """The app's intake, whose first group is held until every one of ``together`` entries
    is in it or waiting for the next group, so that the entries sent together are stored
    in (at most) two groups; it records each group's size."""

    def __init__(self, app: Flask, together: int) -> None:
        super().__init__(app.extensions["contest.engine"], CurrentRulesCache(),
                         app.extensions["contest.signer"])
        self.together = together
        self.sizes: list[int] = []

    def store(self, group: list[QueuedEntry]) -> list[TakenEntry | BaseException]:
        if not self.sizes:
            deadline = time.monotonic() + 60  # a handshake: a missed one fails on the sizes
            while (len(group) + self.groups.waiting < self.together
                   and time.monotonic() < deadline):
                time.sleep(0.001)
        self.sizes.append(len(group))
        return super().store(group)


def send_together(app: Flask, bodies: list[dict[str, Any]]) -> list[tuple[int, Any]]:
    """Each body posted from its own thread at the same moment: each one's status and JSON
    answer, in order (an exception that escaped the app counts as a 500)."""
    answers: list[tuple[int, Any]] = [(0, None)] * len(bodies)
    barrier = threading.Barrier(len(bodies))

    def post(number: int, body: dict[str, Any]) -> None:
        client = app.test_client()
        barrier.wait()
        try:
            answer = client.post(URL, json=body | consented())
            answers[number] = (answer.status_code, answer.get_json())
        except Exception as error:  # noqa: BLE001 - the app let it escape: a 500
            answers[number] = (500, repr(error))

    threads = [threading.Thread(target=post, args=item) for item in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_poisoned_entries_sent_with_valid_ones_cost_the_valid_ones_nothing(
        app: Flask, db: Session, clock: Clock) -> None:
    make_contest(db, rules=rules_document())
    clock.now = DURING
    app.config["ENTRY_RATE_LIMIT"] = app.config["CONTEST_RATE_LIMIT"] = "1000000 per minute"
    for repetition in range(REPETITIONS):
        valid = [entrant(full_name=f"Person {repetition} {n}", phone=None,
                         email=f"p{repetition}-{n}@example.ru",
                         address=f"ul. Lenina {repetition}-{n}") for n in range(VALID)]
        poisoned = [entrant(email=f"poison{repetition}-{n}@example.ru", phone=None,
                            **{field: value}) for n, (field, value) in enumerate(POISONED)]
        # The poisoned ones among the first, so they would share the valid ones' group.
        bodies = poisoned[:2] + valid[:8] + poisoned[2:] + valid[8:]
        intake = app.extensions["contest.intake"] = HeldIntake(app, together=len(bodies))
        answers = send_together(app, bodies)

        statuses = [(body in poisoned, status) for body, (status, _) in zip(bodies, answers,
                                                                             strict=True)]
        assert sorted(statuses) == [(False, 201)] * VALID + [(True, 422)] * len(POISONED), (
            repetition, answers)
        for body, (_, answer) in zip(bodies, answers, strict=True):
            if body in poisoned:
                field = next(field for field, value in POISONED if body.get(field) == value)
                assert [(e["field"], e["code"]) for e in answer["errors"]] == [
                    (field, "not_text")]
        # They were all taken together, the poisoned ones refused in their groups: in at most
        # two groups, none lost.
        assert sum(intake.sizes) == len(bodies) and len(intake.sizes) <= 2, intake.sizes
        receipts = {answer["ticket"]: body["email"] for body, (status, answer)
                    in zip(bodies, answers, strict=True) if status == 201}
        stored = dict(db.exec(select(Entry.ticket, Entry.email).where(
            col(Entry.email).in_([body["email"] for body in bodies]))).all())
        assert stored == receipts and len(stored) == VALID
