"""The `commentdesk` command: serve, rescore, demo, db upgrade/check, create-site, create-user,
and the moderation assistant's train, score and eval."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Annotated

import typer
from fastapi import FastAPI
from rich.console import Console
from rich.panel import Panel
from sqlalchemy.orm import Session

from commentdesk import cli_assistant
from commentdesk.accounts import passwords
from commentdesk.accounts import service as accounts
from commentdesk.accounts.models import Role
from commentdesk.db import migrate
from commentdesk.db.engine import build_engine, build_session_factories
from commentdesk.demo import utc_now
from commentdesk.errors import CommentdeskError, NotFound
from commentdesk.settings import Settings
from commentdesk.sites import service as sites

app = typer.Typer(help="Commentdesk: reader comments for news sites.", no_args_is_help=True)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console()
cli_assistant.register(app)

HostOption = Annotated[str, typer.Option(help="Address to listen on.")]
PortOption = Annotated[int, typer.Option(help="TCP port to listen on.")]


def _serve(asgi_app: FastAPI, host: str, port: int, access_log: bool) -> None:
    import uvicorn

    uvicorn.run(
        asgi_app,
        host=host,
        port=port,
        access_log=access_log,
        log_level="info",
        server_header=False,
    )


@app.command()
def serve(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    access_log: Annotated[bool, typer.Option(help="Log every request.")] = False,
) -> None:
    """Serve Commentdesk with settings from the environment (COMMENTDESK_*)."""
    from commentdesk.app import create_app

    try:
        application = create_app(Settings())
    except CommentdeskError as error:
        console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(1) from error
    _serve(application, host, port, access_log)


@app.command()
def rescore(
    once: Annotated[bool, typer.Option(help="One pass over what is waiting, then exit.")] = False,
    interval: Annotated[
        float, typer.Option(min=0.5, max=3600, help="Seconds between passes.")
    ] = 5.0,
) -> None:
    """Score the comments stored before their scores were in (a worker for sites that run
    web processes with COMMENTDESK_BACKGROUND_SCORING=false)."""
    import asyncio

    from commentdesk.app import create_app

    try:
        application = create_app(Settings())
    except CommentdeskError as error:
        console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(1) from error
    if not application.state.scoring:
        console.print("[red]No scorers are registered: nothing to do.[/red]")
        raise typer.Exit(1)

    async def passes() -> None:
        with console.status("Waiting for comments to score...") as status:
            total = 0
            while True:
                total += await application.state.rescoring.run_once()
                status.update(f"Scored {total:,} comments after posting; watching for more...")
                if once:
                    console.print(f"Scored {total:,} waiting comments.")
                    return
                await asyncio.sleep(interval)

    try:
        asyncio.run(passes())
    except KeyboardInterrupt:
        console.print("Stopped.")
    finally:
        application.state.write_queue.stop()
        application.state.scoring.close()


@app.command()
def demo(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    data_dir: Annotated[Path, typer.Option(help="Where the demo's SQLite file lives.")] = Path(
        "data/demo"
    ),
    access_log: Annotated[bool, typer.Option(help="Log every request.")] = False,
    origin: Annotated[
        list[str] | None,
        typer.Option(
            help="Another origin (scheme://host:port) whose pages may embed the demo thread, "
            "e.g. your own host page; repeatable."
        ),
    ] = None,
) -> None:
    """Create (or reuse) a SQLite demo newsroom and serve its story page with the thread."""
    from commentdesk import demo as demo_content
    from commentdesk.app import DemoPage, create_app

    settings = Settings(data_dir=data_dir, database_url=None)
    engine = build_engine(settings)
    migrate.upgrade(engine)
    _, writer = build_session_factories(engine)
    origins = {f"http://{host}:{port}", f"http://localhost:{port}", f"http://127.0.0.1:{port}"}
    origins.update(origin or [])
    with writer() as session:
        credentials = demo_content.seed(session, serving_origins=sorted(origins), now=utc_now())
        session.commit()
    page = DemoPage(story_url=demo_content.STORY_URL, article=demo_content.ARTICLE)
    console.print(
        Panel.fit(
            f"Story page:    http://{host}:{port}/\n"
            f"Editors' desk: http://{host}:{port}/desk/\n"
            f"API docs:      http://{host}:{port}/api/docs\n"
            f"Moderator:     {credentials.moderator_email}\n"
            f"Password:      {credentials.moderator_password}\n"
            f"Database:      {settings.resolved_database_url()}",
            title="Commentdesk demo",
        )
    )
    # On a line of its own, unwrapped: a host page's backend signs its readers' JWTs with it.
    typer.echo(f"SSO secret (site {credentials.site_slug}): {credentials.sso_secret}")
    _serve(create_app(settings, engine=engine, demo=page), host, port, access_log)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply the database migrations."""
    engine = build_engine(Settings())
    migrate.upgrade(engine, revision)
    console.print(f"Database at migration {migrate.current_revision(engine)}.")


