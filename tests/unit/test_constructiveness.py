"""The built-in constructiveness scorer: the shipped weights on literal texts under a story
written here, against comment length on the written set's test half, and the training pieces
(signals, sign-kept fit, saving and loading) on small inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from commentdesk.scoring.builtin import constructive_dev
from commentdesk.scoring.builtin import constructiveness_signals as signals
from commentdesk.scoring.builtin.constructiveness import (
    FEATURES,
    SIGNS,
    ConstructivenessModel,
    ConstructivenessScorer,
)
from commentdesk.scoring.constructiveness_training import FILLERS, fit
from commentdesk.scoring.embedding import EmbeddingKind
from commentdesk.scoring.protocol import ScoringContext

BRIDGE = ScoringContext(
    site_id=1,
    story_title="Harbour Bridge toll to rise to $4 in April",
    story_text=(
        "The port authority will raise the toll on the Harbour Bridge from $3 to $4 for cars "
        "from April, saying repairs to the bridge deck will cost $90 million over ten years. "
        "Commuters from the north shore say there is no free route, and the ferry runs only "
        "every 40 minutes."
    ),
)
SOURCED = (
    "The authority's 2025 repair report (page 9) puts the deck work at $62 million, not $90 "
    "million, so the rise may be bigger than the repairs need. Could the extra dollar apply "
    "at peak hours only?"
)
RANT = (
    "This is a disgrace and everyone involved should be ashamed, every one of them, a "
    "disgrace, a total disgrace, the whole thing is a disgrace and I am disgusted, absolutely "
    "disgusted, shame on them!!"
)


# Every test of the shipped weights runs for both kinds of embedding, each with its own
# trained models.
@pytest.fixture(scope="module", params=list(EmbeddingKind))
def scorer(request: pytest.FixtureRequest) -> ConstructivenessScorer:
    shipped = ConstructivenessScorer(kind=request.param)
    shipped.load()
    return shipped


def score_of(scorer: ConstructivenessScorer, text: str) -> float:
    [score] = scorer.score(text, BRIDGE)
    assert score.name == "constructiveness"
    return score.value


def test_a_sourced_reasoned_comment_beats_a_rant_of_the_same_length(
    scorer: ConstructivenessScorer,
) -> None:
    assert abs(len(SOURCED) - len(RANT)) < 0.1 * len(SOURCED)
    assert score_of(scorer, SOURCED) > 0.8
    assert score_of(scorer, RANT) < 0.2


def test_an_insult_scores_low_and_is_called_uncivil(scorer: ConstructivenessScorer) -> None:
    [score] = scorer.score("You are all idiots and the toll collectors are morons.", BRIDGE)
    assert score.value < 0.2
    assert score.explanation.startswith("Not likely constructive")
    assert "uncivil" in score.explanation


def test_the_explanation_names_the_signals_that_counted(
    scorer: ConstructivenessScorer,
) -> None:
    [score] = scorer.score(SOURCED, BRIDGE)
    assert score.explanation.startswith("Likely constructive")
    for signal in ("cites a source", "uses figures", "on the story"):
        assert signal in score.explanation
    [question] = scorer.score("Why not run the ferry every 20 minutes at rush hour?", BRIDGE)
    assert "asks a question" in question.explanation


def test_a_comment_about_something_else_is_off_the_story(
    scorer: ConstructivenessScorer,
) -> None:
    [score] = scorer.score(
        "I love my cat. She sleeps all day on the sofa and wakes up for dinner at six.", BRIDGE
    )
    assert score.value < 0.3
    assert "off the story" in score.explanation


def test_padding_a_comment_raises_its_length_but_not_its_score(
    scorer: ConstructivenessScorer,
) -> None:
    for comment in ("Typical.", "What a joke. Nothing ever changes in this town."):
        alone = score_of(scorer, comment)
        assert score_of(scorer, " ".join([comment] * 4)) <= alone + 0.05
        for filler in FILLERS.values():
            assert score_of(scorer, comment + filler) < 0.5, (comment, filler)


def test_a_batch_gives_what_one_at_a_time_gives(scorer: ConstructivenessScorer) -> None:
    other = ScoringContext(site_id=1, story_title="Library hours", story_text="The council...")
    texts = [SOURCED, RANT, "", "Will the library open on Sundays?"]
    contexts = [BRIDGE, BRIDGE, BRIDGE, other]
    batch = scorer.score_batch(texts, contexts)
    for text, context, scored in zip(texts, contexts, batch, strict=True):
        [alone] = scorer.score(text, context)
        assert scored[0].value == pytest.approx(alone.value, abs=1e-5)
        assert scored[0].explanation == alone.explanation


def test_the_shipped_weights_beat_length_on_the_written_test_half(
    scorer: ConstructivenessScorer,
) -> None:
    test_half = constructive_dev.test_half()
    contexts = [
        ScoringContext(site_id=1, story_title=comment.story.title, story_text=comment.story.text)
        for comment in test_half
    ]
    scored = scorer.score_batch([comment.text for comment in test_half], contexts)
    labels = [comment.is_constructive for comment in test_half]
    scorer_auc = roc_auc_score(labels, [scores[0].value for scores in scored])
    length_auc = roc_auc_score(labels, [len(comment.text) for comment in test_half])
    assert scorer_auc > 0.9
    assert scorer_auc > length_auc + 0.2


def test_the_written_set_is_big_and_split_in_halves_by_text() -> None:
    assert len(constructive_dev.STORIES) >= 8
    assert len(constructive_dev.COMMENTS) >= 240
    development = constructive_dev.development_half()
    test_half = constructive_dev.test_half()
    assert len(development) + len(test_half) == len(constructive_dev.COMMENTS)
    assert {comment.text for comment in development}.isdisjoint(
        comment.text for comment in test_half
    )
    assert constructive_dev.is_test("Typical.") == constructive_dev.is_test("  typical. ")
    # Length is not the answer: both halves hold long unconstructive and short constructive.
    for half in (development, test_half):
        assert any(len(c.text) > 250 and not c.is_constructive for c in half)
        assert any(len(c.text) < 80 and c.is_constructive for c in half)


def test_markers_count_only_in_sentences_tied_to_the_story() -> None:
    story = signals.content_stems("Ferry timetable cut to one boat an hour", lambda word: True)
    tied = signals.read("Because the ferry is full, we should add a boat.", story_stems=story)
    untied = signals.read("Because it matters, we should all think harder.", story_stems=story)
    assert tied.reasons == 1 and tied.proposals == 1 and tied.story_words == 2
    assert untied.reasons == 0 and untied.proposals == 0 and untied.story_words == 0


def test_repetition_shouting_and_length_are_read_from_the_text() -> None:
    repeated = signals.read("Cut, cut, cut. Same thing every time. Cut, cut, cut. Same thing.")
    plain = signals.read("The ferry carried 410 people on Monday, the port's count says.")
    assert repeated.repetition > 0.3 > plain.repetition
    assert signals.read("THIS IS A DISGRACE!!! VOTE THEM OUT!!!").shouting == 1.0
    assert signals.read("OK.").shouting == 0.0
    long_text = signals.read("word " * 200)
    assert long_text.length == signals.read("word " * signals.LENGTH_CAP_WORDS).length == 1.0


def test_training_keeps_each_coefficient_on_its_side_and_saves_plain_arrays(
    tmp_path: Path,
) -> None:
    generator = np.random.default_rng(0)
    rows = generator.random((80, len(FEATURES)))
    labels = (rows[:, FEATURES.index("figures")] > 0.5).astype(np.int64)
    # A welcome signal that happens to go with the negatives must not come out pushing down.
    rows[:, FEATURES.index("reasons")] = 1.0 - labels + 0.1 * generator.random(80)
    model = fit(rows, labels, 1.0)
    for name, coefficient in zip(FEATURES, model.coefficients, strict=True):
        assert coefficient * SIGNS[name] >= 0, name
    assert model.coefficients[FEATURES.index("figures")] > 0.5
    path = tmp_path / "constructiveness.npz"
    model.save(path)
    loaded = ConstructivenessModel.load(path)
    assert loaded.probability(rows) == pytest.approx(model.probability(rows))
    with np.load(path, allow_pickle=False) as stored:
        assert tuple(stored["features"]) == FEATURES
