"""The moderation settings as an HTML form, built from the pydantic model itself, so a new
setting appears in the dashboard without template work: lists as one entry per line, numbers,
switches, choices, policy clauses as one row each (key, text, checks), and JSON for other nested
values. Validation stays with the model."""

from __future__ import annotations

import json
import typing
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from pydantic import ValidationError
from pydantic.fields import FieldInfo

from commentdesk.moderation.settings import Check, ModerationSettings, PolicyClause

# How many clauses the form offers at most; one empty row beyond the site's adds a clause.
MAX_CLAUSES = 20


@dataclass(frozen=True)
class ClauseRow:
    key: str
    text: str
    checks: frozenset[str]


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str  # lines, number, switch, choice, json, clauses
    value: str
    description: str
    options: tuple[str, ...] = ()
    step: str = "1"
    rows: tuple[ClauseRow, ...] = ()


def _kind(info: FieldInfo) -> tuple[str, tuple[str, ...], str]:
    annotation = info.annotation
    origin = typing.get_origin(annotation)
    if origin is list and typing.get_args(annotation) == (PolicyClause,):
        return "clauses", tuple(check.value for check in Check), "1"
    if origin is list:
        return "lines", (), "1"
    if origin is dict:
        return "json", (), "1"
    if annotation is bool:
        return "switch", (), "1"
    if annotation is int:
        return "number", (), "1"
    if annotation is float:
        return "number", (), "any"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "choice", tuple(str(member.value) for member in annotation), "1"
    return "json", (), "1"


def fields(settings: ModerationSettings) -> list[FormField]:
    """One form field per setting, holding its current value."""
    values = settings.model_dump(mode="json")
    result = []
    for name, info in ModerationSettings.model_fields.items():
        kind, options, step = _kind(info)
        value = values[name]
        rows: tuple[ClauseRow, ...] = ()
        if kind == "clauses":
            text = ""
            rows = _with_blank(
                ClauseRow(entry["key"], entry["text"], frozenset(entry["checks"]))
                for entry in value
            )
        elif kind == "lines":
            text = "\n".join(str(entry) for entry in value)
        elif kind == "json":
            text = json.dumps(value, indent=2)
        elif kind == "switch":
            text = "on" if value else ""
        else:
            text = str(value)
        result.append(
            FormField(
                name=name,
                label=name.replace("_", " ").capitalize(),
                kind=kind,
                value=text,
                description=info.description or "",
                options=options,
                step=step,
                rows=rows,
            )
        )
    return result


def refilled(field: FormField, form: dict[str, str]) -> FormField:
    """The field holding what was submitted, to show again beside the errors."""
    if field.kind == "clauses":
        return replace(field, rows=_with_blank(_submitted_rows(field.name, form)))
    return replace(field, value=form.get(field.name, ""))


def _with_blank(rows: Iterable[ClauseRow]) -> tuple[ClauseRow, ...]:
    kept = tuple(rows)[:MAX_CLAUSES]
    return (*kept, ClauseRow("", "", frozenset())) if len(kept) < MAX_CLAUSES else kept


def _submitted_rows(name: str, form: dict[str, str]) -> list[ClauseRow]:
    # Rows are numbered fields (policy_clauses.0.key, .text, .check.links); a row left with
    # neither key nor text is an unused or removed clause.
    rows = []
    for index in range(MAX_CLAUSES + 1):
        prefix = f"{name}.{index}."
        key, text = form.get(prefix + "key", "").strip(), form.get(prefix + "text", "").strip()
        checks = frozenset(check.value for check in Check if form.get(f"{prefix}check.{check}"))
        if key or text:
            rows.append(ClauseRow(key, text, checks))
    return rows


def parse(form: dict[str, str]) -> tuple[ModerationSettings | None, dict[str, str]]:
    """The submitted settings, or the errors per field name in plain words."""
    raw: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, info in ModerationSettings.model_fields.items():
        kind, _, _ = _kind(info)
        text = form.get(name, "")
        if kind == "clauses":
            raw[name] = [
                {"key": row.key, "text": row.text, "checks": sorted(row.checks)}
                for row in _submitted_rows(name, form)
            ]
        elif kind == "lines":
            raw[name] = [line.strip() for line in text.splitlines() if line.strip()]
        elif kind == "switch":
            raw[name] = bool(text)
        elif kind == "json":
            try:
                raw[name] = json.loads(text or "{}")
            except json.JSONDecodeError as error:
                errors[name] = f"Not valid JSON: {error.msg} (line {error.lineno})."
        else:
            raw[name] = text.strip()
    try:
        settings = ModerationSettings.model_validate(raw)
    except ValidationError as error:
        for problem in error.errors():
            location = problem["loc"]
            field_name = str(location[0]) if location else "form"
            entry = location[1] if len(location) > 1 else None
            where = f" (entry {entry + 1})" if isinstance(entry, int) else ""
            errors.setdefault(field_name, f"{problem['msg']}{where}.")
        return None, errors
    return (None, errors) if errors else (settings, {})
