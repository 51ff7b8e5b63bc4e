"""Story URL and origin normalisation, shared by every package that matches pages to sites."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from commentdesk.errors import InvalidInput


def canonical_url(url: str) -> str:
    """The URL as stored: http(s) only, scheme and host lower-cased, default port and fragment
    dropped. Raises InvalidInput for anything else."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise InvalidInput("The story URL is not a valid URL.", details={"url": url}) from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput("The story URL must be an http or https URL.", details={"url": url})
    host = parts.hostname.lower()
    if port is not None and port != {"http": 80, "https": 443}[scheme]:
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def origin_of(url: str) -> str:
    """scheme://host[:port] of a canonical URL."""
    parts = urlsplit(canonical_url(url))
    return f"{parts.scheme}://{parts.netloc}"


def canonical_origin(origin: str) -> str:
    """An origin as stored; accepts a bare origin or any URL on it."""
    return origin_of(origin if "/" in origin.split("://", 1)[-1] else origin + "/")
