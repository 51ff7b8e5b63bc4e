"""Adding a row that a unique constraint may already hold."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from commentdesk.db.base import Base


def add_if_new(session: Session, row: Base) -> bool:
    """Add and flush `row` in a savepoint; False, with the session unharmed, when a unique
    constraint says it is already there (another request, or an earlier one, added it)."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True
