"""`commentdesk train --site SLUG`: refit a site's assistant head from its moderators'
decisions, print the before/after agreement on the held-out ones, and store the head only when
it does at least as well. The work is in `commentdesk.scoring.site_training`."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.table import Table

from commentdesk.cli_assistant import _fail, _progress, console
from commentdesk.db.engine import build_engine, build_session_factories
from commentdesk.scoring import site_training
from commentdesk.scoring.site_head import Agreement
from commentdesk.settings import Settings
from commentdesk.sites import service as sites


def train_site(slug: str, *, dry_run: bool) -> None:
    """Refit, report, and store unless `dry_run` or the refit does worse."""
    reader, writer = build_session_factories(build_engine(Settings()))
    # Read and fit outside a write transaction, so a running server keeps posting meanwhile.
    with reader() as session:
        site = sites.find_by_slug(session, slug=slug)
        if site is None:
            raise _fail(f"No site has the slug {slug!r}.")
        with _progress() as report:
            result = site_training.refit(session, site=site, now=datetime.now(UTC), progress=report)
    console.print(
        f"{result.decisions:,} decided comments with scores: {result.training:,} to train on, "
        f"{result.held_out:,} held out."
    )
    if result.before is not None and result.after is not None:
        console.print(_figures(result.before, result.after))
    if result.head is not None:
        weights = ", ".join(
            f"{name} {weight:+.2f}" for name, weight in result.head.coefficients.items()
        )
        console.print(f"Head: intercept {result.head.intercept:+.2f}, {weights}.")
    console.print(result.message)
    if not result.is_better or result.head is None:
        return
    if dry_run:
        console.print("Dry run: nothing was stored.")
        return
    with writer() as session:
        site = sites.find_by_slug(session, slug=slug)
        assert site is not None  # found above; sites are not deleted from the command line
        site_training.store_head(session, site=site, head=result.head)
        session.commit()
    console.print(f"[green]Stored in the settings of {slug}.[/green]")


def _figures(before: Agreement, after: Agreement) -> Table:
    table = Table(
        "on held-out decisions", "accuracy", "kappa", "precision", "recall", title="Agreement"
    )
    for label, figures in (("before (the current verdict)", before), ("after (refit)", after)):
        table.add_row(
            label,
            f"{figures.accuracy:.3f}",
            f"{figures.kappa:.3f}",
            _maybe(figures.precision),
            _maybe(figures.recall),
        )
    return table


def _maybe(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
