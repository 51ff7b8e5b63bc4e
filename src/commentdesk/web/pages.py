"""HTML pages: the demo story page (a news op-ed with its thread embedded) and a landing page."""

from __future__ import annotations

from dataclasses import asdict
from types import SimpleNamespace

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from commentdesk.stories import service as stories
from commentdesk.web.deps import read

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def front_page(request: Request) -> Response:
    """The demo story when `commentdesk demo` serves; otherwise a pointer to the API docs."""
    demo = request.app.state.demo
    templates: Jinja2Templates = request.app.state.templates
    if demo is None:
        return templates.TemplateResponse(request, "landing.html", {})
    story = await read(request, lambda session: stories.get_by_url(session, url=demo.story_url))
    site = SimpleNamespace(
        name=story.site.name,
        policy=story.site.policy_text,
        disclaimer=story.site.disclaimer_text,
    )
    return templates.TemplateResponse(
        request,
        "story.html",
        {
            "site": site,
            "story": SimpleNamespace(url=story.url, title=story.title),
            "article": asdict(demo.article),
            "widget_src": "/widget/embed.js",
        },
    )
