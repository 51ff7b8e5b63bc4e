"""Policy clauses in reasons: which check each reason code belongs to, and a reason citing the
site's clause for that check (to moderators in its detail, to the author in its message).
Pure: reads only the settings it is given."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from commentdesk.moderation.settings import Check, ModerationSettings, PolicyClause

if TYPE_CHECKING:
    # rules uses this module's score codes and messages; a Reason is only a type here.
    from commentdesk.moderation.rules import Reason

# A score's reason code is the score's name, except where a name says what was found better.
SCORE_CODES = {"relevance": "off_topic", "constructiveness": "unconstructive"}

CHECK_OF_CODE: dict[str, Check] = {
    "banned_word": Check.BANNED_WORDS,
    "suspect_word": Check.SUSPECT_WORDS,
    "link": Check.LINKS,
    "repeat_post": Check.REPEATS,
    "rate_limited": Check.RATE,
    "off_topic": Check.RELEVANCE,
    "unconstructive": Check.CONSTRUCTIVENESS,
    **{
        check.value: check
        for check in (
            Check.TOXICITY,
            Check.SEVERE_TOXICITY,
            Check.INSULT,
            Check.THREAT,
            Check.IDENTITY_ATTACK,
            Check.OBSCENITY,
            Check.SPAM,
        )
    },
}

# What the author is told a score found, before what happens to the comment.
_FOUND = {
    "off_topic": "Your comment seems to be about something other than this story",
    "unconstructive": "Your comment seems to add little to the discussion",
    "spam": "Your comment looks like advertising or spam",
}
_HAPPENS = {
    "flag": "; a moderator may review it.",
    "hold": "; a moderator will look at it.",
    "reject": ", so it was not published.",
}


def score_code(score_name: str) -> str:
    """The reason code for a score that reached a threshold."""
    return SCORE_CODES.get(score_name, score_name)


def score_author_message(code: str, reached: str) -> str:
    """What the author is told when a score reaches the `reached` threshold (flag, hold,
    reject)."""
    if code not in _FOUND and reached == "reject":
        return "Your comment breaks our comment policy."
    return _FOUND.get(code, "Your comment may break our policy") + _HAPPENS[reached]


def check_of(code: str) -> Check | None:
    """The check a reason code comes from, if it is one a clause can cite."""
    return CHECK_OF_CODE.get(code)


def clause_of(code: str, settings: ModerationSettings) -> PolicyClause | None:
    """The site's clause a reason with this code cites, if any."""
    check = check_of(code)
    return settings.clause_for(check) if check is not None else None


def cite(reason: Reason, settings: ModerationSettings) -> Reason:
    """The reason with its clause: the key and text in `detail`, the text quoted before the
    author's message. A reason no clause covers, or already citing one, is returned as it was."""
    clause = clause_of(reason.code, settings)
    if clause is None or "clause" in reason.detail:
        return reason
    told = reason.author_message
    if told is not None:
        told = f"Our policy: “{clause.text.rstrip('.')}”. {told}"
    detail = {**reason.detail, "clause": clause.key, "clause_text": clause.text}
    return replace(reason, author_message=told, detail=detail)
