"""Scorers in a child process (`scoring.process`, the runner's `processes`): the same outcomes as
in threads, a failing, slow or dying child recorded as data, and scorers that cannot travel
kept in the server's process."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from commentdesk.scoring import process as scoring_process
from commentdesk.scoring.builtin.plugin import BuiltinScorers
from commentdesk.scoring.embedding import EmbeddingKind
from commentdesk.scoring.protocol import Score, ScoringContext
from commentdesk.scoring.runner import Runner
from tests.unit.test_scoring_runner import Failing, Grouped

CONTEXT = ScoringContext(site_id=1, story_title="Budget", story_text="The council's budget.")
LOAD_SECONDS = 60.0


class WherePid:
    """Scores each text by its length, and says which process scored it."""

    name = "where"

    def __init__(self) -> None:
        self.loaded_in: int | None = None

    def load(self) -> None:
        self.loaded_in = os.getpid()

    def score_batch(
        self, texts: Sequence[str], contexts: Sequence[ScoringContext]
    ) -> list[list[Score]]:
        return [
            [Score("length", min(1.0, len(text) / 100), f"pid {os.getpid()} batch {len(texts)}")]
            for text in texts
        ]


class Environment:
    name = "environment"

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        return [Score("arenas", 0.0, os.environ.get("MALLOC_ARENA_MAX", "unset"))]


class Slow:
    name = "slow"

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        time.sleep(2.0 if text == "slow" else 0.0)
        return [Score("slow", 0.5, "took its time")]


class Dying:
    """Ends its process when it reads "die": a crash in native code looks like this."""

    name = "dying"

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        if text == "die":
            os._exit(3)
        return [Score("alive", 0.0, f"pid {os.getpid()}")]


class CrashesOnLoad:
    """Ends its process while loading, as a model that crashes native code would."""

    name = "crashing"

    def load(self) -> None:
        os._exit(4)

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        return []


class Local:
    """Holds a lock, so it cannot pickle: it stays in the caller's process."""

    name = "local"

    def __init__(self) -> None:
        self.lock = threading.Lock()

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        with self.lock:
            return [Score("local", 0.0, f"pid {os.getpid()}")]


def started(runners: list[Runner], *scorers: object, processes: int = 1) -> Runner:
    runner = Runner(scorers, budget_seconds=10.0, processes=processes)  # type: ignore[arg-type]
    runners.append(runner)
    assert runner.wait_loaded(LOAD_SECONDS)
    return runner


def explanation(outcome_scores: Sequence[Score], name: str) -> str:
    return next(score.explanation for score in outcome_scores if score.name == name)


def test_scores_come_back_from_a_child_process_in_order(runners: list[Runner]) -> None:
    runner = started(runners, WherePid(), Local())
    assert runner.names == ["where", "local"]
    assert [process.names for process in runner.processes] == [["where"]]
    child = runner.processes[0].pid
    assert child is not None and child != os.getpid()
    outcomes = runner.score_many(["a" * 10, "b" * 50, "c" * 200], [CONTEXT] * 3)
    assert [outcome.is_complete for outcome in outcomes] == [True] * 3
    assert [[score.value for score in o.scores if score.name == "length"] for o in outcomes] == [
        [0.1],
        [0.5],
        [1.0],
    ]
    # Texts sent together reach the model together, in the child.
    assert explanation(outcomes[0].scores, "length") == f"pid {child} batch 3"
    # The scorer that cannot pickle stayed here.
    assert explanation(outcomes[0].scores, "local") == f"pid {os.getpid()}"


