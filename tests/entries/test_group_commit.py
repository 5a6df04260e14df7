"""Group commit: items that arrive while a group runs wait and run together as the next group.

Threads stand in for a worker's request threads. The first item's ``run`` is held until the
others are waiting, so the groups these tests expect are the ones that must form.
"""

import threading
import time
from collections.abc import Callable, Hashable

import pytest

from contest.entries.group_intake import GroupCommit


class Recorder:
    """A ``run`` that records its groups and holds the first until told to go on."""

    def __init__(self, outcome: Callable[[int], int | BaseException] = lambda item: item * 10,
                 fail: dict[int, BaseException] | None = None) -> None:
        self.groups: list[list[int]] = []
        self.first_started = threading.Event()
        self.go_on = threading.Event()
        self.outcome = outcome
        self.fail = fail or {}  # group number (from 1) -> what that group raises

    def __call__(self, items: list[int]) -> list[int | BaseException]:
        self.groups.append(list(items))
        if len(self.groups) == 1:
            self.first_started.set()
            assert self.go_on.wait(timeout=60), "the test never let the first group go on"
        if len(self.groups) in self.fail:
            raise self.fail[len(self.groups)]
        return [self.outcome(item) for item in items]


def submit_while_first_runs(commit: GroupCommit[int, int], recorder: Recorder,
                            first: int, others: list[int]) -> dict[int, object]:
    """Submit ``first``, then ``others`` while its group runs; each item's outcome."""
    outcomes: dict[int, object] = {}

    def submit(item: int) -> None:
        try:
            outcomes[item] = commit.submit(item)
        except BaseException as error:  # noqa: BLE001 - the test looks at it
            outcomes[item] = error

    threads = [threading.Thread(target=submit, args=(first,))]
    threads[0].start()
    assert recorder.first_started.wait(timeout=60)
    threads += [threading.Thread(target=submit, args=(item,)) for item in others]
    for thread in threads[1:]:
        thread.start()
    while commit.waiting < len(others):  # a handshake, not a time limit: they all queue
        time.sleep(0.001)
    recorder.go_on.set()
    for thread in threads:
        thread.join()
    return outcomes


def test_items_that_arrive_while_a_group_runs_form_the_next_group() -> None:
    recorder = Recorder()
    commit: GroupCommit[int, int] = GroupCommit(recorder)
    outcomes = submit_while_first_runs(commit, recorder, 1, [2, 3, 4, 5])
    assert recorder.groups[0] == [1]
    assert sorted(recorder.groups[1]) == [2, 3, 4, 5] and len(recorder.groups) == 2
    assert outcomes == {1: 10, 2: 20, 3: 30, 4: 40, 5: 50}
    assert commit.waiting == 0
    assert commit.submit(6) == 60 and recorder.groups[-1] == [6]  # alone: no waiting


def test_a_group_is_never_larger_than_its_limit() -> None:
    recorder = Recorder()
    commit: GroupCommit[int, int] = GroupCommit(recorder, largest=2)
    outcomes = submit_while_first_runs(commit, recorder, 1, [2, 3, 4, 5, 6])
    assert [len(group) for group in recorder.groups] == [1, 2, 2, 1]
    assert sorted(item for group in recorder.groups for item in group) == [1, 2, 3, 4, 5, 6]
    assert outcomes == {item: item * 10 for item in range(1, 7)}


def parity(item: int) -> Hashable:
    return item % 2


def test_items_of_another_key_wait_for_a_group_of_their_own() -> None:
    recorder = Recorder()
    commit: GroupCommit[int, int] = GroupCommit(recorder, key=parity)
    outcomes = submit_while_first_runs(commit, recorder, 1, [2, 3, 4, 5])
    assert [sorted(group) for group in recorder.groups[1:]] in ([[2, 4], [3, 5]],
                                                                [[3, 5], [2, 4]])
    assert outcomes == {item: item * 10 for item in range(1, 6)}


def test_an_error_of_the_whole_group_reaches_each_of_its_items_and_the_next_group_runs(
) -> None:
    failure = ValueError("group 2 failed")
    recorder = Recorder(fail={2: failure})
    commit: GroupCommit[int, int] = GroupCommit(recorder)
    outcomes = submit_while_first_runs(commit, recorder, 1, [2, 3, 4])
    assert sorted(recorder.groups[1]) == [2, 3, 4]
    assert outcomes == {1: 10, 2: failure, 3: failure, 4: failure}
    assert commit.submit(5) == 50


def test_an_interrupt_reaches_the_leader_alone_and_its_group_learns_it_was_interrupted(
) -> None:
    interrupt = KeyboardInterrupt()
    recorder = Recorder(fail={2: interrupt})
    commit: GroupCommit[int, int] = GroupCommit(recorder)
    outcomes = submit_while_first_runs(commit, recorder, 1, [2, 3, 4])
    group = recorder.groups[1]
    assert outcomes[group[0]] is interrupt  # its leader: the first of the group
    for item in group[1:]:
        error = outcomes[item]
        assert isinstance(error, RuntimeError) and error.__cause__ is interrupt
        assert str(error) == "the group's leader was interrupted"
    assert commit.submit(5) == 50


def test_an_error_of_one_item_reaches_that_item_alone() -> None:
    def outcome(item: int) -> int | BaseException:
        return ValueError(f"item {item} is bad") if item == 3 else item * 10

    recorder = Recorder(outcome)
    commit: GroupCommit[int, int] = GroupCommit(recorder)
    outcomes = submit_while_first_runs(commit, recorder, 1, [2, 3, 4])
    assert isinstance(outcomes[3], ValueError) and str(outcomes[3]) == "item 3 is bad"
    assert {item: outcomes[item] for item in (1, 2, 4)} == {1: 10, 2: 20, 4: 40}


def test_a_run_that_answers_for_the_wrong_number_of_items_fails_the_group() -> None:
    commit: GroupCommit[int, int] = GroupCommit(lambda items: [])
    with pytest.raises(AssertionError, match="0 outcomes for 1 items"):
        commit.submit(1)
