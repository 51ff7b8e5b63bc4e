"""Campaign clustering as a pure function of literal comments: who posted what, where, when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from commentdesk.moderation.campaigns import Posting, find_clusters, normalise

START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
DAY = timedelta(hours=24)
PITCH = [
    "Tired of high energy bills? I cut mine in half with SolarMax panels, see solarmax.example!",
    "Tired of huge energy bills? I cut mine in half with SolarMax panels, see solarmax.example!",
    "tired of high power bills?? i cut mine in half with SolarMax panels - see solarmax.example",
]
ON_TOPIC = [
    "The council's budget cuts to the library are short-sighted; energy bills are the problem.",
    "I think the budget is fine, but the council should publish the energy bills it pays.",
    "Energy bills at the library doubled last year, according to the council's own papers.",
    "The budget ignores the library entirely. The council should be ashamed of this plan.",
]


def postings(
    bodies: list[str], *, authors: list[int], story_id: int = 1, first_id: int = 1
) -> list[Posting]:
    return [
        Posting(
            comment_id=first_id + index,
            story_id=story_id,
            author_id=author,
            body=body,
            posted_at=START + timedelta(minutes=10 * index),
        )
        for index, (body, author) in enumerate(zip(bodies, authors, strict=True))
    ]


def clusters_of(found: list[Posting], **overrides: object) -> list[tuple[int, ...]]:
    options: dict[str, object] = {"window": DAY, "min_accounts": 3, "similarity": 0.7}
    options.update(overrides)
    return [
        cluster.comment_ids
        for cluster in find_clusters(found, **options)  # type: ignore[arg-type]
    ]


def test_a_pitch_with_swapped_words_by_three_accounts_is_one_campaign() -> None:
    found = find_clusters(
        postings([*ON_TOPIC[:2], *PITCH], authors=[10, 11, 1, 2, 3]),
        window=DAY,
        min_accounts=3,
        similarity=0.7,
    )
    assert [cluster.comment_ids for cluster in found] == [(3, 4, 5)]
    assert found[0].account_count == 3
    assert 0.7 <= found[0].similarity < 1.0
    assert found[0].first_at == START + timedelta(minutes=20)
    assert found[0].last_at == START + timedelta(minutes=40)


def test_different_comments_on_one_topic_are_not_a_campaign() -> None:
    assert clusters_of(postings(ON_TOPIC, authors=[1, 2, 3, 4])) == []


def test_one_accounts_repeats_alone_are_not_a_campaign() -> None:
    assert clusters_of(postings(PITCH, authors=[7, 7, 7])) == []
    assert clusters_of(postings(PITCH, authors=[7, 7, 8])) == []


def test_fewer_accounts_than_the_minimum_are_not_a_campaign() -> None:
    assert clusters_of(postings(PITCH, authors=[1, 2, 3]), min_accounts=4) == []


def test_the_same_pitch_on_different_stories_is_not_one_campaign() -> None:
    found = [
        Posting(comment_id=index, story_id=index, author_id=index, body=body, posted_at=START)
        for index, body in enumerate(PITCH, start=1)
    ]
    assert clusters_of(found) == []


def test_comments_further_apart_than_the_window_are_not_linked() -> None:
    spread = [
        Posting(
            comment_id=index,
            story_id=1,
            author_id=index,
            body=body,
            posted_at=START + index * timedelta(hours=20),
        )
        for index, body in enumerate(PITCH, start=1)
    ]
    # Other readers' comments alongside, as on any live site; they weigh the n-grams.
    spread += postings(ON_TOPIC, authors=[11, 12, 13, 14], story_id=2, first_id=100)
    # Each is within the window of the next, so the chain links all three...
    assert clusters_of(spread) == [(1, 2, 3)]
    # ...but not when the window is shorter than the gaps.
    assert clusters_of(spread, window=timedelta(hours=19)) == []


def test_short_stock_replies_by_many_readers_are_not_a_campaign() -> None:
    replies = ["Great article, thanks!", "Great article, thank you!", "great article thanks"]
    assert clusters_of(postings(replies, authors=[1, 2, 3]), similarity=0.5) == []


def test_a_stricter_similarity_leaves_out_the_looser_paraphrase() -> None:
    loose = "Sick of energy bills? SolarMax halved mine. Deals at solarmax.example, go today"
    assert clusters_of(postings([*PITCH, loose], authors=[1, 2, 3, 4])) == [(1, 2, 3)]
    assert clusters_of(postings([*PITCH, loose], authors=[1, 2, 3, 4]), similarity=0.99) == []


def test_normalise_folds_case_accents_and_spaces() -> None:
    assert normalise("  Café\u00a0CRÈME\n\n brûlée\ufeff ") == "cafe creme brulee"


def test_normalise_shortens_runs_of_one_character() -> None:
    assert normalise("Sooooo good!!!!!!!!") == "soo good!!"


def test_exact_copies_are_a_campaign_even_at_full_similarity() -> None:
    copies = [PITCH[0]] * 3
    assert clusters_of(postings(copies, authors=[1, 2, 3]), similarity=1.0) == [(1, 2, 3)]
