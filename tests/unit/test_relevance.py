"""The built-in relevance scorer on literal stories and comments, with the real embedding model
(the development set and the shared data are not needed here)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from commentdesk.scoring import embedding
from commentdesk.scoring.builtin.relevance import CALIBRATIONS, RelevanceScorer, similarities
from commentdesk.scoring.builtin.relevance_vectors import (
    StoryEmbeddings,
    fit_words,
    load_words,
    story_pieces,
    story_words_text,
)
from commentdesk.scoring.embedding import EmbeddingKind
from commentdesk.scoring.protocol import Score, ScoringContext
from commentdesk.scoring.relevance_training import (
    CSV_COLUMNS,
    dev_rows,
    fit_calibration,
    write_dev_csv,
)
from commentdesk.scoring.tools import _contexts

FLOOD = (
    "River bursts its banks: sixty homes evacuated",
    "Sixty homes on Mill Lane were evacuated overnight after the river burst its banks "
    "following two days of heavy rain.\n\nFirefighters used boats to reach residents, and a "
    "rest centre opened at the leisure centre. The bridge remains closed.",
)
FOOTBALL = (
    "Town sack manager after sixth straight defeat",
    "The football club has sacked its manager after a 3-0 home defeat left the team second "
    "from bottom of the league.\n\nHis assistant will take charge for Saturday's away match.",
)
BAKERY = (
    "New bakery opens on the market square",
    "A family bakery selling sourdough, croissants and cakes has opened in the old post office "
    "on the market square.",
)


def context(
    story: tuple[str, str],
    *others: tuple[str, str],
    parent: str | None = None,
) -> ScoringContext:
    return ScoringContext(
        site_id=1,
        story_title=story[0],
        story_text=story[1],
        parent_text=parent,
        other_stories=others,
    )


# Every test of the shipped weights runs for both kinds of embedding, each with its own
# trained models.
@pytest.fixture(scope="module", params=list(EmbeddingKind))
def scorer(request: pytest.FixtureRequest) -> RelevanceScorer:
    loaded = RelevanceScorer(kind=request.param)
    loaded.load()
    return loaded


def relevance(scorer: RelevanceScorer, text: str, where: ScoringContext) -> Score:
    [score] = scorer.score(text, where)
    return score


def test_an_on_topic_comment_scores_higher_under_its_story_than_under_another(
    scorer: RelevanceScorer,
) -> None:
    text = "Thank you to the firefighters with the boats, my street flooded again."
    home = relevance(scorer, text, context(FLOOD, FOOTBALL, BAKERY))
    away = relevance(scorer, text, context(FOOTBALL, FLOOD, BAKERY))
    assert home.value > 0.5 > away.value
    assert home.explanation == "On topic: close to this story."


def test_an_off_topic_comment_scores_low_and_names_the_closer_story(
    scorer: RelevanceScorer,
) -> None:
    scored = relevance(
        scorer,
        "Worst defending I have seen in twenty years, the manager had to go.",
        context(FLOOD, FOOTBALL, BAKERY),
    )
    assert scored.value < 0.3
    assert scored.explanation == f"Closer to the story '{FOOTBALL[0]}' than to this one."


def test_without_other_stories_the_absolute_calibration_still_ranks(
    scorer: RelevanceScorer,
) -> None:
    on_topic = relevance(scorer, "Is the bridge still closed after the flood?", context(FLOOD))
    off_topic = relevance(scorer, "Their croissants are lovely.", context(FLOOD))
    assert on_topic.value > 0.5 > off_topic.value
    assert off_topic.explanation == "Far from this story."


def test_a_reply_that_answers_its_parent_is_relevant(scorer: RelevanceScorer) -> None:
    # Under the football story, a question about a road drew an answer about the road.
    parent = "Is the bridge on Mill Lane open yet? I need to get to the ground for the match."
    reply = "It was still shut this morning, we had to drive round by the bypass."
    alone = relevance(scorer, reply, context(FOOTBALL, FLOOD, BAKERY))
    answering = relevance(scorer, reply, context(FOOTBALL, FLOOD, BAKERY, parent=parent))
    assert answering.value > 0.5 and answering.value > alone.value
    if scorer.kind is EmbeddingKind.TRANSFORMER:
        # The static embedding places this reply nearer football than the flood (0.66): a
        # road and a bypass are not in its picture of a flood. The model card says so.
        assert alone.value < 0.5
    assert answering.explanation == "On topic: answers the comment it replies to."


def test_a_story_without_text_or_title_gives_one_half(scorer: RelevanceScorer) -> None:
    scored = relevance(scorer, "Good point.", context(("", "  "), FOOTBALL))
    assert scored == Score("relevance", 0.5, "No story text to compare with.")


def test_a_batch_gives_what_one_at_a_time_gives(scorer: RelevanceScorer) -> None:
    texts = ["The bridge is shut again.", "Sack the manager.", "", "Yes, the Westgate one."]
    contexts = [
        context(FLOOD, FOOTBALL),
        context(FLOOD, FOOTBALL, BAKERY),
        context(BAKERY),
        context(FOOTBALL, FLOOD, parent="Which school do they go to?"),
    ]
    batch = scorer.score_batch(texts, contexts)
    for text, where, scored in zip(texts, contexts, batch, strict=True):
        single = scorer.score(text, where)
        assert [score.explanation for score in scored] == [s.explanation for s in single]
        assert scored[0].value == pytest.approx(single[0].value, abs=1e-4)


def test_the_story_embedding_cache_keeps_only_the_most_recent_stories() -> None:
    small = RelevanceScorer(cache_size=2)
    small.score("Which roads are closed?", context(FLOOD, FOOTBALL, BAKERY))
    assert len(small.stories) == 2
    small.score("Lovely sourdough.", context(BAKERY))
    assert len(small.stories) == 2


def test_a_story_is_embedded_as_its_title_and_first_sentences() -> None:
    pieces = story_pieces("Title", "One. Two!\n\nThree? " + " ".join(["More."] * 30))
    assert pieces[:4] == ["Title", "One.", "Two!", "Three?"]
    assert len(pieces) == 12


def test_the_dev_csv_gives_each_row_the_files_other_stories(tmp_path: Path) -> None:
    path = tmp_path / "dev.csv"
    count = write_dev_csv(path)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert count == len(rows) == len(dev_rows())
    assert tuple(rows[0]) == CSV_COLUMNS
    stories = {row["story_id"] for row in rows}
    assert len(stories) >= 16
    first = _contexts(rows)[0]
    assert len(first.other_stories) == len(stories) - 1
    assert (first.story_title, first.story_text) not in first.other_stories


def test_shared_words_add_to_the_similarity_and_unshared_ones_next_to_nothing(
    scorer: RelevanceScorer,
) -> None:
    assert scorer.embedder is not None and scorer.words is not None
    named = "Mill Lane flooded again, and the leisure centre is full of evacuated families."
    unrelated = "Their croissants are lovely."
    found = similarities(
        [named, unrelated],
        [context(FLOOD, BAKERY), context(FLOOD, FOOTBALL)],
        scorer.embedder,
        scorer.words,
        StoryEmbeddings(),
    )
    named_found, unrelated_found = found
    assert named_found is not None and unrelated_found is not None
    # (embedding, words): the words of "Mill Lane", "leisure centre", "evacuated" are shared.
    assert named_found.to_story[1] > 0.2
    # Nothing shared but a few common letter runs: next to nothing.
    assert 0.0 <= unrelated_found.to_story[1] < 0.02
    # The bakery story shares "croissants"-free words with the first comment: almost nothing.
    assert named_found.to_others[0][1][1] < named_found.to_story[1]
    # The calibration's weight puts them together.
    weight = scorer.calibration.lexical_weight
    assert weight > 0
    blended = named_found.comparison(weight).to_story
    assert blended == pytest.approx(named_found.to_story[0] + weight * named_found.to_story[1])


def test_the_pieces_of_words_count_kin_words_that_are_not_the_same() -> None:
    table = load_words()
    floods, flooded, bakery = table.transform(
        ["Floods again.", "Flooded again!", "Lovely croissants."]
    )
    words_only = table.words.transform(["Floods", "Flooded"])
    # No word in common, so the words' half is 0; "flood", "lood" are pieces of both.
    assert (words_only[0] @ words_only[1].T).toarray()[0, 0] == 0.0
    assert (floods @ flooded.T).toarray()[0, 0] > (floods @ bakery.T).toarray()[0, 0] + 0.1


def test_a_reply_shares_words_with_its_parent(scorer: RelevanceScorer) -> None:
    assert scorer.embedder is not None and scorer.words is not None
    parent = "Is the bridge on Mill Lane open yet?"
    [found] = similarities(
        ["The Mill Lane bridge was shut this morning."],
        [context(FLOOD, parent=parent)],
        scorer.embedder,
        scorer.words,
        StoryEmbeddings(),
    )
    assert found is not None and found.to_parent is not None
    assert found.to_parent[1] > 0.3
    assert found.to_others == ()


def test_a_story_is_read_once_and_its_words_from_its_opening(scorer: RelevanceScorer) -> None:
    assert scorer.embedder is not None and scorer.words is not None
    cache = StoryEmbeddings(size=2)
    long_text = FLOOD[1] + " Sourdough." + " filler" * 10_000
    first = cache.get_many([(FLOOD[0], long_text)], scorer.embedder, scorer.words)
    again = cache.get_many([(FLOOD[0], long_text)], scorer.embedder, scorer.words)
    assert len(cache) == 1
    [key] = first
    assert again[key] is first[key]
    assert story_words_text(FLOOD[0], long_text).endswith("filler")
    assert len(story_words_text(FLOOD[0], long_text)) < len(long_text)


def test_a_sets_word_columns_are_stacked_once(scorer: RelevanceScorer) -> None:
    assert scorer.embedder is not None and scorer.words is not None
    cache = StoryEmbeddings()
    found = cache.get_many([FLOOD, BAKERY, FOOTBALL], scorer.embedder, scorer.words)
    stories = list(found.values())
    columns = cache.word_columns(stories)
    assert columns.shape == (stories[0].words.shape[1], 3)
    # Column j is story j's row.
    assert np.array_equal(columns[:, 1].toarray().ravel(), stories[1].words.toarray().ravel())
    assert cache.word_columns(stories) is columns
    assert cache.word_columns(stories[:2]) is not columns


def test_the_word_weights_load_as_fitted() -> None:
    table = load_words()
    assert 30_000 < len(table.words.vocabulary_) <= 60_000
    assert len(table.pieces.vocabulary_) == 100_000
    row = table.transform(["The council's budget, the council's libraries."])
    assert row.shape[0] == 1 and np.isclose(row.multiply(row).sum(), 1.0)
    refitted = fit_words(["flood bridge flood", "bridge council", "council budget"])
    # "flood" is in one text only, under the minimum of two; its pieces too.
    assert sorted(refitted.words.vocabulary_) == ["bridge", "council"]
    assert " br" in refitted.pieces.vocabulary_ and "flo" not in refitted.pieces.vocabulary_


def test_training_reproduces_the_shipped_static_calibration() -> None:
    """`commentdesk train relevance --embedding static` refits the constants; with the shipped
    word weights it must give what `CALIBRATIONS` holds (the transformer's run is the same code,
    slower)."""
    kind = EmbeddingKind.STATIC
    calibration, tried = fit_calibration(embedding.for_training(kind), load_words())
    assert calibration == CALIBRATIONS[kind]
    best = max(tried.values())
    assert tried[f"auc_at_lexical_weight_{calibration.lexical_weight}"] == best
    assert best > tried["auc_at_lexical_weight_0.0"]
