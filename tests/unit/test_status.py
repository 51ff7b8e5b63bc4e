"""The allowed status moves, as a pure table."""

from __future__ import annotations

import pytest

from commentdesk.comments.models import CommentStatus as Status
from commentdesk.comments.status import can_move


@pytest.mark.parametrize(
    ("from_status", "to_status", "allowed"),
    [
        (None, Status.APPROVED, True),
        (None, Status.PENDING, True),
        (None, Status.DELETED, False),
        (Status.PENDING, Status.APPROVED, True),
        (Status.APPROVED, Status.REJECTED, True),
        (Status.REJECTED, Status.APPROVED, True),
        (Status.REJECTED, Status.WITHHELD, True),  # undoing a rejection of a withheld one
        (Status.APPROVED, Status.PENDING, True),  # undoing an approval
        (Status.DELETED, Status.PENDING, False),
        (Status.WITHHELD, Status.PENDING, True),
        (Status.DELETED, Status.APPROVED, False),
        (Status.APPROVED, Status.APPROVED, False),
    ],
)
def test_status_moves(from_status: Status | None, to_status: Status, allowed: bool) -> None:
    assert can_move(from_status, to_status) is allowed
