"""The JSON API over the ledger, and ``create_app``, which also mounts the web pages.

Everything an article brings is hostile input: the API only ever returns it as JSON
values, errors are JSON objects without tracebacks, writes need a bearer token and
request bodies are size-limited before any parsing happens.
"""

from __future__ import annotations

import hmac
import json
import os
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsledger.serve import web

MAX_BODY_BYTES = 5 * 1024 * 1024
STATUSES = ("asserted", "unverified", "denied", "contradicted")
STATIC_DIR = Path(__file__).with_name("static")
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2}([T ][0-9:.+\-Z]*)?)?)?$"

# 'self' only: no inline script, no CDN. Styles are files too; scripts set element styles through the CSSOM,
# which style-src does not govern.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Swagger UI (vendored, served from /static) injects <style> elements while it renders.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class LockedLedger:
    """The ledger behind one lock: request handlers run in a thread pool and a SQLite
    connection must not be used by two threads at once. The app is a local, single-analyst
    tool, so serialising ledger calls costs nothing that matters."""

    def __init__(self, ledger: Any) -> None:
        self._ledger = ledger
        self._lock = threading.RLock()

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._ledger, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return method(*args, **kwargs)
        return call


class BodyLimit:
    """ASGI middleware: 413 for bodies over ``max_bytes``, by Content-Length or as they stream in
    (a chunked upload has no length to check up front)."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.max_bytes
            except ValueError:
                await _send_json(send, 400, {"error": "invalid Content-Length"})
                return
            if too_big:
                await _send_json(send, 413, {"error": f"request body over {self.max_bytes} bytes"})
                return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise StarletteHTTPException(413, f"request body over {self.max_bytes} bytes")
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except StarletteHTTPException as err:
            if err.status_code != 413 or started:
                raise
            await _send_json(send, 413, {"error": err.detail})


class SecurityHeaders:
    """ASGI middleware adding the Content-Security-Policy and friends to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope.get("path") == "/docs" else CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-security-policy"]
                headers.append((b"content-security-policy", csp.encode()))
                headers.extend(SECURITY_HEADERS)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


async def _send_json(send: Send, status: int, body: dict[str, Any],
                     extra: list[tuple[bytes, bytes]] | None = None) -> None:
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                            *(extra or [])]})
    await send({"type": "http.response.body", "body": data})


class ArticleIn(BaseModel):
    """One document to ingest: its text or its HTML, and what the sender knows about it."""

    id: str | None = Field(None, max_length=200, description="article id; default: a hash of the text")
    text: str | None = Field(None, description="plain text (a capture of the page)")
    html: str | None = Field(None, description="the page's HTML")
    url: str | None = Field(None, max_length=4000)
    published: str | None = Field(None, max_length=64, description="ISO 8601 instant, when the page does not say")


def ledger_of(request: Request) -> LockedLedger:
    return request.app.state.ledger


LedgerDep = Annotated[LockedLedger, Depends(ledger_of)]


def token_problem(expected: str | None, authorization: str | None) -> tuple[int, str] | None:
    """Why a write is refused (status, message), or None when the bearer token is right."""
    if not expected:
        return 403, "writes are disabled: start the server with --token or NEWSLEDGER_TOKEN"
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        return 401, "missing or wrong bearer token"
    return None


bearer = HTTPBearer(auto_error=False, description="the token given to `newsledger serve` (--token or NEWSLEDGER_TOKEN)")


def require_token(request: Request, _: Annotated[Any, Depends(bearer)] = None) -> None:
    """Writes need ``Authorization: Bearer <token>``; with no token configured there are no writes.
    (WriteGuard already checked before the body was read; this also documents the scheme in OpenAPI.)"""
    problem = token_problem(request.app.state.token, request.headers.get("authorization"))
    if problem:
        raise HTTPException(problem[0], problem[1], headers={"WWW-Authenticate": "Bearer"})


