"""Site output shapes."""

from __future__ import annotations

from pydantic import BaseModel


class SitePublicView(BaseModel):
    """What readers see of a site above its threads."""

    id: int
    name: str
    policy: str
    disclaimer: str
    edit_window_seconds: int