@db_app.command("check")
def db_check() -> None:
    """Fail when the models and the migrations disagree (alembic check)."""
    migrate.check(build_engine(Settings()))
    console.print("No drift between models and migrations.")


@app.command("create-site")
def create_site(
    name: Annotated[str, typer.Argument(help="The publication's name.")],
    origin: Annotated[list[str], typer.Option(help="An origin whose pages embed threads.")],
    slug: Annotated[str | None, typer.Option(help="Short id; also the SSO issuer.")] = None,
    premoderate: Annotated[bool, typer.Option(help="Hold every comment for review.")] = False,
    sso_secret: Annotated[str | None, typer.Option(help="HS256 secret for SSO tokens.")] = None,
    sso_public_key: Annotated[
        Path | None, typer.Option(help="PEM file with the RS256 public key for SSO tokens.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a site and print its CMS API key (shown only once)."""
    _, writer = build_session_factories(build_engine(Settings()))
    with writer() as session:
        try:
            site, api_key = sites.create_site(
                session,
                name=name,
                origins=origin,
                slug=slug,
                is_premoderated=premoderate,
                sso_secret=sso_secret,
                sso_public_key=sso_public_key.read_text() if sso_public_key else None,
                now=utc_now(),
            )
        except CommentdeskError as error:
            console.print(f"[red]{error.message}[/red]")
            raise typer.Exit(1) from error
        session.commit()
        result = {"id": site.id, "slug": site.slug, "api_key": api_key}
    if as_json:
        typer.echo(json.dumps(result))
    else:
        console.print(f"Site {result['slug']} (id {result['id']}). API key: {api_key}")


@app.command("create-user")
def create_user(
    email: Annotated[str, typer.Argument()],
    name: Annotated[str, typer.Option(help="Display name.")],
    role: Annotated[Role, typer.Option(help="commenter, staff, moderator or admin.")] = (
        Role.COMMENTER
    ),
    password: Annotated[
        str | None, typer.Option(help="Password; a random one is made and printed if omitted.")
    ] = None,
    site: Annotated[
        list[str] | None,
        typer.Option(help="Slug of a site a moderator is limited to (repeat for several)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a local account with any role; moderators may be limited to some sites."""
    password = password or secrets.token_urlsafe(12)
    password_hash = passwords.hash_password(password)
    _, writer = build_session_factories(build_engine(Settings()))
    with writer() as session:
        try:
            account = accounts.create_account(
                session,
                email=email,
                password_hash=password_hash,
                name=name,
                role=role,
                now=utc_now(),
            )
            site_ids = [_site_id(session, slug) for slug in site or []]
            accounts.assign_sites(session, account=account, site_ids=site_ids)
        except CommentdeskError as error:
            console.print(f"[red]{error.message}[/red]")
            raise typer.Exit(1) from error
        session.commit()
        result = {"id": account.id, "email": email, "role": str(role), "password": password}
    if as_json:
        typer.echo(json.dumps(result))
    else:
        console.print(f"Account {result['id']} ({role}): {email} / {password}")


def _site_id(session: Session, slug: str) -> int:
    found = sites.find_by_slug(session, slug=slug)
    if found is None:
        raise NotFound(f"No site has the slug {slug!r}.")
    return found.id


def main() -> None:
    app()
