"""The scoring runner: batches, loads models once off the caller's thread, and turns a scorer
that fails or runs late into data about the comment."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from commentdesk.scoring.protocol import Score, ScoringContext
from commentdesk.scoring.runner import Runner
from commentdesk.scoring.worker import groups
from tests.unit.test_broker import run

CONTEXT = ScoringContext(site_id=1, story_title="Budget", story_text="The council's budget.")


class Counting:
    """A batch scorer that records each batch it gets and when it loaded."""

    name = "counting"

    def __init__(self, gate: threading.Event | None = None) -> None:
        self.batches: list[list[str]] = []
        self.loads: list[str] = []
        self.gate = gate
        self.busy = threading.Event()

    def load(self) -> None:
        self.loads.append(threading.current_thread().name)

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        raise AssertionError("the runner should prefer score_batch")

    def score_batch(
        self, texts: Sequence[str], contexts: Sequence[ScoringContext]
    ) -> list[list[Score]]:
        self.busy.set()
        if self.gate is not None:
            self.gate.wait(timeout=10)
        self.batches.append(list(texts))
        return [
            [Score("length", min(1.0, len(text) / 100), f"{len(text)} chars")] for text in texts
        ]


class Failing:
    name = "failing"

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        raise RuntimeError("model file missing")


class OutOfRange:
    name = "out_of_range"

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        return [Score("toxicity", 1.5, "too sure")]


class ShortChanged:
    name = "short_changed"

    def score_batch(
        self, texts: Sequence[str], contexts: Sequence[ScoringContext]
    ) -> list[list[Score]]:
        return []


class BadLoad(Counting):
    name = "bad_load"

    def load(self) -> None:
        raise OSError("weights not found")


def wait_for(condition: Callable[[], bool]) -> None:
    for _ in range(1000):  # bounded: at most 10 s
        if condition():
            return
        threading.Event().wait(0.01)
    raise AssertionError("condition never came true")


def test_scores_come_back_in_order_with_the_model_loaded_once_off_the_callers_thread(
    runners: list[Runner],
) -> None:
    counting = Counting()
    runner = Runner([counting], budget_seconds=5)
    runners.append(runner)
    texts = ["a" * length for length in (10, 20, 30)]
    outcomes = runner.score_many(texts, [CONTEXT] * 3)
    assert [outcome.scores[0].value for outcome in outcomes] == [0.1, 0.2, 0.3]
    assert all(outcome.is_complete for outcome in outcomes)
    runner.score("again", CONTEXT)
    assert counting.loads == ["scorer-counting"]
    assert sum(len(batch) for batch in counting.batches) == 4


def test_comments_that_arrive_together_are_scored_in_one_batch(runners: list[Runner]) -> None:
    gate = threading.Event()
    counting = Counting(gate)
    runner = Runner([counting], budget_seconds=10, max_batch=8)
    runners.append(runner)
    # The first comment holds the worker; twelve more queue up behind it meanwhile.
    results: dict[int, float] = {}

    def post(number: int) -> None:
        results[number] = runner.score("x" * number, CONTEXT).scores[0].value

    jobs = runner._workers[0].jobs
    first = threading.Thread(target=post, args=(1,))
    first.start()
    wait_for(counting.busy.is_set)  # the worker took the first comment and is held
    others = [threading.Thread(target=post, args=(n,)) for n in range(2, 14)]
    for thread in others:
        thread.start()
    wait_for(lambda: jobs.qsize() == 12)
    gate.set()
    for thread in [first, *others]:
        thread.join(timeout=10)
    assert results == {n: n / 100 for n in range(1, 14)}
    sizes = [len(batch) for batch in counting.batches]
    assert sizes == [1, 8, 4]


def test_a_failing_scorer_is_recorded_and_the_others_still_count(runners: list[Runner]) -> None:
    runner = Runner([Failing(), Counting(), OutOfRange(), ShortChanged()], budget_seconds=5)
    runners.append(runner)
    outcome = runner.score("hello", CONTEXT)
    assert [score.name for score in outcome.scores] == ["length"]
    assert outcome.failed == ("failing", "out_of_range", "short_changed")
    assert outcome.late == () and not outcome.is_complete


def test_a_scorer_past_the_budget_is_late_and_does_not_hold_up_the_caller(
    runners: list[Runner],
) -> None:
    gate = threading.Event()
    runner = Runner([Counting(gate), Failing()], budget_seconds=0.05)
    runners.append(runner)
    try:
        outcome = runner.score("hello", CONTEXT)
        assert outcome.late == ("counting",) and outcome.failed == ("failing",)
        assert outcome.scores == ()
    finally:
        gate.set()


def test_a_model_that_cannot_load_does_not_stop_the_runner(runners: list[Runner]) -> None:
    runner = Runner([BadLoad()], budget_seconds=5)
    runners.append(runner)
    assert runner.score("still scored", CONTEXT).scores[0].explanation == "12 chars"


def test_no_scorers_is_an_empty_runner(runners: list[Runner]) -> None:
    runner = Runner([], budget_seconds=1)
    runners.append(runner)
    assert not runner
    assert runner.score("anything", CONTEXT).scores == ()


def test_the_event_loops_way_gives_the_same_outcomes(runners: list[Runner]) -> None:
    """`score_soon`: what a posting request awaits; no thread waits for the scorers."""
    runner = Runner([Failing(), Counting(), OutOfRange(), ShortChanged()], budget_seconds=5)
    runners.append(runner)
    outcome = run(lambda: runner.score_soon("hello", CONTEXT))
    assert outcome == runner.score("hello", CONTEXT)
    assert [score.explanation for score in outcome.scores] == ["5 chars"]
    assert outcome.failed == ("failing", "out_of_range", "short_changed")
    assert set(outcome.milliseconds) == {"failing", "counting", "out_of_range", "short_changed"}


def test_the_event_loops_way_stops_waiting_at_the_budget(runners: list[Runner]) -> None:
    gate = threading.Event()
    runner = Runner([Counting(gate), Failing()], budget_seconds=0.05)
    runners.append(runner)
    try:
        outcome = run(lambda: runner.score_soon("hello", CONTEXT))
        assert outcome.late == ("counting",) and outcome.failed == ("failing",)
        assert outcome.milliseconds["counting"] >= 50
    finally:
        gate.set()


def test_the_event_loops_way_through_a_scoring_process(runners: list[Runner]) -> None:
    runner = Runner([Failing(), OutOfRange(), Lengthy()], budget_seconds=30, processes=1)
    runners.append(runner)
    assert runner.processes and runner.processes[0].names == ["failing", "out_of_range", "lengthy"]
    outcome = run(lambda: runner.score_soon("hello", CONTEXT))
    assert outcome.failed == ("failing", "out_of_range")
    assert outcome.scores == (Score("length", 0.05, "5 chars"),)


class Lengthy:
    """Scores length; pickles, so it can run in a scoring process."""

    name = "lengthy"

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        return [Score("length", len(text) / 100, f"{len(text)} chars")]


class Grouped:
    """A batch scorer in the "pair" thread group that says which thread scored it (and pickles,
    so it can go to a scoring process)."""

    thread_group = "pair"

    def __init__(self, name: str, order: list[str], *, fails: bool = False) -> None:
        self.name = name
        self.order = order
        self.fails = fails

    def score_batch(
        self, texts: Sequence[str], contexts: Sequence[ScoringContext]
    ) -> list[list[Score]]:
        self.order.append(f"{self.name} on {threading.current_thread().name}")
        if self.fails:
            raise RuntimeError("model file missing")
        return [[Score(self.name, 0.5, threading.current_thread().name)] for _ in texts]


def test_scorers_in_a_thread_group_share_one_worker_and_score_in_turn(
    runners: list[Runner],
) -> None:
    order: list[str] = []
    first, second, alone = Grouped("first", order), Grouped("second", order), Counting()
    assert groups([first, alone, second]) == [[first, second], [alone]]
    runner = Runner([first, alone, second], budget_seconds=5)
    runners.append(runner)
    outcome = runner.score("hello", CONTEXT)
    assert outcome.is_complete
    assert sorted(score.name for score in outcome.scores) == ["first", "length", "second"]
    assert order[-2:] == ["first on scorer-first+second", "second on scorer-first+second"]
    assert alone.loads == ["scorer-counting"]
    assert len(runner._workers) == 2


def test_a_failing_scorer_in_a_group_does_not_stop_the_next_one(runners: list[Runner]) -> None:
    order: list[str] = []
    runner = Runner(
        [Grouped("first", order, fails=True), Grouped("second", order)], budget_seconds=5
    )
    runners.append(runner)
    outcome = runner.score("hello", CONTEXT)
    assert outcome.failed == ("first",)
    assert [score.name for score in outcome.scores] == ["second"]


def test_only_one_scorer_of_a_group_scores_when_only_it_is_asked_for(
    runners: list[Runner],
) -> None:
    order: list[str] = []
    runner = Runner([Grouped("first", order), Grouped("second", order)], budget_seconds=5)
    runners.append(runner)
    runner.wait_loaded(10)
    del order[:]  # the warm-up's
    outcome = runner.score_many(["hello"], [CONTEXT], only={"second"})[0]
    assert [score.name for score in outcome.scores] == ["second"]
    assert order == ["second on scorer-first+second"]


def test_a_scorer_without_a_group_or_with_an_empty_one_has_its_own_worker() -> None:
    first, second = Counting(), Counting()
    unnamed = Grouped("unnamed", [])
    unnamed.thread_group = ""
    assert groups([first, second, unnamed]) == [[first], [second], [unnamed]]
