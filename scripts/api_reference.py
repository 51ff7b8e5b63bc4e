"""Write docs/reference/api.md from the app's OpenAPI schema (`--check` fails if it is stale)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from commentdesk.app import create_app
from commentdesk.settings import Settings

TARGET = Path(__file__).resolve().parent.parent / "docs" / "reference" / "api.md"


def render(schema: dict[str, Any]) -> str:
    lines = [
        "# HTTP API reference",
        "",
        "Generated from the OpenAPI schema by `scripts/api_reference.py`; do not edit by hand.",
        "A running server serves the schema at `/api/openapi.json` and an explorer at `/api/docs`.",
        "",
        'Every error is `{"error": {"code", "message", "details"}}`; clients match on `code`:',
        "`invalid_input` (400/422), `unauthenticated` (401), `permission_denied` (403),",
        "`not_found` (404), `conflict`, `story_closed`, `edit_window_closed` (409),",
        "`rate_limited` (429), `database_not_migrated` (503).",
        "",
    ]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            lines.append(f"## `{method.upper()} {path}`")
            lines.append("")
            lines.append(operation.get("description") or operation.get("summary", ""))
            lines.append("")
            parameters = operation.get("parameters", [])
            if parameters:
                lines.append("| parameter | in | required |")
                lines.append("| --- | --- | --- |")
                for parameter in parameters:
                    required = "yes" if parameter.get("required") else "no"
                    lines.append(f"| `{parameter['name']}` | {parameter['in']} | {required} |")
                lines.append("")
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                lines.append(f"Body: `{body['schema'].get('$ref', '').rsplit('/', 1)[-1]}`")
                lines.append("")
            codes = ", ".join(operation.get("responses", {}))
            lines.append(f"Responses: {codes}")
            lines.append("")
    lines.append("## Schemas")
    lines.append("")
    for name, component in sorted(schema["components"]["schemas"].items()):
        fields = ", ".join(f"`{field}`" for field in component.get("properties", {}))
        lines.append(f"- **{name}**: {fields or component.get('type', '')}")
    lines.append("")
    return "\n".join(lines)


def generate() -> str:
    # The schema needs no models: without the built-in scorers nothing loads in the background.
    app = create_app(
        Settings(builtin_scorers=False), engine=create_engine("sqlite://"), check_migrations=False
    )
    return render(app.openapi())


def main() -> int:
    text = generate()
    if "--check" in sys.argv:
        if not TARGET.exists() or TARGET.read_text() != text:
            sys.stderr.write("docs/reference/api.md is stale: run scripts/api_reference.py\n")
            return 1
        return 0
    TARGET.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
