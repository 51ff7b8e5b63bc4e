"""Posting, editing, withdrawing, reacting to and reporting comments."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from commentdesk.comments import render, visibility
from commentdesk.comments import service as comments
from commentdesk.comments.schemas import (
    CommentDraft,
    CommentEdit,
    CommentView,
    PreviewDraft,
    PreviewView,
    ReactionState,
)
from commentdesk.comments.thread import comment_view
from commentdesk.moderation import context, intake, reports
from commentdesk.moderation.schemas import DraftCheck, ReportDraft, ReportView
from commentdesk.scoring.protocol import ScoringContext
from commentdesk.scoring.runner import Outcome, Runner
from commentdesk.stories import service as stories
from commentdesk.web.deps import Asking, CommentId, read, write
from commentdesk.web.story_fetch import fetch_later

router = APIRouter(prefix="/api/v1/comments", tags=["comments"])


async def _score(request: Request, asking: Asking, draft: CommentDraft) -> Outcome | None:
    """The scorers' outcome for a draft, computed before the write: scoring never runs on the
    writer, so a slow model never holds up other readers' posts. Only a signed-in reader's
    draft is scored."""
    runner: Runner = request.app.state.scoring
    if not runner:
        return None
    if runner.budget_seconds <= 0:
        if not context.knows_reader(request.app.state.reader_factory, asking.token, asking.now):
            await read(request, asking.required)
        return runner.skipped()

    def context_of(session: Session) -> ScoringContext:
        asking.required(session)
        story = stories.get_by_url(session, url=draft.story_url)
        return context.post_context(session, story=story, parent_id=draft.parent_id)

    known = context.remembered_context(
        request.app.state.reader_factory,
        url=draft.story_url,
        token=asking.token,
        parent_id=draft.parent_id,
        now=asking.now,
    )
    around = await read(request, context_of) if known is None else known
    return await runner.score_soon(draft.body, around)


@router.post("", status_code=201)
async def post_comment(
    draft: CommentDraft, request: Request, asking: Asking, background_tasks: BackgroundTasks
) -> CommentView:
    """Post a comment or a reply. It is `approved` at once, or `pending` under pre-moderation."""
    scoring = await _score(request, asking, draft)

    def work(session: Session) -> tuple[CommentView, int, bool]:
        author = asking.required(session)
        story = stories.get_by_url(session, url=draft.story_url)
        comment = intake.post_comment(
            session,
            scoring=scoring,
            story=story,
            body=draft.body,
            parent_id=draft.parent_id,
            author=author,
            now=asking.now,
        )
        return comment_view(comment, with_reason=True), story.id, story.has_text

    view, story_id, has_text = await write(request, work)
    fetch_later(request, background_tasks, story_id=story_id, has_text=has_text)
    return view


@router.post("/preview")
async def preview_comment(draft: PreviewDraft, request: Request, asking: Asking) -> PreviewView:
    """How a draft's Markdown will look once posted (signed-in readers; nothing is stored)."""
    await read(request, asking.required)
    return PreviewView(html=await run_in_threadpool(render.render, draft.body))


@router.post("/check")
async def check_comment(draft: CommentDraft, request: Request, asking: Asking) -> DraftCheck:
    """Run the moderation pipeline on a draft without posting it: which part of the site's
    policy it may break, so the author can revise first."""

    scoring = await _score(request, asking, draft)

    def work(session: Session) -> DraftCheck:
        author = asking.required(session)
        story = stories.get_by_url(session, url=draft.story_url)
        decision = intake.check_comment(
            session,
            story=story,
            body=draft.body,
            author=author,
            now=asking.now,
            scoring=scoring,
            parent_id=draft.parent_id,
        )
        return DraftCheck.of(decision)

    return await read(request, work)


@router.get("/{comment_id}")
async def read_comment(comment_id: CommentId, request: Request, asking: Asking) -> CommentView:
    """One comment, if the viewer may see it."""

    def work(session: Session) -> CommentView:
        viewer = asking.optional(session)
        comment = comments.get_comment(session, comment_id=comment_id, viewer=viewer)
        return comment_view(comment, with_reason=visibility.is_author_or_moderator(comment, viewer))

    return await read(request, work)


@router.patch("/{comment_id}")
async def edit_comment(
    comment_id: CommentId, draft: CommentEdit, request: Request, asking: Asking
) -> CommentView:
    """Edit one's own comment within the site's edit window; the old text is kept as a revision,
    and the new one is scored after the write."""
    is_scored = bool(request.app.state.scoring)

    def work(session: Session) -> CommentView:
        viewer = asking.required(session)
        comment = comments.get_comment(session, comment_id=comment_id, viewer=viewer)
        intake.edit_comment(
            session,
            comment=comment,
            body=draft.body,
            editor=viewer,
            now=asking.now,
            is_scored=is_scored,
        )
        return comment_view(comment, with_reason=True)

    return await write(request, work)


@router.delete("/{comment_id}", status_code=204)
async def withdraw_comment(comment_id: CommentId, request: Request, asking: Asking) -> Response:
    """Delete one's own comment (it stays as a tombstone while it has replies)."""

    def work(session: Session) -> None:
        viewer = asking.required(session)
        comment = comments.get_comment(session, comment_id=comment_id, viewer=viewer)
        comments.withdraw_comment(session, comment=comment, author=viewer, now=asking.now)

    await write(request, work)
    return Response(status_code=204)


async def _react(request: Request, asking: Asking, comment_id: int, is_on: bool) -> ReactionState:
    def work(session: Session) -> ReactionState:
        viewer = asking.required(session)
        comment = comments.get_comment(session, comment_id=comment_id, viewer=viewer)
        return comments.set_reaction(
            session, comment=comment, account=viewer, is_on=is_on, now=asking.now
        )

    return await write(request, work)


@router.post("/{comment_id}/reactions")
async def add_reaction(comment_id: CommentId, request: Request, asking: Asking) -> ReactionState:
    """Give a comment one's "respect"."""
    return await _react(request, asking, comment_id, is_on=True)


@router.delete("/{comment_id}/reactions")
async def remove_reaction(comment_id: CommentId, request: Request, asking: Asking) -> ReactionState:
    """Take one's "respect" back."""
    return await _react(request, asking, comment_id, is_on=False)


@router.post("/{comment_id}/reports", status_code=201)
async def report_comment(
    comment_id: CommentId, draft: ReportDraft, request: Request, asking: Asking
) -> ReportView:
    """Report a comment to the editors ("Report as abusive"); once per reader per comment."""

    def work(session: Session) -> ReportView:
        viewer = asking.required(session)
        comment = comments.get_comment(session, comment_id=comment_id, viewer=viewer)
        return reports.report_comment(
            session, comment=comment, reporter=viewer, draft=draft, now=asking.now
        )

    return await write(request, work)
