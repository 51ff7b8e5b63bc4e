"""The dashboard's live stream (SSE): which comments changed in the moderator's sites. The page
asks the server about each one through the usual routes, so the stream carries no text."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session
from sse_starlette import EventSourceResponse

from commentdesk.accounts.models import Role
from commentdesk.moderation import service as moderation
from commentdesk.realtime.broker import Broker
from commentdesk.web.dashboard.session import DeskAsking
from commentdesk.web.deps import read
from commentdesk.web.live import event_stream

router = APIRouter(prefix="/desk", include_in_schema=False)


@router.get("/stream")
async def stream(
    request: Request,
    asking: DeskAsking,
    site_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> EventSourceResponse:
    """`comment` events (kind, site, story, comment, status) for the sites in scope, `resync`
    when the page fell behind, and a first `ready` so the page knows it is live."""

    def scope(session: Session) -> frozenset[int] | None:
        viewer = asking.required(session)
        moderation.require_moderator(viewer, site_id=site_id)
        if site_id is not None:
            return frozenset({site_id})
        if viewer.role == Role.ADMIN or not viewer.moderated_site_ids:
            return None
        return viewer.moderated_site_ids

    site_ids = await read(request, scope)
    broker: Broker = request.app.state.broker
    return event_stream(broker, broker.subscribe(site_ids))
