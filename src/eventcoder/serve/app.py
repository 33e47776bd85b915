"""FastAPI app over a read-only store: JSON API under ``/api/`` and the dashboard at ``/``.

``create_app(db_path)`` builds the app; ``serve(db_path)`` runs it with
uvicorn on localhost. Every error answer has one shape,
``{"error": {"code": ..., "message": ...}}``: 422 for bad parameters, 400 for
a bad cursor, 404 for a missing id, never a 500 for client input.
"""

import json
import logging
import os
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..config import Settings
from ..errors import ConfigError, EventcoderError, QueryError, StoreError
from . import schemas
from .backend import Backend, BadCursorError, NotFoundError, QueryParams

STATIC_DIR = Path(__file__).parent / "static"
MAX_PARAM_CHARS = 200  # names, places, search text
MAX_ID_CHARS = 300  # "local:" + a slug of a long name stays well under this
MAX_CURSOR_CHARS = 1000
MAX_QUERY_CHARS = 6400  # the whole query string
ID_PATTERN = r"^[\w][\w:.\-]*$"
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
TOKEN_PATTERN = r"^[A-Za-z_]{1,40}$"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
# Swagger UI at /docs loads its assets from a CDN and runs an inline script: it
# gets a looser policy of its own; the dashboard and the API keep the strict one.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

log = logging.getLogger(__name__)

#: The model's MODALITIES as a type FastAPI can validate and document (a test keeps the two equal).
Modality = Literal[
    "asserted", "claimed", "denied", "alleged", "threatened", "planned", "hypothetical", "negated",
]


def create_app(db_path: str | Path, settings: Settings | None = None, *, snapshot: bool = False,
               refresh_s: float = 5.0, cache_size: int = 256, cache_bytes: int = 64 << 20) -> FastAPI:
    """The API and dashboard over the store at ``db_path``, opened read-only.

    With ``snapshot`` the app reads a private copy of the file, refreshed (at
    most every ``refresh_s`` seconds) once the file changed and no writer holds
    it, so that ``eventcoder ingest`` can write the same file while it serves.
    ``cache_size`` rendered answers of listings and aggregates, ``cache_bytes`` in all, are kept (0: none).
    """
    settings = settings or Settings.from_env()
    backend = Backend(Path(db_path), snapshot=snapshot, refresh_s=refresh_s, cache_size=cache_size,
                      cache_bytes=cache_bytes)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        backend.close()

    app = FastAPI(
        title="eventcoder",
        version="1",
        summary="Political events coded from news text, each with the sentence it came from.",
        lifespan=lifespan,
        responses={422: {"model": schemas.ErrorResponse}, 400: {"model": schemas.ErrorResponse}},
    )
    app.state.backend = backend
    _install_error_handlers(app)
    app.add_middleware(SecurityHeaders)
    app.include_router(_api_router(backend, settings))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    return app


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8000, settings: Settings | None = None, *,
          snapshot: bool = False, workers: int = 1, cache_size: int = 256, log_level: str = "info") -> None:
    """Run the app with uvicorn until interrupted (binds to localhost unless told otherwise).

    ``workers`` > 1 runs that many server processes on one port (uvicorn's process supervisor), each with
    its own read-only connection and cache: Python work then uses more than one CPU. They read the
    settings from the environment (``EVENTCODER_*``), not from ``settings``.
    """
    import uvicorn

    if workers <= 1:
        app = create_app(db_path, settings, snapshot=snapshot, cache_size=cache_size)
        uvicorn.run(app, host=host, port=port, log_level=log_level)
        return
    from uvicorn.supervisors import Multiprocess

    os.environ[_WORKER_ENV] = json.dumps({"db": str(db_path), "snapshot": snapshot, "cache_size": cache_size})
    config = uvicorn.Config(f"{__name__}:app_from_env", factory=True, host=host, port=port, workers=workers,
                            log_level=log_level)
    Multiprocess(config, target=uvicorn.Server(config).run, sockets=[listening_socket(host, port)]).run()


_WORKER_ENV = "EVENTCODER_SERVE_APP"


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound TCP socket the worker processes share.

    Not uvicorn's ``Config.bind_socket``: it makes the socket with protocol 0, and asyncio sets TCP_NODELAY only
    on connections whose protocol is TCP, so a response's head and body (two writes) waited for the client's
    delayed ACK, about 40 ms on every kept-alive request.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {error.strerror}", where=f"{host}:{port}",
                          hint="choose another --port or stop what uses this one") from None
    sock.set_inheritable(True)
    return sock


def app_from_env() -> FastAPI:
    """The app a ``serve(..., workers=N)`` worker process builds, from what ``serve`` put in its environment."""
    options = json.loads(os.environ[_WORKER_ENV])
    return create_app(options["db"], snapshot=options["snapshot"], cache_size=options["cache_size"])


