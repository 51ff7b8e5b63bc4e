"""The one table from domain errors to HTTP: every error body is
{"error": {"code", "message", "details"}} with a stable code."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from commentdesk import errors

logger = logging.getLogger(__name__)

HTTP_STATUS: dict[type[errors.CommentdeskError], int] = {
    errors.NotFound: 404,
    errors.PermissionDenied: 403,
    errors.Unauthenticated: 401,
    errors.InvalidInput: 422,
    errors.Conflict: 409,
    errors.StoryClosed: 409,
    errors.EditWindowClosed: 409,
    errors.RateLimited: 429,
    errors.DatabaseNotMigrated: 503,
}
HTTP_CODES = {
    400: "invalid_input",
    401: "unauthenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "rate_limited",
}


def error_response(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        {"error": {"code": code, "message": message, "details": details}},
        status_code=status,
        headers=headers,
    )


ErrorPage = Callable[[Request, int, str, str], Response | None]


def install(app: FastAPI, *, pages: ErrorPage | None = None) -> None:
    """Register the handlers that turn every failure into the error shape; `pages` may answer
    instead with an HTML page (the dashboard's), returning None where JSON should."""

    def respond(
        request: Request, status: int, code: str, message: str, details: Any = None
    ) -> Response:
        page = pages(request, status, code, message) if pages else None
        return page if page is not None else error_response(status, code, message, details)

    @app.exception_handler(errors.CommentdeskError)
    async def domain_error(request: Request, error: errors.CommentdeskError) -> Response:
        status = next((code for kind, code in HTTP_STATUS.items() if isinstance(error, kind)), 400)
        return respond(request, status, error.code, error.message, error.details)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        # Echo where and why, never the submitted values: they may be huge or not JSON-safe.
        details = [
            {"loc": list(item.get("loc", ())), "msg": item.get("msg", ""), "type": item.get("type")}
            for item in error.errors()
        ]
        first = details[0] if details else {"loc": [], "msg": "invalid"}
        where = ".".join(str(part) for part in first["loc"] if part != "body") or "request"
        return respond(request, 422, "invalid_input", f"{where}: {first['msg']}", details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        code = HTTP_CODES.get(error.status_code, "http_error")
        return respond(request, error.status_code, code, str(error.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return respond(request, 500, "internal_error", "Something went wrong on our side.")
