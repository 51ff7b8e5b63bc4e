"""The moderation settings as an HTML form, built from the pydantic model itself, so a new
setting appears in the dashboard without template work: lists as one entry per line, numbers,
switches, choices, and JSON for nested values. Validation stays with the model."""

from __future__ import annotations

import json
import typing
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import ValidationError
from pydantic.fields import FieldInfo

from commentdesk.moderation.settings import ModerationSettings


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str  # lines, number, switch, choice, json
    value: str
    description: str
    options: tuple[str, ...] = ()
    step: str = "1"


def _kind(info: FieldInfo) -> tuple[str, tuple[str, ...], str]:
    annotation = info.annotation
    origin = typing.get_origin(annotation)
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
        if kind == "lines":
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
            )
        )
    return result


def parse(form: dict[str, str]) -> tuple[ModerationSettings | None, dict[str, str]]:
    """The submitted settings, or the errors per field name in plain words."""
    raw: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, info in ModerationSettings.model_fields.items():
        kind, _, _ = _kind(info)
        text = form.get(name, "")
        if kind == "lines":
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