class WriteGuard:
    """ASGI middleware: refuse API writes without the token before anyone reads (or parses) the body."""

    def __init__(self, app: ASGIApp, get_token: Callable[[], str | None]) -> None:
        self.app = app
        self.get_token = get_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") not in ("GET", "HEAD", "OPTIONS") \
                and str(scope.get("path", "")).startswith("/api/"):
            auth = dict(scope.get("headers") or []).get(b"authorization", b"").decode("latin-1")
            problem = token_problem(self.get_token(), auth)
            if problem:
                await _send_json(send, problem[0], {"error": problem[1]}, [(b"www-authenticate", b"Bearer")])
                return
        await self.app(scope, receive, send)


def is_api(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path == "/openapi.json"


def _validation_details(err: RequestValidationError) -> list[dict[str, Any]]:
    # Only where and what: pydantic's "input" would echo the (possibly huge, hostile) body back.
    return [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in err.errors()]


def install_error_handlers(app: FastAPI) -> None:
    """JSON errors under /api, small HTML pages elsewhere; never a traceback."""
    from newsledger.record import NewsledgerError

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> Response:
        headers = getattr(err, "headers", None)
        if is_api(request):
            return JSONResponse({"error": str(err.detail)}, status_code=err.status_code, headers=headers)
        return web.error_page(request, err.status_code, str(err.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> Response:
        details = _validation_details(err)
        if is_api(request):
            return JSONResponse({"error": "invalid request", "details": details}, status_code=422)
        msg = "; ".join(f"{'.'.join(d['loc'][1:]) or d['loc'][0]}: {d['msg']}" for d in details)
        return web.error_page(request, 422, f"invalid request: {msg}")

    @app.exception_handler(NewsledgerError)
    async def bad_input(request: Request, err: NewsledgerError) -> Response:
        if is_api(request):
            return JSONResponse({"error": str(err)}, status_code=422)
        return web.error_page(request, 422, str(err))

    @app.exception_handler(OverflowError)
    async def too_big(request: Request, err: OverflowError) -> Response:
        # an id or number with more digits than the database's integers hold: no such item can exist
        if is_api(request):
            return JSONResponse({"error": "number out of range"}, status_code=422)
        return web.error_page(request, 422, "number out of range")

    @app.exception_handler(Exception)
    async def crashed(request: Request, err: Exception) -> Response:
        if is_api(request):
            return JSONResponse({"error": "internal error"}, status_code=500)
        return web.error_page(request, 500, "internal error")


def _page(limit: int, offset: int) -> dict[str, int]:
    return {"limit": limit, "offset": offset}


def build_api(app: FastAPI) -> None:
    """The /api routes."""
    Limit = Query(100, ge=1, le=1000)
    Offset = Query(0, ge=0, le=10_000_000)

    @app.get("/api/stats", tags=["ledger"], summary="How many articles, entities, quotes, claims and events")
    def stats(ledger: LedgerDep) -> dict[str, Any]:
        return ledger.counts()

    @app.get("/api/articles", tags=["articles"], summary="Article metadata, in the order they were ingested")
    def articles(ledger: LedgerDep, limit: int = Query(50, ge=1, le=1000), offset: int = Offset) -> dict[str, Any]:
        return {"items": ledger.articles(limit=limit, offset=offset), **_page(limit, offset)}

    @app.get("/api/articles/{article_id}", tags=["articles"], summary="The full stored record of one article")
    def article(ledger: LedgerDep, article_id: str) -> dict[str, Any]:
        rec = ledger.article(article_id)
        if rec is None:
            raise HTTPException(404, "no such article")
        return rec

    @app.post("/api/articles", tags=["articles"], status_code=201, dependencies=[Depends(require_token)],
              summary="Extract one document and add its record to the ledger (needs the bearer token)")
    def ingest(ledger: LedgerDep, body: ArticleIn) -> dict[str, Any]:
        from newsledger import pipeline
        from newsledger.read import Document
        from newsledger.record import NewsledgerError

        if (body.text is None) == (body.html is None):
            raise HTTPException(422, 'give exactly one of "text" or "html"')
        doc = Document(id=body.id, url=body.url, published=body.published, text=body.text, html=body.html,
                       source="request")
        try:
            rec = pipeline.extract(doc, url=body.url, published=body.published)
        except NewsledgerError as err:
            raise HTTPException(422, str(err)) from None
        status = ledger.ingest_record(rec)
        return {"status": status, "record": rec}

    @app.get("/api/entities", tags=["entities"], summary="Entities, optionally by name and type")
    def entities(ledger: LedgerDep, q: str | None = Query(None, max_length=200), type: str | None = Query(None, max_length=40),
                 limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
        return {"items": ledger.entities(q=q or None, type=type or None, limit=limit, offset=offset),
                **_page(limit, offset)}

    @app.get("/api/entities/{entity_id}", tags=["entities"],
             summary="One entity with what it said, claimed, did and suffered, and its neighbours")
    def entity(ledger: LedgerDep, entity_id: str) -> dict[str, Any]:
        ent = ledger.entity(entity_id) if web.plausible_id(entity_id) else None
        if ent is None:
            raise HTTPException(404, "no such entity")
        return ent

    @app.get("/api/quotes", tags=["quotes"], summary="Quotes, by speaker (entity id) and words")
    def quotes(ledger: LedgerDep, speaker: str | None = Query(None, max_length=200), q: str | None = Query(None, max_length=200),
               limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
        return {"items": ledger.quotes(speaker=speaker or None, q=q or None, limit=limit, offset=offset),
                **_page(limit, offset)}

    @app.get("/api/claims", tags=["claims"], summary="Claims, by status and source (entity id)")
    def claims(ledger: LedgerDep, status: Literal["asserted", "unverified", "denied", "contradicted"] | None = None,
               source: str | None = Query(None, max_length=200), limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
        return {"items": ledger.claims(status=status, source=source or None, limit=limit, offset=offset),
                **_page(limit, offset)}

    @app.get("/api/events", tags=["events"], summary="Events, by PLOVER type, actor (entity id) and date range")
    def events(ledger: LedgerDep, type: str | None = Query(None, max_length=40, pattern=r"^[A-Za-z_]*$"),
               actor: str | None = Query(None, max_length=200),
               since: str | None = Query(None, pattern=DATE_PATTERN, description="YYYY[-MM[-DD]]"),
               until: str | None = Query(None, pattern=DATE_PATTERN, description="YYYY[-MM[-DD]]"),
               limit: int = Query(500, ge=1, le=5000), offset: int = Offset) -> dict[str, Any]:
        items = ledger.events(type=type.upper() if type else None, actor=actor or None, since=since or None,
                              until=until or None, limit=limit, offset=offset)
        return {"items": items, **_page(limit, offset)}

    def view_events(ledger: LockedLedger, type: str | None, actor: str | None, since: str | None,
                    until: str | None) -> list[dict]:
        from newsledger.ledger.export import PAGE, _all

        def fetch(limit: int = PAGE, offset: int = 0) -> list[dict]:
            return ledger.events(type=type.upper() if type else None, actor=actor or None, since=since or None,
                                 until=until or None, limit=limit, offset=offset)
        return list(_all(fetch))

    # one Query object per parameter: FastAPI keeps per-parameter state on them
    def TypeQ() -> Any:  # noqa: N802
        return Query(None, max_length=40, pattern=r"^[A-Za-z_]*$")

    def ActorQ() -> Any:  # noqa: N802
        return Query(None, max_length=200)

    def DayQ() -> Any:  # noqa: N802
        return Query(None, pattern=DATE_PATTERN, description="YYYY[-MM[-DD]]")

    def QuotesQ() -> Any:  # noqa: N802
        return Query(False, description="add QUOTE edges: a speaker -> each entity named in their quote's words "
                                        "(these follow the actor filter only)")

    @app.get("/api/events.geojson", tags=["events"], response_class=Response,
             summary="Events as a GeoJSON FeatureCollection (null geometry where an event has no coordinates)",
             responses={200: {"content": {"application/geo+json": {}}}})
    def events_geojson(ledger: LedgerDep, type: str | None = TypeQ(), actor: str | None = ActorQ(),
                       since: str | None = DayQ(), until: str | None = DayQ()) -> Response:
        from newsledger.ledger.export import events_geojson as to_geojson

        body = json.dumps(to_geojson(view_events(ledger, type, actor, since, until)), ensure_ascii=False)
        return Response(body, media_type="application/geo+json")

    @app.get("/api/network", tags=["events"],
             summary="The actor network: actors as nodes, one directed edge per actor, target and PLOVER type")
    def network(ledger: LedgerDep, type: str | None = TypeQ(), actor: str | None = ActorQ(),
                since: str | None = DayQ(), until: str | None = DayQ(), quotes: bool = QuotesQ()) -> dict[str, Any]:
        from newsledger.ledger.export import actor_network, quote_mentions

        mentions = quote_mentions(ledger, speaker=actor) if quotes else None
        return actor_network(view_events(ledger, type, actor, since, until), ledger.entity_names(), mentions)

    @app.get("/api/network.{fmt}", tags=["events"], response_class=Response,
             summary="The actor network as GraphML or GEXF (for Gephi, Cytoscape, networkx)",
             responses={200: {"content": {"application/graphml+xml": {}, "application/gexf+xml": {}}}})
    def network_file(ledger: LedgerDep, fmt: Literal["graphml", "gexf"], type: str | None = TypeQ(),
                     actor: str | None = ActorQ(), since: str | None = DayQ(), until: str | None = DayQ(),
                     quotes: bool = QuotesQ()) -> Response:
        import io

        from newsledger.ledger.export import actor_network, quote_mentions, write_network

        mentions = quote_mentions(ledger, speaker=actor) if quotes else None
        net = actor_network(view_events(ledger, type, actor, since, until), ledger.entity_names(), mentions)
        buf = io.BytesIO()
        write_network(net, fmt, buf)
        return Response(buf.getvalue(), media_type=f"application/{fmt}+xml",
                        headers={"content-disposition": f'attachment; filename="newsledger-network.{fmt}"'})

    @app.get("/api/search", tags=["search"], summary="Full-text search over article text and quotes")
    def search(ledger: LedgerDep, q: str = Query(..., min_length=1, max_length=200), limit: int = Query(50, ge=1, le=500)) -> dict[str, Any]:
        return {"items": ledger.search(q, limit=limit), "q": q}


def create_app(ledger_url: str | None = None, token: str | None = None, *, ledger: Any = None,
               allowed_hosts: list[str] | None = None) -> FastAPI:
    """The web app and API over the ledger at ``ledger_url`` (default: $NEWSLEDGER_DB, then the Ledger's own).

    ``token`` enables writes (default: $NEWSLEDGER_TOKEN). ``ledger`` passes an already open object with the
    Ledger interface instead of a URL (the app then leaves closing it to the caller). ``allowed_hosts``
    limits the Host header (``serve`` on a loopback address allows only loopback names, so a web page
    that rebinds its own DNS name to 127.0.0.1 cannot read the ledger through the analyst's browser).
    """
    owned = ledger is None
    if owned:
        from newsledger.ledger import Ledger

        ledger = Ledger(ledger_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            ledger.close()

    app = FastAPI(title="newsledger", version=_version(), docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Articles, entities, quotes, claims with their status, and PLOVER events: "
                              "every item points back to the words it came from.")
    app.state.ledger = LockedLedger(ledger)
    app.state.token = token if token is not None else (os.environ.get("NEWSLEDGER_TOKEN") or None)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_handlers(app)
    build_api(app)


    web.register(app)
    app.add_middleware(WriteGuard, get_token=lambda: app.state.token)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    return app


def _version() -> str:
    from newsledger import __version__

    return __version__
