"""The built-in spam model: its rules on literal texts, the shipped weights on a few comments,
and training, saving and loading on a small labelled set written here (the real data stays
outside the project)."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from commentdesk.cli import app as cli_app
from commentdesk.scoring import spam_training
from commentdesk.scoring.builtin import spam_rules
from commentdesk.scoring.builtin.spam import SpamModel, SpamScorer, explain
from commentdesk.scoring.embedding import EmbeddingKind
from commentdesk.scoring.protocol import ScoringContext
from commentdesk.scoring.spam_training import clean_text

CONTEXT = ScoringContext(site_id=1, story_title="Library hours", story_text="The council...")
CRYPTO_PITCH = (
    "I made $42,000 last month trading bitcoin with Mr. Carter, guaranteed profits. "
    "Contact him on WhatsApp +1 (415) 555-0199."
)
CIVIL_WITH_SOURCE = (
    "The council's own minutes say the library budget was cut by 4%, see "
    "https://www.springfield.gov/minutes for item 7."
)


@pytest.mark.parametrize(
    ("text", "domains"),
    [
        ("See https://www.reuters.com/a and http://reuters.com/b", ["reuters.com"]),
        ("go to example.com/x or shop.example.net now", ["example.com", "shop.example.net"]),
        ("e.g. the U.S. budget, ok.so what", []),
        ("write to joe@example.com", []),
        ("www.one.io, two.xyz and https://three.org/q?x=1", ["one.io", "two.xyz", "three.org"]),
    ],
)
def test_link_domains_counts_distinct_sites_bare_or_not(text: str, domains: list[str]) -> None:
    assert spam_rules.link_domains(text) == domains


@pytest.mark.parametrize(
    ("text", "bait"),
    [
        ("Call now 1-800-555-0147", ["a phone number", "call now"]),
        ("mail sweetangel@gmail.com or dm me", ["an e-mail address", "dm me"]),
        ("Reach him on WhatsApp or Telegram", ["whatsapp", "telegram"]),
        ("The budget rose from $1,200,000 to $1,350,000 in 2019-2020.", []),
        ("Pi is 3.14159265, roughly.", []),
        ("Filed on 12.03.2024, case 2023/2024.", []),
        ("Text me on +44 7700 900123", ["a phone number", "text me"]),
    ],
)
def test_contact_bait_finds_phones_mail_and_chat_apps(text: str, bait: list[str]) -> None:
    assert spam_rules.contact_bait(text) == bait


def test_money_and_promotion_bait_name_their_words() -> None:
    assert spam_rules.money_bait("WIN a FREE prize, claim it") == ["win", "free", "prize", "claim"]
    assert spam_rules.money_bait("The council met on Tuesday.") == []
    assert spam_rules.self_promotion("Check out my channel and subscribe!") == [
        "check out my",
        "subscribe",
    ]
    assert spam_rules.self_promotion("Visit my page, follow me") == ["visit my", "follow me"]


def test_shouting_is_the_share_of_capitals_in_long_enough_texts() -> None:
    assert spam_rules.shouting("BUY NOW THIS IS THE BEST DEAL") == 1.0
    assert spam_rules.shouting("USA!") == 0.0
    assert spam_rules.shouting("The Mayor spoke to the Council on Monday.") < 0.2


def test_repetition_finds_runs_of_characters_and_words() -> None:
    assert spam_rules.repetition("Soooo good!!!!") == ["'oooo'"]
    assert spam_rules.repetition("buy buy buy") == ["'buy' three times running"]
    assert spam_rules.repetition("I agree with the article and with the mayor.") == []


def test_findings_read_like_reasons_and_feed_one_column_per_rule() -> None:
    text = "FREE stuff at a.com, b.net and c.org, subscribe!!!!"
    reasons = [finding.reason for finding in spam_rules.findings(text)]
    assert reasons[:3] == ["links to 3 domains", "'free'", "'subscribe'"]
    features = spam_rules.rule_features([text, "A calm remark about the budget."])
    assert features.shape == (2, len(spam_rules.RULES))
    assert features[0, spam_rules.RULES.index("links")] == 1.0
    shouting = spam_rules.RULES.index("shouting")
    assert features[1, shouting] < 0.1  # a share of capitals even when it is not shouting
    assert not np.delete(features[1], shouting).any()


def test_explanation_lists_rules_or_says_not_likely() -> None:
    found = spam_rules.findings("subscribe at a.com")
    assert explain(0.94, found, []) == "Likely spam (94%): links to 1 domain (a.com); 'subscribe'."
    assert explain(0.03, [], []) == "Not likely spam (3%)."
    assert explain(0.9, [], ["win"]) == "Likely spam (90%): mostly for 'win'."


def test_cleaning_drops_the_youtube_exports_markup() -> None:
    raw = 'Part <a href="http://youtu.be/x">2:19</a><br />rock &amp; roll\ufeff'
    assert clean_text(raw) == "Part http://youtu.be/x 2:19 rock & roll"


# Every test of the shipped weights runs for both kinds of embedding, each with its own
# trained models.
@pytest.fixture(scope="module", params=list(EmbeddingKind))
def scorer(request: pytest.FixtureRequest) -> SpamScorer:
    shipped = SpamScorer(kind=request.param)
    shipped.load()
    return shipped


def test_crypto_pitch_with_contact_bait_is_likely_spam(scorer: SpamScorer) -> None:
    [score] = scorer.score(CRYPTO_PITCH, CONTEXT)
    assert score.name == "spam" and score.value > 0.8
    assert score.explanation.startswith("Likely spam")
    assert "a phone number" in score.explanation and "'whatsapp'" in score.explanation


def test_civil_comment_citing_a_source_is_not_spam(scorer: SpamScorer) -> None:
    [score] = scorer.score(CIVIL_WITH_SOURCE, CONTEXT)
    assert score.value < 0.3
    assert score.explanation.startswith("Not likely spam")
    assert "links to 1 domain (springfield.gov)" in score.explanation


def test_a_batch_gives_what_one_at_a_time_gives(scorer: SpamScorer) -> None:
    texts = [CRYPTO_PITCH, CIVIL_WITH_SOURCE, ""]
    batch = scorer.score_batch(texts, [CONTEXT] * 3)
    for text, scored in zip(texts, batch, strict=True):
        alone = scorer.score(text, CONTEXT)
        assert [s.value for s in scored] == pytest.approx([s.value for s in alone], abs=1e-5)
        assert [s.explanation for s in scored] == [s.explanation for s in alone]


PITCHES = ["win free cash now", "subscribe to my channel", "call now to claim prize"]
REMARKS = ["the council budget vote", "library hours on weekends", "the new bridge plan"]


def write_small_data(root: Path) -> None:
    """A labelled set in the shared data's layout, small enough to train in seconds."""
    youtube = root / "youtube_spam"
    youtube.mkdir(parents=True)
    with (youtube / "comments.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["text", "spam", "video", "video_id", "comment_id"])
        for n, (video, pitch) in enumerate(itertools.product(["A", "B", "C"], PITCHES * 2)):
            out.writerow([f"{pitch} at site{n}.com &amp; more\ufeff", 1, video, video, n])
        for n, (video, remark) in enumerate(itertools.product(["A", "B", "C"], REMARKS * 2)):
            out.writerow([f"i liked {remark} {n}<br />", 0, video, video, 100 + n])
    sms = root / "sms_spam_uci"
    sms.mkdir()
    with (sms / "comments.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["text", "spam"])
        for n, pitch in enumerate(PITCHES * 3):
            out.writerow([f"{pitch} text 0800 555 01{n:02d}", 1])
        for n, remark in enumerate(REMARKS * 6):
            out.writerow([f"see you after {remark} {n}", 0])


def test_train_writes_weights_that_load_and_score(tmp_path: Path) -> None:
    write_small_data(tmp_path / "data")
    weights = tmp_path / "spam.npz"
    result = CliRunner().invoke(
        cli_app, ["train", "spam", "--data", str(tmp_path / "data"), "--out", str(weights)]
    )
    assert result.exit_code == 0, result.output
    model = SpamModel.load(weights)
    assert set(model.metadata["leave_one_video_out"]) == {"A", "B", "C"}
    assert model.metadata["sms_to_youtube"] is not None and "news" in model.metadata
    trained = SpamScorer(weights)
    [pitch] = trained.score("win free cash now at deals.com", CONTEXT)
    [remark] = trained.score("i liked the council budget vote", CONTEXT)
    assert pitch.value > remark.value
    # Saving what was loaded gives the same numbers back.
    again = tmp_path / "again.npz"
    model.save(again)
    texts = ["claim your prize", "the bridge plan"]
    vectors = np.zeros((2, 384), dtype=np.float32)
    reloaded = SpamModel.load(again)
    first = model.predict(model.features(texts, vectors))
    assert reloaded.predict(reloaded.features(texts, vectors)) == pytest.approx(first)


def test_the_written_news_comments_can_be_written_for_eval(tmp_path: Path) -> None:
    target = tmp_path / "news.csv"
    assert spam_training.write_news_csv(target) == 124
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["spam"] for row in rows} == {"0", "1"}
    assert sum(row["spam"] == "1" for row in rows) == 62
    assert all(row["text"] for row in rows)