def test_the_child_caps_mallocs_arenas_and_leaves_the_servers_environment_alone(
    runners: list[Runner], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    runner = started(runners, Environment())
    assert explanation(runner.score("x", CONTEXT).scores, "arenas") == "2"
    assert "MALLOC_ARENA_MAX" not in os.environ
    # A value the operator set is the child's too.
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    other = started(runners, Environment())
    assert explanation(other.score("x", CONTEXT).scores, "arenas") == "4"


def test_only_runs_the_named_scorers(runners: list[Runner]) -> None:
    runner = started(runners, WherePid(), Slow())
    outcome = runner.score_many(["text"], [CONTEXT], only={"slow"})[0]
    assert [score.name for score in outcome.scores] == ["slow"]


def test_scorers_in_a_thread_group_share_one_thread_in_the_child(runners: list[Runner]) -> None:
    runner = started(runners, Grouped("first", []), Failing(), Grouped("second", []))
    assert [process.names for process in runner.processes] == [["first", "failing", "second"]]
    outcome = runner.score("text", CONTEXT)
    assert outcome.failed == ("failing",)
    assert {score.name: score.explanation for score in outcome.scores} == {
        "first": "scorer-first+second",
        "second": "scorer-first+second",
    }
    only = runner.score_many(["text"], [CONTEXT], only={"second"})[0]
    assert [score.name for score in only.scores] == ["second"] and only.is_complete


def test_a_thread_group_is_dealt_out_over_several_processes(runners: list[Runner]) -> None:
    runner = started(runners, Grouped("first", []), Grouped("second", []), processes=2)
    assert [process.names for process in runner.processes] == [["first"], ["second"]]
    outcome = runner.score("text", CONTEXT)
    assert {score.name: score.explanation for score in outcome.scores} == {
        "first": "scorer-first",
        "second": "scorer-second",
    }


def test_scorers_spread_over_several_processes(runners: list[Runner]) -> None:
    runner = started(runners, WherePid(), Slow(), Failing(), processes=2)
    assert [process.names for process in runner.processes] == [["where", "failing"], ["slow"]]
    pids = {process.pid for process in runner.processes}
    assert len(pids) == 2 and os.getpid() not in pids
    assert runner.score("text", CONTEXT).failed == ("failing",)


def test_a_failing_scorer_in_the_child_is_recorded_and_the_others_count(
    runners: list[Runner],
) -> None:
    runner = started(runners, WherePid(), Failing())
    outcome = runner.score("hello", CONTEXT)
    assert outcome.failed == ("failing",)
    assert [score.name for score in outcome.scores] == ["length"]


def test_a_slow_scorer_in_the_child_is_late_and_does_not_hold_up_the_caller(
    runners: list[Runner],
) -> None:
    runner = started(runners, WherePid(), Slow())
    outcome = runner.score_many(["slow"], [CONTEXT], budget_seconds=0.2)[0]
    assert outcome.late == ("slow",)
    assert [score.name for score in outcome.scores] == ["length"]
    # Its answer, when it comes, is dropped; the next comment is scored as usual.
    later = runner.score("quick", CONTEXT)
    assert later.is_complete


def test_a_child_that_dies_fails_its_comments_and_the_next_comment_starts_a_new_one(
    runners: list[Runner],
) -> None:
    runner = started(runners, Dying(), Local())
    process = runner.processes[0]
    first = process.pid
    outcome = runner.score("die", CONTEXT)
    assert outcome.failed == ("dying",)
    assert [score.name for score in outcome.scores] == ["local"]  # the server's own scorer
    assert process.starts == 1
    after = runner.score("hello", CONTEXT)
    assert after.is_complete
    assert process.starts == 2 and process.pid != first
    assert explanation(after.scores, "alive") == f"pid {process.pid}"


class Hanging:
    """Stops answering on "hang" and holds the interpreter lock: the child reads nothing more,
    as when a model hangs in native code (bounded: the watchdog ends it within seconds)."""

    name = "hanging"

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        if text == "hang":
            sum(range(10**11))  # one C call: the lock is not given up while it runs
        return [Score("alive", 0.0, f"pid {os.getpid()}")]


def test_a_child_that_stops_answering_is_ended_and_replaced(
    runners: list[Runner], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scoring_process, "STUCK_SECONDS", 1.0)
    monkeypatch.setattr(scoring_process, "WATCH_SECONDS", 0.1)
    runner = started(runners, Hanging())
    process = runner.processes[0]
    first = process.pid
    hung = process.submit_many(["hang"], [CONTEXT], ["hanging"])["hanging"][0]
    with pytest.raises(scoring_process.ScoringProcessDied):
        hung.result(timeout=30)
    # A new child takes a second or more to start: no watchdog this eager while it does.
    monkeypatch.setattr(scoring_process, "STUCK_SECONDS", LOAD_SECONDS)
    after = runner.score_many(["hello"], [CONTEXT], budget_seconds=LOAD_SECONDS)[0]
    assert after.is_complete
    assert process.starts == 2 and process.pid != first


def test_a_child_that_dies_loading_is_not_started_again_for_every_comment(
    runners: list[Runner],
) -> None:
    runner = started(runners, CrashesOnLoad(), Local())
    process = runner.processes[0]
    for _ in range(3):
        outcome = runner.score("hello", CONTEXT)
        assert outcome.failed == ("crashing",)
        assert [score.name for score in outcome.scores] == ["local"]
    assert process.starts == 1


def test_close_stops_the_child(runners: list[Runner]) -> None:
    runner = started(runners, WherePid())
    process = runner.processes[0]
    runner.close()
    assert process._process.exitcode == 0
    outcome = runner.score("after close", CONTEXT)
    assert outcome.failed == ("where",)


def test_the_builtin_scorers_travel_and_score_in_a_child(
    runners: list[Runner], tmp_path: Path
) -> None:
    """The shipped models load in the child and give the same scores as in this process."""
    here = Runner(BuiltinScorers(EmbeddingKind.STATIC).register_scorers(), budget_seconds=30.0)
    runners.append(here)
    child = started(runners, *BuiltinScorers(EmbeddingKind.STATIC).register_scorers())
    child.budget_seconds = 30.0
    assert here.wait_loaded(LOAD_SECONDS)
    assert [process.names for process in child.processes] == [
        ["toxicity", "relevance", "constructiveness", "spam"]
    ]
    # One worker thread for the four, in the child as here.
    assert [worker.names for worker in here._workers] == [
        ["toxicity", "relevance", "constructiveness", "spam"]
    ]
    texts = ["You are a pathetic idiot.", "The council's budget keeps the library open."]
    ours = here.score_many(texts, [CONTEXT] * 2)
    theirs = child.score_many(texts, [CONTEXT] * 2)
    for mine, remote in zip(ours, theirs, strict=True):
        assert remote.is_complete
        assert {s.name: round(s.value, 6) for s in remote.scores} == {
            s.name: round(s.value, 6) for s in mine.scores
        }
    toxicity = {s.name: s.value for s in theirs[0].scores}["toxicity"]
    assert toxicity > 0.5
