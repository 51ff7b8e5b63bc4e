"""The hooks plugins implement. Each hookspec has a one-line docstring."""

from __future__ import annotations

import pluggy

from commentdesk.scoring.protocol import Scorer

hookspec = pluggy.HookspecMarker("commentdesk")
hookimpl = pluggy.HookimplMarker("commentdesk")


class Hooks:
    @hookspec
    def register_scorers(self) -> list[Scorer]:  # type: ignore[empty-body]
        """Scorers to run on every new comment, after the moderation rules."""
