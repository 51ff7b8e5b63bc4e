"""The publisher's CMS: create or update stories (title, body text, open or closed)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from commentdesk.stories import service as stories
from commentdesk.stories.schemas import StoryRecord, StoryUpsert
from commentdesk.web.deps import CmsKey, Now, cms_site, write

router = APIRouter(prefix="/api/v1/stories", tags=["stories"])


@router.put("", response_model=StoryRecord)
async def upsert_story(
    draft: StoryUpsert, request: Request, api_key: CmsKey, now: Now, response: Response
) -> StoryRecord:
    """Create (201) or update (200) the story at `url`; authenticated by the site's X-API-Key."""

    def work(session: Session) -> tuple[StoryRecord, bool]:
        site = cms_site(session, api_key)
        story, created = stories.upsert(session, site=site, draft=draft, now=now)
        record = StoryRecord.of(story)
        return record, created

    record, created = await write(request, work)
    response.status_code = 201 if created else 200
    return record
