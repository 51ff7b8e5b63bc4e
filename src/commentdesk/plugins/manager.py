"""Builds the plugin manager: the hookspecs, plugins installed as `commentdesk` entry points,
and any plugins passed in (tests, embedding applications). Nothing loads at import time."""

from __future__ import annotations

from collections.abc import Iterable

import pluggy

from commentdesk.plugins import hookspecs
from commentdesk.scoring.protocol import Scorer


def build(
    plugins: Iterable[object] = (), *, load_entry_points: bool = True
) -> pluggy.PluginManager:
    manager = pluggy.PluginManager("commentdesk")
    manager.add_hookspecs(hookspecs.Hooks)
    if load_entry_points:
        manager.load_setuptools_entrypoints("commentdesk")
    for plugin in plugins:
        manager.register(plugin)
    return manager


def scorers(manager: pluggy.PluginManager) -> tuple[Scorer, ...]:
    """Every scorer every plugin registers, in registration order."""
    return tuple(scorer for found in manager.hook.register_scorers() for scorer in found)
