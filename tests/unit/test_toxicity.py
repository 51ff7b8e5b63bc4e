"""The built-in toxicity model: the shipped weights on literal texts, and training, saving and
loading on a small labelled set written here (the real data stays outside the project)."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csr_matrix, diags
from sklearn.linear_model import LogisticRegression
from typer.testing import CliRunner

from commentdesk.cli import app as cli_app
from commentdesk.scoring import embedding
from commentdesk.scoring.builtin.toxicity import (
    ATTRIBUTES,
    TONE,
    ToxicityModel,
    ToxicityScorer,
    tone,
)
from commentdesk.scoring.embedding import EmbeddingKind
from commentdesk.scoring.protocol import ScoringContext
from commentdesk.scoring.training import (
    HEAD_OPTIONS,
    READS_TONE,
    Example,
    HeadOptions,
    fit_toxicity,
    is_held_out,
    log_count_ratio,
)

CONTEXT = ScoringContext(site_id=1, story_title="Library hours", story_text="The council...")


# Every test of the shipped weights runs for both kinds of embedding, each with its own
# trained models.
@pytest.fixture(scope="module", params=list(EmbeddingKind))
def scorer(request: pytest.FixtureRequest) -> ToxicityScorer:
    shipped = ToxicityScorer(kind=request.param)
    shipped.load()
    return shipped


def scores_of(scorer: ToxicityScorer, text: str) -> dict[str, float]:
    return {score.name: score.value for score in scorer.score(text, CONTEXT)}


def test_civil_comments_score_low(scorer: ToxicityScorer) -> None:
    for text in (
        "Thanks for the thorough reporting on the library budget.",
        "I disagree with the council: weekend hours matter more than a new building.",
        "My grandmother took me to this branch every Saturday; please keep it open.",
    ):
        assert max(scores_of(scorer, text).values()) < 0.3, text


def test_abuse_scores_high_and_names_its_words(scorer: ToxicityScorer) -> None:
    scored = scorer.score("You are a pathetic idiot and a moron, shut up.", CONTEXT)
    by_name = {score.name: score for score in scored}
    assert [score.name for score in scored] == list(ATTRIBUTES)
    assert by_name["toxicity"].value > 0.8 and by_name["insult"].value > 0.5
    assert "idiot" in by_name["toxicity"].explanation
    assert by_name["toxicity"].explanation.startswith("Likely toxic")
    assert scores_of(scorer, "I will find you and kill you.")["threat"] > 0.5


def test_the_explanation_names_the_tone_that_raised_the_score(scorer: ToxicityScorer) -> None:
    def why(text: str) -> str:
        return next(s.explanation for s in scorer.score(text, CONTEXT) if s.name == "toxicity")

    shouted, plain = why("YOU ARE ALL IDIOTS AND LIARS!!!"), why("you are all idiots and liars")
    assert "'idiots'" in shouted and "'idiots'" in plain
    assert "its " not in plain
    if scorer.kind in READS_TONE:
        assert "its capitals" in shouted and "its exclamation marks" in shouted
    else:
        assert "its " not in shouted


def test_sentences_that_name_identity_groups_are_not_toxic(scorer: ToxicityScorer) -> None:
    for text in ("I am a gay Muslim woman.", "As a Black veteran I read every story here."):
        assert scores_of(scorer, text)["toxicity"] < 0.5, text


def test_a_batch_gives_what_one_at_a_time_gives(scorer: ToxicityScorer) -> None:
    texts = ["A fair point about parking.", "What an idiot.", ""]
    batch = scorer.score_batch(texts, [CONTEXT] * 3)
    for text, scored in zip(texts, batch, strict=True):
        alone = scorer.score(text, CONTEXT)
        assert [s.value for s in scored] == pytest.approx([s.value for s in alone], abs=1e-5)


def test_the_held_out_split_is_a_stable_fifth() -> None:
    texts = [f"comment number {n}" for n in range(2000)]
    held = [text for text in texts if is_held_out(text)]
    assert 300 < len(held) < 500
    assert is_held_out("Comment  NUMBER 7") == is_held_out("comment number 7")


RUDE = ["idiot", "moron", "stupid", "pathetic", "loser", "scum"]
KIND = ["budget", "library", "council", "weekend", "hours", "parking"]


def write_small_data(root: Path) -> None:
    """A labelled set in the shared data's layout, small enough to train in seconds."""
    jigsaw = root / "jigsaw_toxic_train"
    jigsaw.mkdir(parents=True)
    with (jigsaw / "comments.csv").open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["text", "toxic", "severe_toxic", "obscene", "threat", "insult",
                      "identity_hate", "any_label", "labels_complete", "source"])  # fmt: skip
        for n, (a, b) in enumerate(itertools.product(RUDE, KIND)):
            flags = [int(n % k == 0) for k in (7, 3, 5)]  # severe, obscene, threat
            out.writerow([f"you {a} {b} {n}", 1, *flags, 1, int(n % 4 == 0), 1, 1, "test"])
        for n, (a, b) in enumerate(itertools.product(KIND, KIND)):
            out.writerow([f"the {a} and {b} item {n}", 0, "", "", "", "", "", "", 0, "test"])
    spans = root / "civil_comments_toxic_spans"
    spans.mkdir()
    with (spans / "comments.csv").open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["text", "civil_toxic", "span_any", "insult", "identity_attack", "obscene",
                      "threat", "other_toxicity", "semeval_majority_span", "n_raters",
                      "civil_comments_id"])  # fmt: skip
        for n, word in enumerate(RUDE * 3):
            out.writerow([f"what a {word} take {n}", 1, 1, 0.8, 0, 0, 0, 0, 1, 5, n])
    sample = root / "civil_comments_sample1k"
    sample.mkdir()
    with (sample / "comments.csv").open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["text", "toxic"])
        for n, word in enumerate(KIND * 4):
            out.writerow([f"a note on the {word}, number {n}", 0])


