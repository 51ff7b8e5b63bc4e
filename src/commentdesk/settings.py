"""Runtime settings, read from the environment (prefix COMMENTDESK_); every field is described."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from commentdesk.scoring.embedding import EmbeddingKind


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
            "new comment. Its models load at start, in about a second, in a scoring process "
            "beside the server (about 280 MB with the static embedding, 460 MB with the "
            "transformer); they run on this machine and send nothing anywhere."
        ),
    )
    assistant_embedding: EmbeddingKind = Field(
        default=EmbeddingKind.STATIC,
        description=(
            "The sentence embedding the built-in scorers read, each kind with its own trained "
            "models. `static` (the default): word-piece vectors distilled from all-MiniLM-L6-v2 "
            "by the project; the four scorers take a few milliseconds a comment. "
            "`transformer`: all-MiniLM-L6-v2 itself, about 40 ms a comment on one core, and "
            "better at short replies' relevance and at news comments' toxicity, for sites with "
            "cores to spare; the model card gives both kinds' figures."
        ),
    )
    scoring_processes: int = Field(
        default=1,
        ge=0,
        le=8,
        description=(
            "Run the scorers in this many child processes of each server process (scorers "
            "spread over them in turn), on the machine's other cores: their work then does not "
            "hold up the server's requests. 0: in threads of the server's own process (one "
            "process in all, with the requests and the scoring taking turns). A scorer from a "
            "plugin that cannot be pickled always runs in the server's process."
        ),
    )
    scoring_budget_seconds: float = Field(
        default=0.5,
        ge=0,
        le=30,
        description=(
            "How long posting waits for the scorers. A scorer that has not answered by then is "
            "late: the comment is stored, then scored in the background, and the site's "
            "`hold_when_scorers_fail` setting decides whether it stays withheld until then or "
            "is published at once (and taken back if its scores say so). 0: never wait, score "
            "every comment after it is stored (highest posting throughput)."
        ),
    )
    background_scoring: bool = Field(
        default=True,
        description=(
            "Score, in this process, the comments stored before their scores were in (see "
            "`scoring_budget_seconds`). Turn it off in web processes when `commentdesk rescore` "
            "runs as a separate worker."
        ),
    )
    rescoring_batch: int = Field(
        default=32,
        ge=1,
        le=256,
        description="Comments the background scorer takes at once (one model batch).",
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
    story_fetch_timeout_seconds: float = Field(
        default=3.0,
        gt=0,
        le=30,
        description=(
            "For sites with `fetch_story_text` on: how long fetching a story's page may take in "
            "all (connecting, each redirect, reading); a slower page is given up."
        ),
    )
    story_fetch_max_bytes: int = Field(
        default=1_000_000,
        ge=10_000,
        le=20_000_000,
        description="A fetched story page larger than this many bytes is given up.",
    )
    story_fetch_delay_seconds: float = Field(
        default=5.0,
        ge=0,
        le=300,
        description=(
            "How long after a story is first seen its page is fetched. The widget sends the "
            "page's own text (`data-story-text-selector`) at once, and the first text stored "
            "is kept, so this wait lets that better text arrive first."
        ),
    )

    def resolved_database_url(self) -> str:
        """The database URL in use: the configured one or the SQLite file in data_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'commentdesk.db').resolve()}"
