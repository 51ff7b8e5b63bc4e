"""The widget's locale files: every language has every message, with the same placeholders,
and plural messages say both "one" and "other"."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

LOCALES = Path(__file__).resolve().parents[2] / "src/commentdesk/web/static/widget/locales"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
WIDGET = LOCALES.parent / "embed.js"


def load(language: str) -> dict[str, Any]:
    messages: dict[str, Any] = json.loads((LOCALES / f"{language}.json").read_text())
    return messages


def placeholders(message: Any) -> set[str]:
    texts = message.values() if isinstance(message, dict) else [message]
    return {name for text in texts for name in PLACEHOLDER.findall(text)}


@pytest.mark.parametrize("language", ["es", "de"])
def test_every_locale_has_every_message_with_the_same_placeholders(language: str) -> None:
    english, other = load("en"), load(language)
    assert set(other) == set(english)
    for key, message in english.items():
        assert placeholders(other[key]) == placeholders(message), key
        assert isinstance(other[key], dict) == isinstance(message, dict), key
        if isinstance(message, dict):
            assert {"one", "other"} <= set(other[key]), key
        assert other[key], key


def test_every_message_the_widget_asks_for_exists() -> None:
    asked = set(re.findall(r"\bt\('([a-z_.]+)'", WIDGET.read_text()))
    built = {f"sort.{name}" for name in ("newest", "oldest", "top", "replies", "best")}
    built |= {f"reason.{name}" for name in ("abusive", "spam", "off_topic", "other")}
    assert asked, "the widget asks for no messages"
    assert asked | built <= set(load("en")), sorted((asked | built) - set(load("en")))