def test_train_writes_weights_that_load_and_score(tmp_path: Path) -> None:
    write_small_data(tmp_path / "data")
    weights, held = tmp_path / "toxicity.npz", tmp_path / "held.csv"
    result = CliRunner().invoke(
        cli_app,
        [
            "train",
            "toxicity",
            "--data",
            str(tmp_path / "data"),
            "--out",
            str(weights),
            "--held-out",
            str(held),
        ],
    )
    assert result.exit_code == 0, result.output
    assert '"jigsaw_mean_auc"' in result.output and "false_positive_rate" in result.output
    model = ToxicityModel.load(weights)
    assert set(model.heads) == set(ATTRIBUTES)
    assert model.metadata["rows"]["held_out"] > 0
    trained = ToxicityScorer(weights)
    rude = {s.name: s.value for s in trained.score("you scum budget", CONTEXT)}
    kind = {s.name: s.value for s in trained.score("the parking and hours", CONTEXT)}
    assert rude["toxicity"] > kind["toxicity"] and rude["insult"] > kind["insult"]
    with held.open() as handle:
        rows = list(csv.DictReader(handle))
    assert rows and set(rows[0]) == {"text", "source", *ATTRIBUTES}
    assert all(is_held_out(row["text"]) for row in rows)
    # Saving what was loaded gives the same numbers back.
    again = tmp_path / "again.npz"
    model.save(again)
    texts = ["you idiot", "the council hours"]
    vectors = np.zeros((2, 384), dtype=np.float32)
    first = model.predict(model.features(texts, vectors))
    reloaded = ToxicityModel.load(again)
    second = reloaded.predict(reloaded.features(texts, vectors))
    for attribute in ATTRIBUTES:
        assert first[attribute] == pytest.approx(second[attribute])


def test_the_log_count_ratio_favours_the_positive_rows_columns() -> None:
    # Columns: used by positives only, by negatives only, by both; then one dense column.
    features = csr_matrix(
        np.array([[1, 0, 1, 0.3], [1, 0, 1, -0.2], [0, 1, 1, 0.5], [0, 1, 1, 0.1]])
    )
    target = np.array([1, 1, 0, 0])
    ratio = log_count_ratio(features, target, sparse_columns=3)
    # Smoothed counts: positives (3, 1, 3) of 7, negatives (1, 3, 3) of 7.
    assert ratio[:3] == pytest.approx([np.log(3.0), -np.log(3.0), 0.0])
    assert ratio[3] == 1.0


def test_a_head_fitted_on_scaled_columns_reads_plain_ones_once_folded() -> None:
    generator = np.random.default_rng(0)
    plain = csr_matrix((generator.random((60, 8)) > 0.6).astype(float))
    target = (plain[:, 0].toarray().ravel() + generator.random(60) > 0.8).astype(int)
    ratio = log_count_ratio(plain, target, sparse_columns=8)
    head = LogisticRegression(C=2.0).fit(plain @ diags(ratio), target)
    expected = head.decision_function(plain @ diags(ratio))
    head.coef_ = head.coef_ * ratio
    assert head.decision_function(plain) == pytest.approx(expected)


