"""The moderation assistant's commands: `commentdesk train`, `score` and `eval`. They parse
options, show progress and print; the work is in `commentdesk.scoring`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from commentdesk.db.engine import build_engine, build_session_factories
from commentdesk.moderation.settings import ModerationSettings
from commentdesk.scoring.embedding import EmbeddingKind
from commentdesk.scoring.protocol import Scorer
from commentdesk.settings import Settings
from commentdesk.sites import service as sites

console = Console()
DEFAULT_DATA = Path("../shared/data")


class TrainedModel(StrEnum):
    EMBEDDING = "embedding"
    TOXICITY = "toxicity"
    SPAM = "spam"
    RELEVANCE = "relevance"
    CONSTRUCTIVENESS = "constructiveness"


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


def _fail(message: object) -> typer.Exit:
    console.print(f"[red]{message}[/red]")
    return typer.Exit(1)


def train(
    model: Annotated[
        TrainedModel | None, typer.Argument(help="Which built-in model to train.")
    ] = None,
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
    site: Annotated[
        str | None,
        typer.Option(
            help="Instead, refit this site's head (by slug) from its moderators' decisions."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option(help="With --site: report the before/after figures, store nothing.")
    ] = False,
    embedding_kind: Annotated[
        EmbeddingKind,
        typer.Option(
            "--embedding", help="Train the heads that read this embedding (see the model card)."
        ),
    ] = EmbeddingKind.TRANSFORMER,
) -> None:
    """Train a built-in model from the public labelled data and report held-out metrics, or
    with --site, refit a site's assistant head from its moderators' decisions."""
    if site is not None:
        from commentdesk.cli_site_training import train_site

        train_site(site, dry_run=dry_run)
        return
    if model is None:
        raise _fail("Name a model to train, or give --site SLUG.")
    if model is TrainedModel.RELEVANCE:
        _train_relevance(data, held_out, embedding_kind)
        return
    if model is TrainedModel.EMBEDDING:
        _train_embedding(data, out)
        return
    if model is TrainedModel.CONSTRUCTIVENESS:
        from commentdesk.scoring import constructiveness_training

        with _progress() as report:
            metrics = constructiveness_training.run(report, out=out, kind=embedding_kind)
        console.print_json(data=metrics)
        return
    from commentdesk.scoring import embedding, training
    from commentdesk.scoring.builtin import toxicity

    if not data.is_dir():
        raise _fail(f"No data directory at {data}.")
    if model is TrainedModel.SPAM:
        if limit is not None:
            raise _fail("--limit does not apply to the spam model.")
        _train_spam(data, out, held_out, embedding_kind)
        return
    examples = training.sample(training.toxicity_examples(data), limit)
    train_rows, held_rows = training.split(examples)
    console.print(f"{len(train_rows):,} training rows, {len(held_rows):,} held out.")
    embedder = embedding.for_training(embedding_kind)
    with _progress() as report:
        train_vectors = training.embed_all(
            toxicity.embedding_input([row.text for row in train_rows], embedding_kind),
            embedder,
            report,
        )
        fitted = training.fit_toxicity(train_rows, train_vectors, report, kind=embedding_kind)
        held_vectors = training.embed_all(
            toxicity.embedding_input([row.text for row in held_rows], embedding_kind),
            embedder,
            report,
        )
    metrics = training.evaluate_toxicity(fitted, held_rows, held_vectors)
    metrics["identity"] = training.identity_false_positives(fitted, embedder, embedding_kind)
    metrics["rows"] = {"train": len(train_rows), "held_out": len(held_rows)}
    fitted.metadata = metrics
    target = out or embedding.model_path("toxicity", embedding_kind)
    fitted.save(target)
    if held_out is not None:
        training.write_held_out(held_out, held_rows)
    console.print_json(data=metrics)
    console.print(f"Weights written to {target}.")


def _train_embedding(data: Path, out: Path | None) -> None:
    """`train embedding`: distil the static embedding from the teacher (MiniLM) over the
    shared data's comments. The other models read it: retrain them after this."""
    from commentdesk.scoring import distillation, static_embedding

    if not data.is_dir():
        raise _fail(f"No data directory at {data}.")
    target = out or static_embedding.MODEL_PATH
    with _progress() as report:
        metrics = distillation.train(data, report, out=target)
    console.print_json(data=metrics)
    console.print(f"Embedding written to {target}; retrain toxicity, spam and constructiveness.")


