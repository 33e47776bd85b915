"""FastAPI app over a read-only store: JSON API under ``/api/`` and the dashboard at ``/``.

``create_app(db_path)`` builds the app; ``serve(db_path)`` runs it with
uvicorn on localhost. Every error answer has one shape,
``{"error": {"code": ..., "message": ...}}``: 422 for bad parameters, 400 for
a bad cursor, 404 for a missing id, never a 500 for client input.
"""

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..config import Settings
from ..errors import EventcoderError, QueryError, StoreError
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
               refresh_s: float = 5.0, cache_size: int = 256) -> FastAPI:
    """The API and dashboard over the store at ``db_path``, opened read-only.

    With ``snapshot`` the app reads a private copy of the file, refreshed (at
    most every ``refresh_s`` seconds) once the file changed and no writer holds
    it, so that ``eventcoder ingest`` can write the same file while it serves.
    ``cache_size`` answers of listings and aggregates are kept (0: none).
    """
    settings = settings or Settings.from_env()
    backend = Backend(Path(db_path), snapshot=snapshot, refresh_s=refresh_s, cache_size=cache_size)

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
    _install_security_headers(app)
    app.include_router(_api_router(backend, settings))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    return app


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8000, settings: Settings | None = None, *,
          snapshot: bool = False) -> None:
    """Run the app with uvicorn until interrupted (binds to localhost unless told otherwise)."""
    import uvicorn

    uvicorn.run(create_app(db_path, settings, snapshot=snapshot), host=host, port=port, log_level="info")


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


def _install_security_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if len(request.url.query) > MAX_QUERY_CHARS:
            response: Response = error_response(422, "invalid_parameter", "query string too long")
        else:
            response = await call_next(request)
        is_docs = request.url.path in ("/docs", "/redoc")
        response.headers["Content-Security-Policy"] = DOCS_CSP if is_docs else CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        if request.url.path.startswith("/api/"):
            response.headers["Cache-Control"] = "no-store"
        return response


# ---------------------------------------------------------------- parameters

Text = Annotated[str | None, Query(max_length=MAX_PARAM_CHARS)]
IdQuery = Annotated[str | None, Query(pattern=ID_PATTERN, max_length=MAX_ID_CHARS)]
IdParam = Annotated[str, PathParam(pattern=ID_PATTERN, max_length=MAX_ID_CHARS, description="an id the API gave")]
Cursor = Annotated[str | None, Query(max_length=MAX_CURSOR_CHARS, description="next_cursor of the previous page")]


def event_filters(
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


def _api_router(backend: Backend, settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/api")
    page_size = settings.api_default_page_size
    max_page = settings.api_max_page_size
    Limit = Annotated[int, Query(ge=1, le=max_page, description=f"page size, at most {max_page}")]
    not_found: dict[int | str, dict[str, Any]] = {404: {"model": schemas.ErrorResponse}}

    @router.get("/health", response_model=schemas.Health)
    def health() -> dict[str, Any]:
        return backend.health()

    @router.get("/summary", response_model=schemas.Summary)
    def summary() -> dict[str, Any]:
        return backend.summary()

    @router.get("/events", response_model=schemas.Page[schemas.EventOut])
    def events(filters: Filters, limit: Limit = page_size, cursor: Cursor = None, merged: bool = False) -> Any:
        return backend.events(filters, limit=limit, cursor=cursor, merged=merged)

    @router.get("/events/{event_id}", response_model=schemas.EventDetail, responses=not_found)
    def event(event_id: IdParam) -> Any:
        return backend.event(event_id)

    @router.get("/actors", response_model=schemas.Page[schemas.ActorOut])
    def actors(q: Text = None, limit: Limit = page_size, cursor: Cursor = None) -> Any:
        return backend.actors(q, limit=limit, cursor=cursor)

    @router.get("/actors/{actor_id}", response_model=schemas.ActorDetail, responses=not_found)
    def actor(actor_id: IdParam) -> Any:
        return backend.actor(actor_id)

    @router.get("/documents", response_model=schemas.Page[schemas.DocumentOut])
    def documents(q: Text = None, limit: Limit = page_size, cursor: Cursor = None) -> Any:
        return backend.documents(q, limit=limit, cursor=cursor)

    @router.get("/documents/{document_id}", response_model=schemas.DocumentDetail, responses=not_found)
    def document(document_id: IdParam) -> Any:
        return backend.document(document_id)

    @router.get("/timeline", response_model=schemas.Timeline)
    def timeline(filters: Filters, bucket: Literal["day", "week", "month", "year"] = "month") -> Any:
        return backend.timeline(filters, bucket)

    @router.get("/network", response_model=schemas.Network)
    def network(
        filters: Filters,
        min_weight: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
        limit: Annotated[int, Query(ge=1, le=1000, description="edges, heaviest first")] = 100,
    ) -> Any:
        return backend.network(filters, min_weight=min_weight, limit=limit)

    @router.get("/places", response_model=schemas.Places)
    def places(filters: Filters, limit: Annotated[int, Query(ge=1, le=5000)] = 1000) -> Any:
        return backend.places(filters, limit=limit)

    @router.get("/stories", response_model=schemas.Page[schemas.StoryOut])
    def stories(filters: Filters, limit: Limit = page_size, cursor: Cursor = None) -> Any:
        return backend.stories(filters, limit=limit, cursor=cursor)

    return router


