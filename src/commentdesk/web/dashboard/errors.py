"""Errors on dashboard pages: a person, not a script, is reading, so they get a page (or the
sign-in form) instead of the JSON error shape; the page's own script still gets JSON."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from commentdesk.web.dashboard.frame import render


def desk_error_page(request: Request, status: int, code: str, message: str) -> Response | None:
    """The page for an error under /desk/, or None where the JSON shape should answer."""
    path = request.url.path
    if not (path == "/desk" or path.startswith("/desk/")) or path.startswith("/desk/static/"):
        return None
    if "application/json" in request.headers.get("accept", ""):
        return None
    if status == 401:
        target = path if request.method == "GET" else "/desk/"
        if request.url.query and request.method == "GET":
            target += "?" + request.url.query
        return RedirectResponse(f"/desk/login?next={quote(target, safe='')}", status_code=303)
    return render(request, "error.html", None, status, code=code, message=message, status=status)