def test_each_kind_has_options_for_every_attribute() -> None:
    for kind in EmbeddingKind:
        assert set(HEAD_OPTIONS[kind]) == set(ATTRIBUTES)


def test_a_heads_own_weight_for_the_toxic_spans_rows_changes_that_head_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clean = dict.fromkeys(ATTRIBUTES, 0.0)
    rows = [
        *(Example(f"the council meeting ran late {n}", "jigsaw", clean) for n in range(6)),
        *(
            Example(f"i will hurt you tonight {n}", "jigsaw", dict.fromkeys(ATTRIBUTES, 1.0))
            for n in range(3)
        ),
        *(
            Example(
                f"you idiot the council lies {n}", "civil_spans", {"toxicity": 1.0, "threat": 0.0}
            )
            for n in range(3)
        ),
        *(
            Example(f"i will find you idiot {n}", "civil_spans", {"toxicity": 1.0, "threat": 1.0})
            for n in range(3)
        ),
    ]
    vectors = np.zeros((len(rows), 384), dtype=np.float32)

    def fitted(options: HeadOptions) -> ToxicityModel:
        monkeypatch.setitem(HEAD_OPTIONS[EmbeddingKind.STATIC], "threat", options)
        return fit_toxicity(rows, vectors, lambda *_: None, kind=EmbeddingKind.STATIC)

    usual, heavier = (
        fitted(HeadOptions(2.0)),
        fitted(HeadOptions(2.0, source_weights={"civil_spans": 1.0})),
    )
    assert not np.allclose(usual.heads["threat"].coef_, heavier.heads["threat"].coef_)
    for attribute in set(ATTRIBUTES) - {"threat"}:
        assert np.allclose(usual.heads[attribute].coef_, heavier.heads[attribute].coef_)


def test_tone_measures_capitals_exclamations_length_and_masked_words() -> None:
    texts = ["THIS COUNCIL IS A DISGRACE!!!", "a calm note", "f**k off", "OK."]
    shouted, calm, masked, short = (dict(zip(TONE, row, strict=True)) for row in tone(texts))
    assert shouted["capitals"] == pytest.approx(1.0)
    assert shouted["mostly capitals"] == 1.0
    assert shouted["exclamation marks"] == pytest.approx(np.log1p(3) / 2)
    assert calm["capitals"] == 0.0
    assert calm["exclamation marks"] == 0.0
    assert masked["masked words"] == pytest.approx(np.log1p(1))
    assert calm["masked words"] == 0.0
    # "OK." is capitals, but too short to be shouting.
    assert short["mostly capitals"] == 0.0
    assert tone([]).shape == (0, len(TONE))


@pytest.mark.parametrize("kind", list(EmbeddingKind))
def test_each_shipped_model_reads_tone_as_its_kind_was_trained_to(kind: EmbeddingKind) -> None:
    model = ToxicityModel.load(embedding.model_path("toxicity", kind))
    assert model.reads_tone == (kind in READS_TONE)
    features = model.features(["WHAT A DISGRACE!!!"], np.zeros((1, 384), dtype=np.float32))
    width = sum(block.shape[1] for block in features.sparse) + features.dense.shape[1]
    assert all(head.coef_.shape[1] == width for head in model.heads.values())


def test_a_head_that_does_not_read_tone_gets_zero_coefficients_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = [
        *(Example(f"the council meeting {n}", "jigsaw", dict.fromkeys(ATTRIBUTES, 0.0))
          for n in range(6)),
        *(Example(f"YOU IDIOT {n}!!!", "jigsaw", dict.fromkeys(ATTRIBUTES, 1.0))
          for n in range(6)),
    ]  # fmt: skip
    vectors = np.zeros((len(rows), 384), dtype=np.float32)
    monkeypatch.setitem(HEAD_OPTIONS[EmbeddingKind.STATIC], "insult", HeadOptions(2.0))
    monkeypatch.setitem(
        HEAD_OPTIONS[EmbeddingKind.STATIC], "threat", HeadOptions(2.0, reads_tone=False)
    )
    model = fit_toxicity(rows, vectors, lambda *_: None, kind=EmbeddingKind.STATIC)
    assert model.reads_tone
    assert np.any(model.heads["insult"].coef_[0, -len(TONE) :] != 0)
    assert np.all(model.heads["threat"].coef_[0, -len(TONE) :] == 0)
    # The heads' other coefficients are fitted on the same columns either way.
    assert np.any(model.heads["threat"].coef_[0, : -len(TONE)] != 0)
    transformer = fit_toxicity(rows, vectors, lambda *_: None, kind=EmbeddingKind.TRANSFORMER)
    assert not transformer.reads_tone
