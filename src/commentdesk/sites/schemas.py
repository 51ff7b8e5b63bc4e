"""Site output shapes."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from commentdesk.textfields import Title

PolicyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class SitePublicView(BaseModel):
    """What readers see of a site above its threads."""

    id: int
    name: str
    policy: str
    disclaimer: str
    edit_window_seconds: int


class SiteProfile(BaseModel):
    """What editors set about a site's comment section: its name, the policy and disclaimer
    readers see above every thread, site-wide pre-moderation and the authors' edit window."""

    model_config = ConfigDict(extra="forbid")

    name: Title
    policy: PolicyText
    disclaimer: PolicyText
    is_premoderated: bool = Field(description="Hold every new comment for a moderator.")
    edit_window_seconds: int = Field(
        ge=0, le=7 * 86_400, description="How long authors may edit a comment after posting."
    )
