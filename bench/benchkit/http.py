"""A small keep-alive JSON client over loopback for seeding and fetching; not used for timing."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from typing import Any

from benchkit.procs import BenchError


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class JsonClient:
    """Talks to one host:port, reconnecting when the server closes the connection."""

    def __init__(self, host: str, port: int, *, timeout: float = 30.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self._connection: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, *, payload: Any = None, headers: dict[str, str] | None = None
    ) -> Reply:
        body = None if payload is None else json.dumps(payload).encode()
        all_headers = {"Accept": "application/json", **(headers or {})}
        if body is not None:
            all_headers.setdefault("Content-Type", "application/json")
        for attempt in (1, 2):
            connection = self._connect()
            try:
                connection.request(method, path, body=body, headers=all_headers)
                response = connection.getresponse()
                data = response.read()
            except (http.client.HTTPException, ConnectionError) as error:
                self.close()
                # A server may drop an idle keep-alive connection; retry once on a fresh one.
                if attempt == 2:
                    raise BenchError(f"{method} {path} failed: {error}") from error
                continue
            if response.will_close:
                self.close()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
        raise AssertionError("unreachable")

    def expect(self, method: str, path: str, statuses: tuple[int, ...], **kwargs: Any) -> Reply:
        """request(), raising BenchError with the response body when the status is unexpected."""
        reply = self.request(method, path, **kwargs)
        if reply.status not in statuses:
            raise BenchError(
                f"{method} {path} answered {reply.status}, expected {statuses}: "
                f"{reply.body[:500].decode(errors='replace')}"
            )
        return reply

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            self._connection = http.client.HTTPConnection(
                self.host, self.port, timeout=self.timeout
            )
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