# ---------------------------------------------------------------- errors


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


_HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}


def _describe_validation(error: RequestValidationError) -> str:
    parts = []
    for item in error.errors()[:5]:
        where = ".".join(str(part) for part in item.get("loc", ()) if part not in ("query", "path"))
        parts.append(f"{where}: {item.get('msg', 'invalid value')}")
    return "; ".join(parts) or "invalid parameters"


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def on_validation(_: Request, error: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_parameter", _describe_validation(error))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(_: Request, error: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(error.status_code, "http_error")
        message = error.detail if isinstance(error.detail, str) else code.replace("_", " ")
        return error_response(error.status_code, code, message)

    @app.exception_handler(NotFoundError)
    async def on_not_found(_: Request, error: NotFoundError) -> JSONResponse:
        return error_response(404, "not_found", error.message)

    @app.exception_handler(BadCursorError)
    async def on_bad_cursor(_: Request, error: BadCursorError) -> JSONResponse:
        return error_response(400, "invalid_cursor", error.message)

    @app.exception_handler(QueryError)
    async def on_query_error(_: Request, error: QueryError) -> JSONResponse:
        return error_response(422, "invalid_parameter", error.message)

    @app.exception_handler(EventcoderError)
    async def on_store_error(_: Request, error: EventcoderError) -> JSONResponse:
        log.error("store error: %s", error)
        status = 503 if isinstance(error, StoreError) else 500
        return error_response(status, error.reason, "the store could not answer; see the server log")

    @app.exception_handler(Exception)
    async def on_unexpected(_: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=error)
        return error_response(500, "internal", "internal error; see the server log")


class SecurityHeaders:
    """Refuses overlong query strings and adds the security headers to every answer.

    Plain ASGI rather than ``@app.middleware("http")``: Starlette's ``BaseHTTPMiddleware`` runs each
    request through an extra task and memory streams, which cost about as much as a cached answer.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        policy = DOCS_CSP if path in ("/docs", "/redoc") else CONTENT_SECURITY_POLICY

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = policy
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                headers["X-Frame-Options"] = "DENY"
                if path.startswith("/api/"):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        if len(scope.get("query_string", b"").decode("utf-8", "replace")) > MAX_QUERY_CHARS:
            await error_response(422, "invalid_parameter", "query string too long")(scope, receive, send_with_headers)
        else:
            await self.app(scope, receive, send_with_headers)


# ---------------------------------------------------------------- parameters

Text = Annotated[str | None, Query(max_length=MAX_PARAM_CHARS)]
IdQuery = Annotated[str | None, Query(pattern=ID_PATTERN, max_length=MAX_ID_CHARS)]
IdParam = Annotated[str, PathParam(pattern=ID_PATTERN, max_length=MAX_ID_CHARS, description="an id the API gave")]
Cursor = Annotated[str | None, Query(max_length=MAX_CURSOR_CHARS, description="next_cursor of the previous page")]


async def event_filters(  # async: no I/O, so FastAPI need not hand it to a worker thread
    type: Annotated[str | None, Query(pattern=TOKEN_PATTERN, description="PLOVER event type, e.g. PROTEST")] = None,
    actor: Annotated[str | None, Query(max_length=MAX_ID_CHARS, description="source actor id or name")] = None,
    role: Annotated[Literal["actor", "recipient"] | None, Query(description="side `actor` must be on")] = None,
    recipient: Annotated[str | None, Query(max_length=MAX_ID_CHARS, description="recipient id or name")] = None,
    since: Annotated[str | None, Query(pattern=DATE_PATTERN, description="YYYY[-MM[-DD]], inclusive")] = None,
    until: Annotated[str | None, Query(pattern=DATE_PATTERN, description="YYYY[-MM[-DD]], inclusive")] = None,
    modality: Annotated[Modality | None, Query()] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2,3}$", description="ISO 3166-1 alpha-3")] = None,
    place: Annotated[str | None, Query(max_length=MAX_PARAM_CHARS, description="location name")] = None,
    q: Annotated[str | None, Query(max_length=MAX_PARAM_CHARS, description="text in the evidence sentence")] = None,
    document: IdQuery = None,
    story: IdQuery = None,
    min_confidence: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
) -> QueryParams:
    return QueryParams(
        type=type.upper() if type else None, actor=actor, role=role, recipient=recipient, since=since, until=until,
        modality=modality, country=country.upper() if country else None, place=place, text=q,
        document_id=document, story_id=story, min_confidence=min_confidence,
    )


Filters = Annotated[QueryParams, Depends(event_filters)]


# ---------------------------------------------------------------- routes


class Answers:
    """Renders a backend answer as JSON bytes, from the cache when this store version rendered it before.

    A hit is served on the event loop; a miss (and everything ``cache=False``) runs the store query and the
    rendering in one worker thread. Cached: listings, aggregates and actor profiles, which are the same for
    every viewer of a store version; one-event and one-document lookups are cheap and not cached.
    """

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.cache = backend.cache

    async def __call__(self, model: Any, function: Callable[..., Any], *args: Any, cache: bool = True,
                       **kwargs: Any) -> Response:
        request = (function.__name__, repr(args), repr(sorted(kwargs.items())))
        version = self.backend.version(refresh=False) if cache else None
        body = self.cache.get((version, *request)) if version is not None else None
        if body is None:
            body = await run_in_threadpool(self._render, model, function, args, kwargs, request if cache else None)
        return Response(body, media_type="application/json")

    def _render(self, model: Any, function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                request: tuple[str, ...] | None) -> bytes:
        if request is None:
            return schemas.render(model, function(*args, **kwargs))
        version = self.backend.version()  # may take a new snapshot: only here, off the event loop
        assert version is not None
        body = self.cache.get((version, *request))
        if body is None:
            body = schemas.render(model, function(*args, **kwargs))
            self.cache.put((version, *request), body)
        return body


def _api_router(backend: Backend, settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/api")
    answer = Answers(backend)
    page_size = settings.api_default_page_size
    max_page = settings.api_max_page_size
    Limit = Annotated[int, Query(ge=1, le=max_page, description=f"page size, at most {max_page}")]
    not_found: dict[int | str, dict[str, Any]] = {404: {"model": schemas.ErrorResponse}}

    @router.get("/health", response_model=schemas.Health)
    async def health() -> Response:
        return await answer(schemas.Health, backend.health, cache=False)

    @router.get("/summary", response_model=schemas.Summary)
    async def summary() -> Response:
        return await answer(schemas.Summary, backend.summary)

    @router.get("/events", response_model=schemas.Page[schemas.EventOut])
    async def events(filters: Filters, limit: Limit = page_size, cursor: Cursor = None,
                     merged: bool = False) -> Response:
        return await answer(schemas.Page[schemas.EventOut], backend.events, filters, limit=limit, cursor=cursor,
                            merged=merged)

    @router.get("/events/{event_id}", response_model=schemas.EventDetail, responses=not_found)
    async def event(event_id: IdParam) -> Response:
        return await answer(schemas.EventDetail, backend.event, event_id, cache=False)

    @router.get("/actors", response_model=schemas.Page[schemas.ActorOut])
    async def actors(q: Text = None, limit: Limit = page_size, cursor: Cursor = None) -> Response:
        return await answer(schemas.Page[schemas.ActorOut], backend.actors, q, limit=limit, cursor=cursor)

    @router.get("/actors/{actor_id}", response_model=schemas.ActorDetail, responses=not_found)
    async def actor(actor_id: IdParam) -> Response:
        # A profile aggregates every event of the actor (counts, types, partners): cached like the aggregates.
        return await answer(schemas.ActorDetail, backend.actor, actor_id)

    @router.get("/documents", response_model=schemas.Page[schemas.DocumentOut])
    async def documents(q: Text = None, limit: Limit = page_size, cursor: Cursor = None) -> Response:
        return await answer(schemas.Page[schemas.DocumentOut], backend.documents, q, limit=limit, cursor=cursor)

    @router.get("/documents/{document_id}", response_model=schemas.DocumentDetail, responses=not_found)
    async def document(document_id: IdParam) -> Response:
        return await answer(schemas.DocumentDetail, backend.document, document_id, cache=False)

    @router.get("/timeline", response_model=schemas.Timeline)
    async def timeline(filters: Filters, bucket: Literal["day", "week", "month", "year"] = "month") -> Response:
        return await answer(schemas.Timeline, backend.timeline, filters, bucket)

    @router.get("/network", response_model=schemas.Network)
    async def network(
        filters: Filters,
        min_weight: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
        limit: Annotated[int, Query(ge=1, le=1000, description="edges, heaviest first")] = 100,
    ) -> Response:
        return await answer(schemas.Network, backend.network, filters, min_weight=min_weight, limit=limit)

    @router.get("/places", response_model=schemas.Places)
    async def places(filters: Filters, limit: Annotated[int, Query(ge=1, le=5000)] = 1000) -> Response:
        return await answer(schemas.Places, backend.places, filters, limit=limit)

    @router.get("/stories", response_model=schemas.Page[schemas.StoryOut])
    async def stories(filters: Filters, limit: Limit = page_size, cursor: Cursor = None) -> Response:
        return await answer(schemas.Page[schemas.StoryOut], backend.stories, filters, limit=limit, cursor=cursor)

    return router
