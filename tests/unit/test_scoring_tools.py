"""`commentdesk score` and `commentdesk eval` on small CSV files written here."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from commentdesk.cli import app as cli_app
from commentdesk.scoring import tools

CIVIL = [
    "Thanks for covering the library budget so carefully.",
    "The weekend hours matter more to working families than the new building.",
    "I think the council should publish the full accounts.",
    "My daughter studies there after school; please keep it open.",
    "Good reporting, though the parking figures look low to me.",
    "Could the paper follow up on the bus routes next month?",
]
ABUSE = [
    "You are a pathetic idiot, shut up.",
    "What a moron, nobody cares about your stupid opinion.",
    "Only a complete fool and a loser would write this garbage.",
    "Shut your mouth, you worthless piece of trash.",
    "You ignorant idiot, go away.",
    "Stupid, stupid people like you ruin this town.",
]


def flat(output: str) -> str:
    """The console's output with its line wrapping undone."""
    return " ".join(output.split())


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_score_writes_the_input_columns_and_one_per_score(tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "in.csv",
        ["id", "text", "story_title"],
        [[n, text, "Library hours"] for n, text in enumerate(CIVIL + ABUSE)],
    )
    result = CliRunner().invoke(cli_app, ["score", str(source), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 0, result.output
    assert "Scored 12 comments" in result.output
    with (tmp_path / "o.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["id", "text", "story_title", *tools.SCORE_COLUMNS]
    assert [row["id"] for row in rows] == [str(n) for n in range(12)]
    civil = [float(row["toxicity"]) for row in rows[:6]]
    abuse = [float(row["toxicity"]) for row in rows[6:]]
    assert max(civil) < min(abuse)
    assert all(0.0 <= float(row["insult"]) <= 1.0 for row in rows)


def test_eval_prints_auc_thresholds_and_calibration(tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "labelled.csv",
        ["text", "rude"],
        [[text, 0] for text in CIVIL] + [[text, 1] for text in ABUSE] + [["unlabelled", ""]],
    )
    result = CliRunner().invoke(
        cli_app, ["eval", str(source), "--label", "rude", "--score", "toxicity"]
    )
    assert result.exit_code == 0, result.output
    assert "12 labelled rows, 6 positive. ROC-AUC of toxicity: 1.0000" in flat(result.output)
    assert "precision" in result.output and "observed positive rate" in result.output
    kept = CliRunner().invoke(
        cli_app,
        ["eval", str(source), "--label", "rude", "--score", "toxicity", "--only", "rude=1"],
    )
    # Only positives are left: no AUC can be computed, and the command says so.
    assert kept.exit_code == 1 and "both" in flat(kept.output)


def test_bad_files_are_refused_with_a_reason(tmp_path: Path) -> None:
    no_text = write_csv(tmp_path / "no_text.csv", ["body"], [["hello"]])
    result = CliRunner().invoke(cli_app, ["score", str(no_text), "--out", str(tmp_path / "x")])
    assert result.exit_code == 1 and "no `text` column" in flat(result.output)
    labelled = write_csv(tmp_path / "l.csv", ["text"], [["hello"]])
    result = CliRunner().invoke(cli_app, ["eval", str(labelled), "--label", "toxic"])
    assert result.exit_code == 1 and "no column 'toxic'" in flat(result.output)


def test_evaluate_counts_precision_recall_and_bins() -> None:
    found = tools.evaluate(
        [0, 0, 1, 1], [0.1, 0.6, 0.7, 0.95], score="toxicity", thresholds={"hold": 0.5}
    )
    assert found.auc == 1.0
    assert found.at_thresholds == [("hold", 0.5, 2 / 3, 1.0, 0.75)]
    assert [(low, count) for low, _, count, _, _ in found.calibration] == [
        (0.1, 1),
        (0.6, 1),
        (0.7, 1),
        (0.9, 1),
    ]


def test_a_low_is_bad_threshold_counts_the_rows_at_or_below_it() -> None:
    # Relevance: label 1 = on topic; the flag (at or below 0.2) should find the 0s.
    found = tools.evaluate(
        [1, 1, 0, 0, 1],
        [0.9, 0.15, 0.1, 0.05, 0.8],
        score="relevance",
        thresholds={"flag": 0.2},
        below=True,
    )
    assert found.at_thresholds == [("flag", 0.2, 2 / 3, 1.0, 0.6)]
