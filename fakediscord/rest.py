"""REST plumbing of the fake: route table, request context, replies, recording, request hooks.

Every API request flows through :meth:`fakediscord.api.RestApi.handle`:
parse -> resolve route -> authenticate -> hooks (failure injection; opt-in rate limits) ->
handler -> record. Hooks see the resolved :class:`RequestContext` (including
:attr:`RequestContext.bucket_key`) and may short-circuit with a :class:`Reply`; response hooks
see every routed reply before it is recorded and sent, so a rate limiter can add
``X-RateLimit-*`` headers to :attr:`Reply.headers`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fakediscord.models import UploadedFile
from fakediscord.validation import FieldError, form_errors

JSON = dict[str, Any]

#: Path parameters that select a rate-limit bucket on Discord ("major parameters").
MAJOR_PARAMETERS = ("channel_id", "guild_id", "application_id", "interaction_id", "webhook_token")


@dataclass
class Reply:
    """What a handler or hook answers: status, JSON body (None means no body) and headers."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class DiscordHTTPError(Exception):
    """Raised by handlers to answer with a Discord error body ``{"code", "message"[, "errors"]}``."""

    def __init__(self, status: int, code: int, message: str, errors: JSON | None = None) -> None:
        """Describe the error response."""
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def to_reply(self) -> Reply:
        """Render as a :class:`Reply`."""
        body: JSON = {"message": self.message, "code": self.code}
        if self.errors is not None:
            body["errors"] = self.errors
        return Reply(self.status, body)


def http_error(status: int, code: int, message: str) -> DiscordHTTPError:
    """Shorthand for a :class:`DiscordHTTPError`."""
    return DiscordHTTPError(status, code, message)


def invalid_form(errors: list[FieldError]) -> DiscordHTTPError:
    """400 50035 Invalid Form Body with nested ``errors`` (50006 for an empty message)."""
    if any(e.code == "EMPTY_MESSAGE" for e in errors):
        return http_error(400, 50006, "Cannot send an empty message")
    return DiscordHTTPError(400, 50035, "Invalid Form Body", form_errors(errors))


#: (status, code, message) of Discord's common 403s.
MISSING_PERMISSIONS = (403, 50013, "Missing Permissions")
MISSING_ACCESS = (403, 50001, "Missing Access")


Handler = Callable[["RequestContext"], Awaitable[Reply]]


@dataclass(frozen=True)
class RouteSpec:
    """One implemented endpoint; ``template`` uses Discord's ``{param}`` notation."""

    method: str
    template: str
    handler: Handler
    regex: re.Pattern[str]
    auth: bool

    def match(self, method: str, path: str) -> dict[str, str] | None:
        """Path parameters if this route serves ``method path``, else None."""
        if method != self.method:
            return None
        m = self.regex.fullmatch(path)
        return None if m is None else m.groupdict()


def _compile(template: str) -> re.Pattern[str]:
    pattern = ""
    for part in re.split(r"(\{\w+\})", template):
        if part.startswith("{") and part.endswith("}"):
            name = part[1:-1]
            body = r"\d+" if name.endswith("_id") else r"[^/]+"
            pattern += f"(?P<{name}>{body})"
        else:
            pattern += re.escape(part)
    return re.compile(pattern)


class Router:
    """Ordered route table; the first match wins (so literal routes go before generic ones)."""

    def __init__(self) -> None:
        """Create an empty table."""
        self.routes: list[RouteSpec] = []

    def add(self, method: str, template: str, handler: Handler, *, auth: bool = True) -> None:
        """Register ``handler`` for ``method template``; ``auth`` requires the bot token."""
        self.routes.append(RouteSpec(method, template, handler, _compile(template), auth))

    def resolve(self, method: str, path: str) -> tuple[RouteSpec, dict[str, str]] | None:
        """Find the route serving a request."""
        for route in self.routes:
            params = route.match(method, path)
            if params is not None:
                return route, params
        return None


@dataclass
class RequestContext:
    """A parsed API request. ``path`` is relative to ``/api/v10``."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    files: list[UploadedFile]
    route: RouteSpec | None = None
    params: dict[str, str] = field(default_factory=dict)
    #: ``time.monotonic()`` when the fake started handling the request (before reading its body).
    received_at: float = 0.0

    def int_param(self, name: str) -> int:
        """A path parameter as int."""
        return int(self.params[name])

    def body(self) -> JSON:
        """The JSON body as an object (empty dict when absent); 50109 if it is not an object."""
        if self.json is None:
            return {}
        if not isinstance(self.json, dict):
            raise DiscordHTTPError(400, 50109, "The request body contains invalid JSON.")
        return self.json

    def flag(self, name: str) -> bool:
        """A boolean query parameter (``1``/``true``)."""
        return self.query.get(name, "").lower() in ("1", "true")

    @property
    def bucket_key(self) -> str:
        """Route template plus major parameters: the key the per-route rate limiter uses."""
        template = self.route.template if self.route is not None else self.path
        majors = ":".join(self.params[p] for p in MAJOR_PARAMETERS if p in self.params)
        return f"{self.method} {template}:{majors}"


@dataclass
class RecordedRequest:
    """One API request the bot made, with the fake's answer."""

    method: str
    path: str
    route: str | None
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    files: list[UploadedFile]
    headers: dict[str, str]
    status: int
    response: Any
    at: float
    injected: bool = False

    def __repr__(self) -> str:
        """Short form for assertion messages."""
        return f"<{self.method} {self.path} -> {self.status}>"


#: A request hook: return a Reply to short-circuit, None to continue.
RequestHook = Callable[[RequestContext], Awaitable[Reply | None]]

#: A response hook: inspect/adjust (e.g. add headers to) the reply of a routed request.
ResponseHook = Callable[[RequestContext, Reply], None]


@dataclass
class FailureRule:
    """An injected failure: the next ``remaining`` requests matching method + path regex fail."""

    method: str
    pattern: re.Pattern[str]
    status: int
    body: Any
    remaining: int
    hits: int = 0

    def matches(self, ctx: RequestContext) -> bool:
        """Whether this rule applies to the request."""
        return (
            self.remaining > 0
            and (self.method == "*" or self.method == ctx.method)
            and self.pattern.search(ctx.path) is not None
        )


class FailureInjector:
    """The first request hook: serves :class:`FailureRule` answers."""

    def __init__(self) -> None:
        """Start with no rules."""
        self.rules: list[FailureRule] = []

    def add(self, method: str, path_regex: str, status: int, body: Any, times: int) -> FailureRule:
        """Register a rule."""
        rule = FailureRule(method.upper(), re.compile(path_regex), status, body, times)
        self.rules.append(rule)
        return rule

    async def __call__(self, ctx: RequestContext) -> Reply | None:
        """Answer from the first matching rule, if any."""
        for rule in self.rules:
            if rule.matches(ctx):
                rule.remaining -= 1
                rule.hits += 1
                return Reply(rule.status, rule.body)
        return None


#: Headers worth keeping in :class:`RecordedRequest` (never the token itself).
RECORDED_HEADERS = ("Content-Type", "User-Agent", "X-Audit-Log-Reason")
