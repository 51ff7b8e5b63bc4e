"""Domain errors with stable string codes. Knows nothing of HTTP: web/errors.py maps them."""

from __future__ import annotations

from typing import Any


class CommentdeskError(Exception):
    """Base of every domain error; `code` is stable and is what clients and tests match on."""

    code = "error"

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(CommentdeskError):
    code = "not_found"


class PermissionDenied(CommentdeskError):
    code = "permission_denied"


class CsrfFailed(PermissionDenied):
    """A dashboard form arrived without the token of the session it claims to come from."""

    code = "csrf_failed"


class Unauthenticated(CommentdeskError):
    code = "unauthenticated"


class InvalidInput(CommentdeskError):
    code = "invalid_input"


class Conflict(CommentdeskError):
    code = "conflict"


class TooManyFollows(Conflict):
    """A reader already follows as many stories and comments as one account may."""

    code = "follow_limit"


class StoryClosed(CommentdeskError):
    code = "story_closed"


class EditWindowClosed(CommentdeskError):
    code = "edit_window_closed"


class RateLimited(CommentdeskError):
    code = "rate_limited"


class DatabaseNotMigrated(CommentdeskError):
    code = "database_not_migrated"
