"""Runtime settings, read from the environment (prefix COMMENTDESK_); every field is described."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """All of Commentdesk's settings. Each may be set as `COMMENTDESK_<NAME>` in the environment."""

    model_config = SettingsConfigDict(env_prefix="COMMENTDESK_", extra="ignore")

    data_dir: Path = Field(
        default=Path("data"),
        description="Directory for the default SQLite database and other local state.",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the database, e.g. postgresql+psycopg://user@host/db. "
            "Unset means a SQLite file `commentdesk.db` inside data_dir."
        ),
    )
    database_pool_size: int = Field(
        default=10, ge=1, le=200, description="Connections kept open per process (PostgreSQL)."
    )
    token_ttl_seconds: int = Field(
        default=30 * 24 * 3600,
        ge=60,
        description="How long a reader's bearer token from register, login or SSO stays valid.",
    )
    desk_session_seconds: int = Field(
        default=12 * 3600,
        ge=300,
        le=30 * 24 * 3600,
        description="How long a moderator stays signed in to the dashboard (/desk/).",
    )
    desk_cookie_secure: bool | None = Field(
        default=None,
        description=(
            "Mark the dashboard's session cookie Secure (sent over HTTPS only). Unset: Secure "
            "whenever the request arrived over HTTPS (behind a proxy, run uvicorn with "
            "--proxy-headers so it knows)."
        ),
    )
    builtin_scorers: bool = Field(
        default=True,
        description=(
            "Run the built-in moderation assistant (toxicity and the other scores) on every "
            "new comment. Its models load once per process, at start, in about a second and "
            "220 MB; they run on this machine and send nothing anywhere."
        ),
    )
    scoring_budget_seconds: float = Field(
        default=0.5,
        gt=0,
        le=30,
        description=(
            "How long posting waits for the scorers. A scorer that has not answered by then is "
            "recorded as late, and the site's `hold_when_scorers_fail` setting decides whether "
            "the comment waits for a moderator or is published."
        ),
    )
    thread_cache_entries: int = Field(
        default=2048,
        ge=0,
        description=(
            "Public thread pages and count responses kept in the in-process cache (0: no cache)."
        ),
    )
    thread_cache_max_age: int = Field(
        default=5,
        ge=0,
        description=(
            "Seconds a shared HTTP cache (CDN) may serve a thread page without revalidating "
            "(Cache-Control s-maxage); browsers always revalidate with the ETag."
        ),
    )

    def resolved_database_url(self) -> str:
        """The database URL in use: the configured one or the SQLite file in data_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'commentdesk.db').resolve()}"
