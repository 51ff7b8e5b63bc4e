"""How often an account may post or report: a moving window per (action, site, account), on the
`limits` library.
In process by default (MemoryStorage), so one process is a complete install; several processes
each count their own posts until a shared (Redis) storage is configured."""

from __future__ import annotations

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy.orm import Session

INFO_KEY = "commentdesk_throttle"


class PostThrottle:
    def __init__(self) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def allows(
        self,
        *,
        action: str,
        site_id: int,
        account_id: int,
        count: int,
        window_seconds: int,
        consume: bool,
    ) -> bool:
        """Whether one more `action` ("post", "report") fits the window; `consume` records it (a
        real post does, the pre-post check does not)."""
        item = RateLimitItemPerSecond(count, window_seconds)
        keys = (action, str(site_id), str(account_id))
        return self._limiter.hit(item, *keys) if consume else self._limiter.test(item, *keys)


def throttle(session: Session) -> PostThrottle | None:
    """The throttle shared by `session`'s factory; None for sessions made without one."""
    found: PostThrottle | None = session.info.get(INFO_KEY)
    return found
