"""The `commentdesk` command: serve, demo, db upgrade/check, create-site, create-user, and the
moderation assistant's train, score and eval."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from fastapi import FastAPI
from rich.console import Console
from rich.panel import Panel
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from sqlalchemy.orm import Session

from commentdesk.accounts import passwords
from commentdesk.accounts import service as accounts
from commentdesk.accounts.models import Role
from commentdesk.db import migrate
from commentdesk.db.engine import build_engine, build_session_factories
from commentdesk.demo import utc_now
from commentdesk.errors import CommentdeskError, NotFound
from commentdesk.moderation.settings import ModerationSettings
from commentdesk.scoring.protocol import Loadable, Scorer
from commentdesk.settings import Settings
from commentdesk.sites import service as sites

app = typer.Typer(help="Commentdesk: reader comments for news sites.", no_args_is_help=True)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console()

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


class TrainedModel(StrEnum):
    TOXICITY = "toxicity"


DEFAULT_DATA = Path("../shared/data")


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar per stage: `report(stage, done, total)`."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        yield report


@app.command()
def train(
    model: Annotated[TrainedModel, typer.Argument(help="Which built-in model to train.")],
    data: Annotated[
        Path, typer.Option(help="The labelled data (shared/data); see its README.")
    ] = DEFAULT_DATA,
    out: Annotated[
        Path | None, typer.Option(help="Where to write the weights (default: the package's).")
    ] = None,
    held_out: Annotated[
        Path | None,
        typer.Option(help="Also write the held-out rows as CSV, for `commentdesk eval`."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=100, help="Train on a fixed random sample (a quick run).")
    ] = None,
) -> None:
    """Train a built-in model from the public labelled data and report held-out metrics."""
    from commentdesk.scoring import embedding, training
    from commentdesk.scoring.builtin import toxicity

    if not data.is_dir():
        console.print(f"[red]No data directory at {data}.[/red]")
        raise typer.Exit(1)
    examples = training.sample(training.toxicity_examples(data), limit)
    train_rows, held_rows = training.split(examples)
    console.print(f"{len(train_rows):,} training rows, {len(held_rows):,} held out.")
    embedder = embedding.Embedder(threads=2)
    with _progress() as report:
        train_vectors = training.embed_all([row.text for row in train_rows], embedder, report)
        fitted = training.fit_toxicity(train_rows, train_vectors, report)
        held_vectors = training.embed_all([row.text for row in held_rows], embedder, report)
    metrics = training.evaluate_toxicity(fitted, held_rows, held_vectors)
    metrics["identity"] = training.identity_false_positives(fitted, embedder)
    metrics["rows"] = {"train": len(train_rows), "held_out": len(held_rows)}
    fitted.metadata = metrics
    target = out or toxicity.MODEL_PATH
    fitted.save(target)
    if held_out is not None:
        training.write_held_out(held_out, held_rows)
    console.print_json(data=metrics)
    console.print(f"Weights written to {target}.")


def _scorers() -> list[Scorer]:
    from commentdesk.plugins import manager
    from commentdesk.scoring.builtin.plugin import BuiltinScorers

    found = list(manager.scorers(manager.build([BuiltinScorers()])))
    for scorer in found:
        if isinstance(scorer, Loadable):
            scorer.load()
    return found


@app.command()
def score(
    source: Annotated[Path, typer.Argument(help="CSV with a `text` column.", exists=True)],
    out: Annotated[Path, typer.Option(help="Where to write the scored CSV.")],
) -> None:
    """Score a CSV of comments offline. Optional columns: story_title, story_text, parent_text,
    story_id. Writes the input columns plus one column per score."""
    from commentdesk.scoring import tools

    scorers = _scorers()
    try:
        with _progress() as report:
            count = tools.score_csv(source, out, scorers, report)
    except ValueError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    console.print(f"Scored {count:,} comments into {out}.")


@app.command("eval")
def evaluate(
    source: Annotated[
        Path, typer.Argument(help="CSV with `text` and a label column.", exists=True)
    ],
    label: Annotated[str, typer.Option(help="The column of 0/1 labels (empty: not labelled).")],
    score_name: Annotated[
        str | None,
        typer.Option("--score", help="The score to compare (default: the label's name)."),
    ] = None,
    site: Annotated[
        str | None,
        typer.Option(help="Slug of the site whose thresholds to report (default: the defaults)."),
    ] = None,
    only: Annotated[
        str | None,
        typer.Option(help="Keep the rows where COLUMN=VALUE, e.g. source=jigsaw."),
    ] = None,
) -> None:
    """Score a labelled CSV and print ROC-AUC, precision and recall at the site's thresholds,
    and a calibration table."""
    from commentdesk.moderation.settings import ModerationSettings
    from commentdesk.scoring import tools

    name = score_name or label
    try:
        columns, rows = tools.read_rows(source)
    except ValueError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    if label not in columns:
        console.print(f"[red]{source} has no column {label!r}.[/red]")
        raise typer.Exit(1)
    labelled = [row for row in rows if row[label] not in ("", None)]
    if only is not None:
        column, _, wanted = only.partition("=")
        if column not in columns:
            console.print(f"[red]{source} has no column {column!r}.[/red]")
            raise typer.Exit(1)
        labelled = [row for row in labelled if row[column] == wanted]
    settings = _site_moderation(site) if site else ModerationSettings()
    threshold = settings.score_thresholds.get(name)
    thresholds: dict[str, float] = {"0.5": 0.5}
    if threshold is not None:
        chosen = {"hold": threshold.hold, "reject": threshold.reject}
        thresholds = {
            key: value for key, value in chosen.items() if value is not None
        } or thresholds
    classes = {int(float(row[label]) >= 0.5) for row in labelled}
    if classes != {0, 1}:
        console.print("[red]The labelled rows need both positives and negatives.[/red]")
        raise typer.Exit(1)
    with _progress() as report:
        scored = tools.score_rows(labelled, _scorers(), report)
    if not scored or name not in scored[0]:
        console.print(f"[red]No scorer gives a score named {name!r}.[/red]")
        raise typer.Exit(1)
    result = tools.evaluate(
        [int(float(row[label]) >= 0.5) for row in labelled],
        [values[name] for values in scored],
        score=name,
        thresholds=thresholds,
    )
    console.print(
        f"{result.rows:,} labelled rows, {result.positives:,} positive. "
        f"ROC-AUC of {name}: [bold]{result.auc:.4f}[/bold]"
    )
    table = Table("threshold", "value", "precision", "recall", "share flagged")
    for key, value, precision, recall, share in result.at_thresholds:
        table.add_row(key, f"{value:.2f}", f"{precision:.3f}", f"{recall:.3f}", f"{share:.3f}")
    console.print(table)
    calibration = Table("score from", "to", "rows", "mean score", "observed positive rate")
    for low, high, count, mean, observed in result.calibration:
        calibration.add_row(
            f"{low:.1f}", f"{high:.1f}", f"{count:,}", f"{mean:.3f}", f"{observed:.3f}"
        )
    console.print(calibration)


def _site_moderation(slug: str) -> ModerationSettings:
    from commentdesk.moderation.intake import moderation_settings

    reader, _ = build_session_factories(build_engine(Settings()))
    with reader() as session:
        found = sites.find_by_slug(session, slug=slug)
        if found is None:
            console.print(f"[red]No site has the slug {slug!r}.[/red]")
            raise typer.Exit(1)
        settings, _ = moderation_settings(session, site=found)
        return settings


def _site_id(session: Session, slug: str) -> int:
    found = sites.find_by_slug(session, slug=slug)
    if found is None:
        raise NotFound(f"No site has the slug {slug!r}.")
    return found.id


def main() -> None:
    app()
