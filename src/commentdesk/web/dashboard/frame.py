"""What every dashboard page shows around its content: who is signed in, their sites, the
queues with their counts, the CSRF token; and the template renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from commentdesk.accounts.models import Account, Role
from commentdesk.moderation import queues
from commentdesk.moderation import service as moderation
from commentdesk.moderation.models import AccountActionKind
from commentdesk.moderation.schemas import DecisionAction, QueueCounts, RejectReason
from commentdesk.web.dashboard.session import DeskActor

QUEUE_LABELS = {
    "pending": "Pending",
    "withheld": "Withheld",
    "reported": "Reported",
    "unmoderated": "Unmoderated",
    "approved": "Approved",
    "rejected": "Rejected",
}
REJECT_LABELS = {
    RejectReason.ABUSIVE: "Abusive",
    RejectReason.SPAM: "Spam",
    RejectReason.OFF_TOPIC: "Off topic: does not advance the story",
    RejectReason.BANNED_WORD: "Banned word",
    RejectReason.HARASSMENT: "Harassment",
    RejectReason.HATE: "Hate",
    RejectReason.MISINFORMATION: "Misinformation",
    RejectReason.OTHER: "Other: breaks the policy",
}


@dataclass
class Frame:
    """The signed-in moderator's surroundings, loaded in the page's own unit of work."""

    viewer_id: int
    viewer_name: str
    is_admin: bool
    csrf: str
    sites: list[tuple[int, str]]
    counts: QueueCounts
    site_id: int | None = None
    story_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def load_frame(
    session: Session,
    asking: DeskActor,
    *,
    site_id: int | None = None,
    story_id: int | None = None,
) -> tuple[Frame, Account]:
    """The frame for a page, and the viewer; a commenter gets PermissionDenied here."""
    viewer = asking.required(session)
    sites = moderation.moderated_sites(session, moderator=viewer)
    counts = queues.count_queues(session, moderator=viewer, site_id=site_id, story_id=story_id)
    frame = Frame(
        viewer_id=viewer.id,
        viewer_name=viewer.display_name,
        is_admin=viewer.role == Role.ADMIN,
        csrf=asking.csrf,
        sites=[(site.id, site.name) for site in sites],
        counts=counts,
        site_id=site_id,
        story_id=story_id,
    )
    return frame, viewer


# Desk pages hold what only moderators may see and act on keys: never cached, never framed
# (a framed desk could be driven by clickjacking), scripts only from the desk itself.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
}


def render(
    request: Request, template: str, frame: Frame | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        f"desk/{template}",
        {
            "frame": frame,
            "queue_labels": QUEUE_LABELS,
            "reject_labels": REJECT_LABELS,
            "decision_actions": list(DecisionAction),
            "account_actions": list(AccountActionKind),
            **context,
        },
        status_code=status_code,
        headers=PAGE_HEADERS,
    )
