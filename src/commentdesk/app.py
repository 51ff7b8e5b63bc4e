"""create_app(settings) builds the ASGI application; nothing is built at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from commentdesk.db import migrate
from commentdesk.db.engine import build_engine, build_session_factories
from commentdesk.db.writer import WriteQueue
from commentdesk.demo import Article
from commentdesk.events import Dispatcher
from commentdesk.moderation import context
from commentdesk.moderation.rescoring import Rescorer
from commentdesk.plugins import manager as plugin_manager
from commentdesk.realtime.broker import Broker
from commentdesk.scoring.runner import Runner
from commentdesk.settings import Settings
from commentdesk.sites import service as sites
from commentdesk.web import errors
from commentdesk.web.api import auth, comments, follows, moderation, stories, threads
from commentdesk.web.cors import SiteCORSMiddleware, SiteOrigins
from commentdesk.web.dashboard import actions as desk_actions
from commentdesk.web.dashboard import stream as desk_stream
from commentdesk.web.dashboard import views as desk_views
from commentdesk.web.dashboard.errors import desk_error_page
from commentdesk.web.dashboard.session import LoginThrottle
from commentdesk.web.pages import router as pages_router
from commentdesk.web.read_cache import ReadCache, ReadCacheFastPath
from commentdesk.web.story_fetch import StoryTextFetches

WEB_DIR = Path(__file__).parent / "web"


@dataclass(frozen=True)
class DemoPage:
    """What the demo front page shows: the article and the URL of its story."""

    story_url: str
    article: Article


# How long a starting app waits for its scorers' models before serving anyway.
MODEL_LOAD_SECONDS = 120.0


def create_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    demo: DemoPage | None = None,
    check_migrations: bool = True,
    plugins: Iterable[object] = (),
) -> FastAPI:
    """The Commentdesk ASGI app. Refuses to build on a database that is not fully migrated."""
    engine = engine or build_engine(settings)
    if check_migrations:
        migrate.ensure_migrated(engine)
    reader_factory, writer_factory = build_session_factories(engine)
    dispatcher = Dispatcher()
    for factory in (reader_factory, writer_factory):
        dispatcher.attach(factory)

    write_queue = WriteQueue(writer_factory, workers=1 if engine.dialect.name == "sqlite" else 4)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Serve once the models are in (a few seconds), so the first comments after a start
        # are scored like the rest instead of running late.
        await run_in_threadpool(app.state.scoring.wait_loaded, MODEL_LOAD_SECONDS)
        if settings.background_scoring:
            app.state.rescoring.start()
        yield
        await app.state.rescoring.stop()
        app.state.write_queue.stop()
        app.state.scoring.close()

    app = FastAPI(
        lifespan=lifespan,
        # FastAPI's built-in OpenTelemetry hooks cost time on every request and export nothing
        # unless a provider is configured; Commentdesk sends nothing anywhere by default.
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
        title="Commentdesk",
        version="0.1.0",
        summary="Reader comments for news sites.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.reader_factory = reader_factory
    app.state.writer_factory = writer_factory
    app.state.write_queue = write_queue
    app.state.dispatcher = dispatcher

    def load_origins() -> frozenset[str]:
        # Looked up on the app at call time, so a test's transaction-bound factory is used.
        with app.state.reader_factory() as session:
            return sites.list_origins(session)

    site_origins = SiteOrigins(load_origins)
    read_cache = ReadCache(
        settings.thread_cache_entries, settings.thread_cache_max_age, site_origins
    )
    dispatcher.subscribe(read_cache.on_event)
    dispatcher.subscribe(site_origins.on_event)
    # Looked up at use, like the origins: a test's factory has memos of its own.
    dispatcher.subscribe(lambda event: context.forget_stories(app.state.reader_factory, event))
    broker = Broker()
    dispatcher.subscribe(broker.on_event)
    app.state.broker = broker
    app.state.login_throttle = LoginThrottle()
    app.state.site_origins = site_origins
    app.state.read_cache = read_cache
    app.state.story_text_fetches = StoryTextFetches.of(settings)
    app.state.demo = demo
    if settings.builtin_scorers:
        from commentdesk.scoring.builtin.plugin import BuiltinScorers

        plugins = [BuiltinScorers(settings.assistant_embedding), *plugins]
    app.state.plugins = plugin_manager.build(plugins)
    # Each scorer gets its worker thread now, and loads its model there: off the request path.
    app.state.scoring = Runner(
        plugin_manager.scorers(app.state.plugins),
        budget_seconds=settings.scoring_budget_seconds,
        processes=settings.scoring_processes,
    )
    # Comments stored before their scores were in are scored here, after the write.
    app.state.rescoring = Rescorer(
        runner=app.state.scoring,
        # Looked up at use, like the origins: a test swaps in transaction-bound ones.
        sessions=lambda: app.state.reader_factory(),
        writes=lambda: app.state.write_queue,
        batch=settings.rescoring_batch,
    )
    dispatcher.subscribe(app.state.rescoring.on_event)
    app.state.templates = Jinja2Templates(directory=WEB_DIR / "templates")
    errors.install(app, pages=desk_error_page)
    for router in (
        auth.router,
        threads.router,
        comments.router,
        follows.router,
        stories.router,
        moderation.router,
        desk_views.router,
        desk_actions.router,
        desk_stream.router,
        pages_router,
    ):
        app.include_router(router)
    app.mount("/widget", StaticFiles(directory=WEB_DIR / "static" / "widget"), name="widget")
    app.mount(
        "/desk/static", StaticFiles(directory=WEB_DIR / "static" / "desk"), name="desk-static"
    )
    app.add_middleware(SiteCORSMiddleware, origins=site_origins)
    app.add_middleware(ReadCacheFastPath, cache=read_cache)
    return app
