"""Policy clauses and score thresholds as pure functions: which clause a reason cites, flag and
`below` thresholds, and the settings a site may not save."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pydantic import ValidationError

from commentdesk.moderation import clauses, pipeline, rules
from commentdesk.moderation.policy import Decision
from commentdesk.moderation.rules import Reason, Verdict
from commentdesk.moderation.schemas import DraftCheck
from commentdesk.moderation.settings import (
    Check,
    LinkPolicy,
    ModerationSettings,
    PolicyClause,
    ScoreThreshold,
)
from commentdesk.scoring.protocol import Score
from commentdesk.scoring.runner import Outcome
from commentdesk.web.dashboard import settings_form
from tests.unit.test_moderation_rules import NO_LISTS, draft, lists

DEFAULTS = ModerationSettings()
# The defaults plus the relevance flag a site turns on to have off-topic comments flagged.
FLAGGING = ModerationSettings(
    score_thresholds={
        **DEFAULTS.score_thresholds,
        "relevance": ScoreThreshold(flag=0.2, below=True),
    }
)


def scored(*scores: Score, settings: ModerationSettings = DEFAULTS) -> rules.Draft:
    return replace(draft(settings=settings), scoring=Outcome(scores=tuple(scores)))


@pytest.mark.parametrize(
    ("code", "clause_key"),
    [
        ("off_topic", "on-topic"),
        ("unconstructive", "on-topic"),
        ("toxicity", "civility"),
        ("threat", "civility"),
        ("banned_word", "civility"),
        ("suspect_word", "civility"),
        ("spam", "no-spam"),
        ("link", "no-spam"),
        ("repeat_post", "no-spam"),
        ("rate_limited", "no-spam"),
        ("scorer_failed", None),
        ("new_commenter", None),
    ],
)
def test_each_reason_code_finds_its_clause_in_the_default_policy(
    code: str, clause_key: str | None
) -> None:
    clause = clauses.clause_of(code, DEFAULTS)
    assert (clause.key if clause else None) == clause_key


def test_every_check_belongs_to_one_default_clause_and_has_a_reason_code() -> None:
    assert all(DEFAULTS.clause_for(check) is not None for check in Check)
    assert set(clauses.CHECK_OF_CODE.values()) == set(Check)


def test_citing_puts_the_clause_in_the_detail_and_quotes_it_to_the_author() -> None:
    reason = Reason("link", "links", "Links to x.example.", "Comments with links wait.", {"n": 1})
    cited = clauses.cite(reason, DEFAULTS)
    assert cited.detail == {
        "n": 1,
        "clause": "no-spam",
        "clause_text": DEFAULTS.policy_clauses[2].text,
    }
    assert cited.author_message == (
        "Our policy: “No spam or self-promotion: no advertising, repeated posts or floods of "
        "links”. Comments with links wait."
    )
    assert cited.message == reason.message


def test_a_site_without_clauses_cites_nothing() -> None:
    reason = Reason("link", "links", "Links to x.example.", "Comments with links wait.")
    assert clauses.cite(reason, ModerationSettings(policy_clauses=[])) == reason


@pytest.mark.parametrize(
    ("threshold", "value", "reached"),
    [
        (ScoreThreshold(flag=0.5, hold=0.7, reject=0.9), 0.4, None),
        (ScoreThreshold(flag=0.5, hold=0.7, reject=0.9), 0.5, "flag"),
        (ScoreThreshold(flag=0.5, hold=0.7, reject=0.9), 0.8, "hold"),
        (ScoreThreshold(flag=0.5, hold=0.7, reject=0.9), 0.9, "reject"),
        (ScoreThreshold(hold=0.7), 0.95, "hold"),
        (ScoreThreshold(flag=0.2, below=True), 0.2, "flag"),
        (ScoreThreshold(flag=0.2, below=True), 0.21, None),
        (ScoreThreshold(reject=0.05, hold=0.1, flag=0.3, below=True), 0.08, "hold"),
        (ScoreThreshold(reject=0.05, hold=0.1, flag=0.3, below=True), 0.0, "reject"),
    ],
)
def test_thresholds_count_at_or_beyond_their_values(
    threshold: ScoreThreshold, value: float, reached: str | None
) -> None:
    assert threshold.reached(value) == reached


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"hold": 0.9, "reject": 0.5}, r"reject \(0.5\) must be at or above hold \(0.9\)"),
        ({"flag": 0.8, "hold": 0.6}, r"hold \(0.6\) must be at or above flag \(0.8\)"),
        (
            {"flag": 0.1, "hold": 0.3, "below": True},
            r"hold \(0.3\) must be at or below flag \(0.1\): low scores count",
        ),
        ({"reject": 0.5, "hold": 0.2, "below": True}, r"reject \(0.5\) must be at or below hold"),
        ({"flag": 1.5}, "less than or equal to 1"),
    ],
)
def test_contradictory_thresholds_are_refused(values: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ModerationSettings.model_validate({"score_thresholds": {"relevance": values}})


@pytest.mark.parametrize(
    ("clause_list", "message"),
    [
        (
            [{"key": "a", "text": "One."}, {"key": "a", "text": "Two."}],
            "two policy clauses have the key 'a'",
        ),
        (
            [
                {"key": "a", "text": "One.", "checks": ["links"]},
                {"key": "b", "text": "Two.", "checks": ["spam", "links"]},
            ],
            "the check 'links' is in clauses 'a' and 'b'",
        ),
        ([{"key": "no spaces", "text": "One."}], "should match pattern"),
        ([{"key": "a", "text": "x" * 301}], "at most 300 characters"),
        ([{"key": "a", "text": "One.", "checks": ["kindness"]}], "Input should be"),
    ],
)
def test_bad_policy_clauses_are_refused(clause_list: list[object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ModerationSettings.model_validate({"policy_clauses": clause_list})


def test_low_relevance_flags_and_publishes_citing_the_clause() -> None:
    decision = pipeline.run(
        scored(Score("relevance", 0.05, "about football"), settings=FLAGGING), NO_LISTS
    )
    assert decision.verdict == Verdict.APPROVE
    [reason] = decision.reasons
    assert reason.code == "off_topic" and reason.phase == "scores"
    assert reason.detail["threshold"] == "flag" and reason.detail["clause"] == "on-topic"
    assert reason.author_message == (
        "Our policy: “We welcome comments that advance the story through relevant opinion, "
        "anecdotes, links and data”. Your comment seems to be about something other than this "
        "story; a moderator may review it."
    )


def test_relevant_comment_and_unthresholded_scores_give_no_reason() -> None:
    decision = pipeline.run(
        scored(
            Score("relevance", 0.6, "on the story"),
            Score("humour", 0.99, "funny"),
            settings=FLAGGING,
        ),
        NO_LISTS,
    )
    assert decision.verdict == Verdict.APPROVE and decision.reasons == ()


def test_a_hold_outranks_a_flag_and_both_reasons_are_kept() -> None:
    decision = pipeline.run(
        scored(Score("relevance", 0.1, "off"), Score("toxicity", 0.95, "idiot"), settings=FLAGGING),
        NO_LISTS,
    )
    assert decision.verdict == Verdict.HOLD
    assert [reason.code for reason in decision.reasons] == ["toxicity", "off_topic"]
    assert decision.deciding is not None and decision.deciding.detail["clause"] == "civility"
    assert decision.author_message is not None
    assert decision.author_message.startswith("Our policy: “Be civil")


def test_a_flag_threshold_on_a_plugin_score_flags_without_a_clause() -> None:
    settings = ModerationSettings(score_thresholds={"humour": ScoreThreshold(flag=0.9)})
    decision = pipeline.run(scored(Score("humour", 0.95, "jokes"), settings=settings), NO_LISTS)
    [reason] = decision.reasons
    assert decision.verdict == Verdict.APPROVE
    assert reason.code == "humour" and reason.detail["threshold"] == "flag"
    assert "clause" not in reason.detail
    assert reason.author_message == "Your comment may break our policy; a moderator may review it."


def test_words_and_links_cite_their_clauses_in_the_pipeline() -> None:
    settings = ModerationSettings(link_policy=LinkPolicy.HOLD_ALL)
    decision = pipeline.run(
        draft("Scum. Read [this](https://x.example.com)", settings=settings),
        lists(banned=("scum",)),
    )
    cited = {reason.code: reason.detail.get("clause") for reason in decision.reasons}
    assert cited == {"banned_word": "civility", "link": "no-spam"}


def test_a_sites_own_clause_words_are_what_the_author_reads() -> None:
    own = ModerationSettings(
        policy_clauses=[PolicyClause(key="stay", text="Stay on the story.", checks=[Check.LINKS])],
        link_policy=LinkPolicy.HOLD_ALL,
    )
    decision = pipeline.run(draft("See https://x.example.com", settings=own), NO_LISTS)
    assert decision.author_message == (
        "Our policy: “Stay on the story”. Comments with links wait for a moderator to review them."
    )


def test_the_nudge_lists_each_issue_with_its_clause() -> None:
    decision = pipeline.run(
        scored(Score("relevance", 0.05, "about football"), settings=FLAGGING), NO_LISTS
    )
    check = DraftCheck.of(decision)
    assert check.outcome == "approve"
    [issue] = check.issues
    assert issue.code == "off_topic" and issue.clause is not None
    assert issue.clause.key == "on-topic" and issue.clause.text.startswith("We welcome")
    assert check.messages == [issue.message]
    welcome = Reason("new_commenter", "trust", "New.", "Welcome!")
    unclaused = DraftCheck.of(Decision(Verdict.HOLD, (welcome,), welcome))
    assert [issue.clause for issue in unclaused.issues] == [None]


def test_default_thresholds_suit_a_new_news_site() -> None:
    thresholds = DEFAULTS.score_thresholds
    assert thresholds["toxicity"].hold == 0.9 and thresholds["toxicity"].reject is None
    # Far off the story is flagged, not held: the comment is published.
    assert thresholds["relevance"].flag == 0.2 and thresholds["relevance"].below
    assert thresholds["relevance"].hold is None
    flagged = pipeline.run(scored(Score("relevance", 0.05, "far")), NO_LISTS)
    assert flagged.verdict == Verdict.APPROVE
    assert [reason.code for reason in flagged.reasons] == ["off_topic"]
    assert pipeline.run(scored(Score("relevance", 0.45, "short")), NO_LISTS).reasons == ()
    # Stored settings from before these fields existed still load.
    old = ModerationSettings.model_validate({"score_thresholds": {"toxicity": {"hold": 0.5}}})
    assert old.score_thresholds["toxicity"].flag is None and len(old.policy_clauses) == 3


def default_form() -> dict[str, str]:
    """The settings form as a browser submits it unchanged, but for the clause rows."""
    return {field.name: field.value for field in settings_form.fields(DEFAULTS)}


def test_the_settings_form_round_trips_clauses_and_drops_empty_rows() -> None:
    [field] = [field for field in settings_form.fields(DEFAULTS) if field.kind == "clauses"]
    assert [row.key for row in field.rows] == ["on-topic", "civility", "no-spam", ""]
    form = default_form() | {
        "policy_clauses.0.key": "on-topic",
        "policy_clauses.0.text": "Stay on the story.",
        "policy_clauses.0.check.relevance": "on",
        "policy_clauses.1.key": "",
        "policy_clauses.1.text": "",
        "policy_clauses.2.key": "kind",
        "policy_clauses.2.text": "Be kind.",
        "policy_clauses.2.check.insult": "on",
        "policy_clauses.2.check.threat": "on",
        "score_thresholds": '{"relevance": {"flag": 0.3, "below": true}}',
        "link_policy": "allow",
    }
    settings, errors = settings_form.parse(form)
    assert errors == {} and settings is not None
    assert [(clause.key, clause.text, clause.checks) for clause in settings.policy_clauses] == [
        ("on-topic", "Stay on the story.", [Check.RELEVANCE]),
        ("kind", "Be kind.", [Check.INSULT, Check.THREAT]),
    ]
    assert settings.score_thresholds["relevance"].below is True


def test_the_settings_form_names_clause_errors_and_keeps_what_was_typed() -> None:
    form = default_form() | {
        "policy_clauses.0.key": "same",
        "policy_clauses.0.text": "One.",
        "policy_clauses.1.key": "same",
        "policy_clauses.1.text": "Two.",
        "policy_clauses.1.check.spam": "on",
        "score_thresholds": '{"toxicity": {"hold": 0.9, "reject": 0.5}}',
        "link_policy": "allow",
    }
    settings, errors = settings_form.parse(form)
    assert settings is None
    assert "two policy clauses have the key 'same'" in errors["policy_clauses"]
    assert "reject (0.5) must be at or above hold (0.9)" in errors["score_thresholds"]
    [field] = [field for field in settings_form.fields(DEFAULTS) if field.kind == "clauses"]
    again = settings_form.refilled(field, form)
    assert [(row.key, row.text, set(row.checks)) for row in again.rows] == [
        ("same", "One.", set()),
        ("same", "Two.", {"spam"}),
        ("", "", set()),
    ]


def test_score_verdict_cites_on_its_own_and_the_pipeline_does_not_cite_twice() -> None:
    # Rescoring after the write calls score_verdict without the pipeline.
    alone = rules.score_verdict(Outcome(scores=(Score("toxicity", 0.95, "idiot"),)), DEFAULTS)
    [reason] = alone.reasons
    assert reason.detail["clause"] == "civility"
    assert clauses.cite(reason, DEFAULTS) == reason
    decision = pipeline.run(scored(Score("toxicity", 0.95, "idiot")), NO_LISTS)
    assert decision.author_message is not None
    assert decision.author_message.count("Our policy:") == 1