def _train_relevance(data: Path, held_out: Path | None, kind: EmbeddingKind) -> None:
    """`train relevance`: fit the word weights on the shared data's comments (written to
    `models/relevance_words.npz`), refit the calibration on the written development set and
    measure it; the constants live in `relevance.py`'s CALIBRATIONS (copy them there when
    they change)."""
    from dataclasses import asdict

    from commentdesk.scoring import distillation, embedding, relevance_training
    from commentdesk.scoring.builtin import relevance, relevance_vectors

    if not data.is_dir():
        raise _fail(f"No data directory at {data}.")
    words = relevance_vectors.fit_words(distillation.corpus(data))
    relevance_vectors.save_words(words)
    embedder = embedding.for_training(kind)
    calibration, tried = relevance_training.fit_calibration(embedder, words)
    scorer = relevance.RelevanceScorer(kind=kind)
    scorer.embedder, scorer.words, scorer.calibration = embedder, words, calibration
    metrics: dict[str, object] = {
        "calibration": asdict(calibration),
        "shipped_calibration_matches": calibration == relevance.CALIBRATIONS[kind],
        "word_weights": f"{words.describe()} in {relevance_vectors.WORDS_PATH}",
        **tried,
    }
    metrics.update(relevance_training.evaluate_dev(scorer))
    metrics.update(
        relevance_training.thread_check(data, embedder, words, calibration.lexical_weight)
    )
    if held_out is not None:
        relevance_training.write_dev_csv(held_out)
    console.print_json(data=metrics)


def _train_spam(data: Path, out: Path | None, held_out: Path | None, kind: EmbeddingKind) -> None:
    """`train spam`: all of the data, no held-out rows (its tests are across sources);
    `--held-out` writes the written news comments it is tested on, for `commentdesk eval`."""
    from commentdesk.scoring import embedding, spam_training

    with _progress() as report:
        fitted = spam_training.train_spam(data, report, embedder=embedding.for_training(kind))
    target = out or embedding.model_path("spam", kind)
    fitted.save(target)
    console.print_json(data=fitted.metadata)
    console.print(f"Weights written to {target}.")
    if held_out is not None:
        count = spam_training.write_news_csv(held_out)
        console.print(f"{count} news comments written to {held_out} (`eval --label spam`).")


def _scorers(kind: EmbeddingKind | None) -> list[Scorer]:
    from commentdesk.plugins import manager
    from commentdesk.scoring.builtin.plugin import BuiltinScorers

    chosen = kind or Settings().assistant_embedding
    return list(manager.scorers(manager.build([BuiltinScorers(chosen)])))


EmbeddingOption = Annotated[
    EmbeddingKind | None,
    typer.Option(
        "--embedding",
        help="Score with this embedding's models (default: COMMENTDESK_ASSISTANT_EMBEDDING).",
    ),
]


def score(
    source: Annotated[Path, typer.Argument(help="CSV with a `text` column.", exists=True)],
    out: Annotated[Path, typer.Option(help="Where to write the scored CSV.")],
    embedding_kind: EmbeddingOption = None,
) -> None:
    """Score a CSV of comments offline. Optional columns: story_title, story_text, parent_text,
    story_id. Writes the input columns plus one column per score."""
    from commentdesk.scoring import tools

    try:
        with _progress() as report:
            count = tools.score_csv(source, out, _scorers(embedding_kind), report)
    except (ValueError, tools.ScoringFailed) as error:
        raise _fail(error) from error
    console.print(f"Scored {count:,} comments into {out}.")


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
    embedding_kind: EmbeddingOption = None,
) -> None:
    """Score a labelled CSV and print ROC-AUC, precision and recall at the site's thresholds,
    and a calibration table."""
    from commentdesk.scoring import tools

    name = score_name or label
    settings = _site_moderation(site) if site else ModerationSettings()
    threshold = settings.score_thresholds.get(name)
    try:
        with _progress() as report:
            result = tools.evaluate_file(
                source,
                label=label,
                score=name,
                only=only,
                thresholds=threshold.named() if threshold else {},
                scorers=_scorers(embedding_kind),
                progress=report,
                below=threshold.below if threshold else False,
            )
    except (ValueError, tools.ScoringFailed) as error:
        raise _fail(error) from error
    console.print(
        f"{result.rows:,} labelled rows, {result.positives:,} positive. "
        f"ROC-AUC of {name}: [bold]{result.auc:.4f}[/bold]"
    )
    if threshold is not None and threshold.below:
        console.print(f"{name} counts when low: each threshold takes rows at or below it, and")
        console.print(f"precision and recall are of finding the rows whose {label} is 0.")
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
            raise _fail(f"No site has the slug {slug!r}.")
        return moderation_settings(session, site=found)[0]


def register(app: typer.Typer) -> None:
    app.command()(train)
    app.command()(score)
    app.command("eval")(evaluate)
