"""Every moderation phase, the policy and the pipeline, as pure functions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from commentdesk.comments.render import render
from commentdesk.moderation import pipeline, policy, rules
from commentdesk.moderation.rules import CompiledLists, Draft, PhaseResult, Reason, Verdict
from commentdesk.moderation.settings import LinkPolicy, ModerationSettings
from commentdesk.moderation.words import WordList, fold

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def draft(body: str = "A fair point about the budget.", **changes: Any) -> Draft:
    settings = changes.pop("settings", ModerationSettings())
    base = Draft(
        body=body,
        html=render(body),
        story_is_closed=False,
        story_is_premoderated=False,
        author_role="commenter",
        author_status="active",
        author_suspended_until=None,
        author_is_premoderated=False,
        author_approved_count=10,
        is_over_rate_limit=False,
        recent_posts=(),
        settings=settings,
        now=NOW,
    )
    return replace(base, **changes)


def lists(banned: tuple[str, ...] = (), suspect: tuple[str, ...] = ()) -> CompiledLists:
    return CompiledLists(WordList.compile(banned), WordList.compile(suspect))


NO_LISTS = lists()


def test_fold_removes_case_and_accents() -> None:
    assert fold("Crème BRÛLÉE") == "creme brulee"


@pytest.mark.parametrize(
    ("entries", "text", "expected"),
    [
        (["idiot"], "What an IDIOT.", ["idiot"]),
        (["idiot"], "idiotic is not idiot", ["idiot"]),
        (["idiot"], "idiotic", []),
        (["idiot*"], "Idiotic people", ["idiot*"]),
        (["*hole"], "you arsehole", ["*hole"]),
        (["f*ck"], "fck and fuck", ["f*ck"]),
        (["crème brûlée"], "CREME brulee please", ["crème brûlée"]),
        (["go back to"], "Go back... to where", ["go back to"]),  # punctuation cannot hide it
        (["go back to"], "go forward to", []),
        (["go back to"], "go back to where", ["go back to"]),
        (["naïve"], "so naive", ["naïve"]),
        (["", "  ", "*"], "anything at all", []),
    ],
)
def test_word_list_matching(entries: list[str], text: str, expected: list[str]) -> None:
    assert WordList.compile(entries).find(text) == expected


def test_length_refuses_over_the_site_limit() -> None:
    settings = ModerationSettings(max_length=20)
    result = rules.length(draft("x" * 21, settings=settings), NO_LISTS)
    assert result.verdict == Verdict.REFUSE
    assert result.reasons[0].code == "too_long"
    assert rules.length(draft("x" * 20, settings=settings), NO_LISTS) == rules.NOTHING


def test_closed_story_refuses() -> None:
    assert rules.story_closed(draft(story_is_closed=True), NO_LISTS).verdict == Verdict.REFUSE
    assert rules.story_closed(draft(), NO_LISTS).verdict is None


@pytest.mark.parametrize(
    ("status", "until", "code"),
    [
        ("banned", None, "account_banned"),
        ("suspended", None, "account_suspended"),
        ("active", NOW + timedelta(hours=1), "account_suspended"),
        ("active", NOW - timedelta(hours=1), None),
        ("active", None, None),
    ],
)
def test_account_standing(status: str, until: datetime | None, code: str | None) -> None:
    result = rules.account_standing(
        draft(author_status=status, author_suspended_until=until), NO_LISTS
    )
    assert (result.reasons[0].code if result.reasons else None) == code
    assert result.verdict == (Verdict.REFUSE if code else None)


def test_rate_limit_refuses_a_post_over_the_limit() -> None:
    over = rules.rate_limit(draft(is_over_rate_limit=True), NO_LISTS)
    assert over.verdict == Verdict.REFUSE
    assert over.reasons[0].code == "rate_limited"
    assert rules.rate_limit(draft(), NO_LISTS) == rules.NOTHING


def test_repeat_post_catches_near_copies_within_the_window() -> None:
    earlier = (("The council must publish the full budget NOW!!", NOW - timedelta(minutes=5)),)
    near_copy = draft("the council must publish the full budget now", recent_posts=earlier)
    assert rules.repeat_post(near_copy, NO_LISTS).reasons[0].code == "repeat_post"
    different = draft("I disagree with the budget vote entirely.", recent_posts=earlier)
    assert rules.repeat_post(different, NO_LISTS) == rules.NOTHING
    stale = (("the council must publish the full budget now", NOW - timedelta(hours=2)),)
    assert rules.repeat_post(replace(near_copy, recent_posts=stale), NO_LISTS) == rules.NOTHING


def test_banned_words_reject_and_suspect_words_hold_with_the_word_named() -> None:
    word_lists = lists(banned=("scum*",), suspect=("corrupt",))
    banned = rules.words(draft("Scumbags, all of them"), word_lists)
    assert banned.verdict == Verdict.REJECT
    assert banned.reasons[0].detail == {"words": ["scum*"]}
    suspect = rules.words(draft("A CORRUPT deal"), word_lists)
    assert suspect.verdict == Verdict.HOLD
    assert suspect.reasons[0].code == "suspect_word"
    assert rules.words(draft("A fair deal"), word_lists) == rules.NOTHING


@pytest.mark.parametrize(
    ("policy_name", "body", "verdict"),
    [
        (LinkPolicy.ALLOW, "See [this](https://spam.example.com/x)", None),
        (LinkPolicy.HOLD_ALL, "See [this](https://news.example.org/x)", Verdict.HOLD),
        (LinkPolicy.HOLD_ALL, "No links here at all.", None),
        (LinkPolicy.HOLD_UNLISTED, "See [this](https://www.news.example.org/x)", None),
        (LinkPolicy.HOLD_UNLISTED, "See [this](https://spam.example.com/x)", Verdict.HOLD),
        (LinkPolicy.HOLD_UNLISTED, "Cheap pills at pills-cheap.xyz today", Verdict.HOLD),
    ],
)
def test_link_policy(policy_name: LinkPolicy, body: str, verdict: Verdict | None) -> None:
    settings = ModerationSettings(link_policy=policy_name, allowed_link_domains=["example.org"])
    assert rules.links(draft(body, settings=settings), NO_LISTS).verdict == verdict


@pytest.mark.parametrize(
    ("role", "verdict"),
    [("staff", Verdict.APPROVE), ("moderator", Verdict.APPROVE), ("commenter", None)],
)
def test_trusted_roles_are_approved(role: str, verdict: Verdict | None) -> None:
    assert rules.trusted_role(draft(author_role=role), NO_LISTS).verdict == verdict


def test_always_premoderated_account_is_held() -> None:
    result = rules.always_premoderated(draft(author_is_premoderated=True), NO_LISTS)
    assert result.verdict == Verdict.HOLD


def test_new_commenters_are_held_until_enough_approvals() -> None:
    settings = ModerationSettings(new_commenter_threshold=3)
    assert (
        rules.new_commenter(draft(author_approved_count=2, settings=settings), NO_LISTS).verdict
        == Verdict.HOLD
    )
    assert (
        rules.new_commenter(draft(author_approved_count=3, settings=settings), NO_LISTS).verdict
        is None
    )


def test_premoderated_story_holds() -> None:
    assert rules.premoderation(draft(story_is_premoderated=True), NO_LISTS).verdict == (
        Verdict.HOLD
    )


def test_policy_takes_the_first_verdict_and_keeps_every_reason() -> None:
    first = Reason("link", "links", "Links to x.com.", "Held for links.")
    second = Reason("trusted_role", "trust", "Staff.")
    decision = policy.decide(
        [
            rules.NOTHING,
            PhaseResult(Verdict.HOLD, (first,)),
            PhaseResult(Verdict.APPROVE, (second,)),
        ]
    )
    assert decision.verdict == Verdict.HOLD
    assert decision.reasons == (first, second)
    assert decision.author_message == "Held for links."


def test_policy_approves_when_no_phase_decides() -> None:
    decision = policy.decide([rules.NOTHING, rules.NOTHING])
    assert decision.verdict == Verdict.APPROVE and decision.deciding is None


def test_pipeline_rejects_a_banned_word_even_from_staff_and_reports_the_link_too() -> None:
    settings = ModerationSettings(link_policy=LinkPolicy.HOLD_ALL)
    decision = pipeline.run(
        draft("Scum. Read [this](https://x.example.com)", author_role="staff", settings=settings),
        lists(banned=("scum",)),
    )
    assert decision.verdict == Verdict.REJECT
    assert [reason.code for reason in decision.reasons] == ["banned_word", "link", "trusted_role"]


def test_pipeline_stops_at_a_refusal() -> None:
    decision = pipeline.run(draft(story_is_closed=True, author_status="banned"), NO_LISTS)
    assert decision.verdict == Verdict.REFUSE
    assert [reason.code for reason in decision.reasons] == ["story_closed"]


def test_pipeline_approves_an_ordinary_comment() -> None:
    decision = pipeline.run(draft(), NO_LISTS)
    assert decision.verdict == Verdict.APPROVE and decision.reasons == ()


def test_settings_reject_bad_values() -> None:
    with pytest.raises(ValueError, match="allowed_link_domains"):
        ModerationSettings(allowed_link_domains=["not a domain"])
    with pytest.raises(ValueError, match="max_length"):
        ModerationSettings(max_length=0)
