"""A site's own assistant head: a logistic regression over the scorers' values, fitted on that
site's moderators' decisions (`scoring.site_training`) and kept as plain numbers in the site's
settings JSON. Pure: it reads no database and loads no file."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from commentdesk.scoring.protocol import Score

ScoreName = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]

# What the author is told when the head holds a comment (the same words as a score threshold's).
AUTHOR_MESSAGE = "Your comment may break our policy; a moderator will look at it."


class Agreement(BaseModel):
    """How well a verdict agreed with moderators on some decisions: accuracy, Cohen's kappa
    (agreement beyond chance, 0 for a verdict no better than chance, 1 for perfect), and the
    precision and recall of "would hold or reject" for comments moderators rejected (None when
    nothing was held, or nothing rejected)."""

    model_config = ConfigDict(extra="forbid")

    decisions: int = Field(ge=0)
    accuracy: Share
    kappa: float = Field(ge=-1.0, le=1.0)
    precision: Share | None = None
    recall: Share | None = None


class AssistantHead(BaseModel):
    """A site's head: P(rejected) = 1 / (1 + exp(-(intercept + sum of coefficient x score))).
    At or above `threshold` a comment is held for a moderator (never rejected)."""

    model_config = ConfigDict(extra="forbid")

    coefficients: dict[ScoreName, Finite] = Field(min_length=1, max_length=50)
    intercept: Finite
    threshold: Share
    trained_at: datetime
    decisions: int = Field(ge=0, description="Labelled decisions it was fitted and tested on.")
    before: Agreement = Field(description="The verdict it replaced, on the held-out decisions.")
    after: Agreement = Field(description="This head's verdict, on the same held-out decisions.")

    def likelihood(self, scores: Iterable[Score]) -> float | None:
        """How likely moderators would reject a comment with these scores; None when a score
        the head needs is missing (its scorer failed or is no longer installed)."""
        values = {score.name: score.value for score in scores}
        if any(name not in values for name in self.coefficients):
            return None
        return logistic(
            self.intercept
            + sum(weight * values[name] for name, weight in self.coefficients.items())
        )

    def explain(self, likelihood: float) -> str:
        """The reason moderators read when the head holds a comment."""
        return (
            "The assistant, trained on this site's decisions, rates it "
            f"{likelihood:.2f} likely to be rejected."
        )


def logistic(value: float) -> float:
    # Written both ways so that neither branch overflows math.exp.
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exponent = math.exp(value)
    return exponent / (1.0 + exponent)


def _no_head_when_empty(value: Any) -> Any:
    # `{}` is what an emptied JSON box on the desk's settings form sends: no head.
    return None if value == {} else value


# The settings field's type: a head, or None (also from `{}`).
HeadSetting = Annotated[AssistantHead | None, BeforeValidator(_no_head_when_empty)]
