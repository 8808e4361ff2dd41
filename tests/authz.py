"""The machinery of the authorization matrix (tests/test_authorization_matrix.py).

- ``routes()`` walks Django's URL resolver: every pattern the site serves (the ninja API's
  methods read from its operations), Django's admin apart.
- ``Route`` is one line of the matrix: how to build a concrete URL from the ``World``, and
  the least role that may do each method on the district's objects.
- ``expected`` is the one function that turns (route, method, persona) into the answers
  allowed; ``Matrix.run`` sends each request as each persona inside a savepoint that is
  rolled back, so an allowed write never changes what the next request sees.
"""

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests import factories

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

LEVELS = ("none", "public", "any_logged_in", "view", "enter", "manage", "admin_local", "global")
"""Least roles, weakest first. ``none``: the route answers ``refused`` to everyone; ``public``: anyone, even anonymous; ``any_logged_in``: any
active user (the answer is then filtered to what the user may see); ``view``, ``enter``
(reporter), ``manage`` (manager), ``admin_local`` (an admin below the root) on the
district's objects; ``global``: only an admin held at the country."""


@dataclass(frozen=True)
class Persona:
    name: str
    level: str
    """The strongest level this persona holds over the district's objects."""
    is_blind: bool = False
    """A judge of the world's contest: refused what needs ``manage`` or more whatever
    their level, i.e. its organiser's pages and endpoints (decision 0053)."""


PERSONAS = (
    Persona("anonymous", "public"),
    Persona("outsider", "any_logged_in"),  # a manager of another district (D2)
    Persona("viewer", "view"),
    Persona("reporter", "enter"),
    Persona("manager", "manage"),
    Persona("province_admin", "admin_local"),  # an admin held at the province P1
    Persona("admin", "global"),  # an admin held at the country
)
JUDGING_MANAGER = Persona("judging_manager", "manage", is_blind=True)
"""A manager of D1 who judges round 1 of the world's contest, the entry assigned to them:
asked of that contest's routes only (``Matrix.run(routes, personas=(JUDGING_MANAGER,))``)."""


@dataclass
class Route:
    """One URL pattern of the matrix.

    ``url`` builds the concrete URL from the world; ``need`` maps each allowed method to
    its least level; ``refused`` is what a logged-in user without the right gets (403, or
    404 where the policy hides that the object exists); ``lists`` marks an answer that
    lists things and must not name the district's units to the outsider; ``xfail`` names a
    known defect (the matrix then expects the check to fail).
    """

    url: Callable
    need: dict[str, str]
    refused: frozenset[int] = frozenset({403})
    lists: bool = False
    xfail: str = ""
    outsider_ok: bool = False
    """The outsider is allowed too: the right is not over the district's objects but any
    unit's (importing a file needs CHANGE or ENTER_DATA somewhere; its rows are then
    checked one by one)."""
    body: Callable | None = None
    """The body of a write (JSON for the APIs, form fields for pages), built from the world:
    enough to pass validation, so that the permission decides."""
    not_for: frozenset[str] = frozenset()
    """Personas refused whatever their level (admins may not turn off two-factor)."""


def R(
    url, refused=(403,), lists=False, xfail="", outsider_ok=False, body=None, not_for=(), **need
) -> Route:
    """A matrix line: ``R(lambda w: "/api/v1/units/D1", GET="view", POST="manage")``."""
    assert need, "a route allows at least one method"
    assert all(m in METHODS for m in need) and all(v in LEVELS for v in need.values()), need
    return Route(url, need, frozenset(refused), lists, xfail, outsider_ok, body, frozenset(not_for))


ADMIN_PREFIX = "admin/"


def routes() -> list[str]:
    """Every URL pattern the site serves as its route string (a regular expression for
    ``re_path``), the admin's apart; a route the ninja API registers twice (one name
    per operation) appears once."""
    found: list[str] = []

    def walk(resolver, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route != ADMIN_PREFIX:
                    walk(pattern, route)
            elif isinstance(pattern, URLPattern) and route not in found:
                found.append(route)

    walk(get_resolver(), "")
    return found


def kind(route: str) -> str:
    if route.startswith("api/v1/"):
        return "api"
    if route.startswith("dhis2/"):
        return "dhis2"
    return "web"


@dataclass(frozen=True)
class Expect:
    allowed: bool
    statuses: frozenset[int] = frozenset()
    """When refused: the statuses accepted."""
    login_redirect: bool = False

    def check(self, response) -> str:
        """'' when ``response`` is what was expected, else what is wrong."""
        status = response.status_code
        if status >= 500:
            return f"server error {status}"
        if self.allowed:
            if status in {401, 403, 404, 405}:
                return f"refused ({status}) though allowed"
            if status == 302 and str(settings.LOGIN_URL) in response.get("Location", ""):
                return "sent to log in though logged in"
            return ""
        if self.login_redirect and status == 302 and "/dang-nhap/" in response.get("Location", ""):
            return ""
        if status in self.statuses:
            return ""
        return f"{status} (expected {sorted(self.statuses) or 'login redirect'})"


def expected(route: str, entry: Route, method: str, persona: Persona) -> Expect:
    """The one rule of the matrix."""
    web = kind(route) == "web"
    anonymous = persona.name == "anonymous"
    if method not in entry.need:
        if anonymous:  # log-in may be asked before the method is checked
            return Expect(False, frozenset({405, 401}), login_redirect=web)
        return Expect(False, frozenset({405}))
    need = entry.need[method]
    if need == "none":
        return Expect(False, entry.refused)
    if persona.name in entry.not_for:
        return Expect(False, entry.refused)
    if persona.is_blind and LEVELS.index(need) >= LEVELS.index("manage"):
        return Expect(False, entry.refused)
    if entry.outsider_ok and persona.name == "outsider" and need != "global":
        return Expect(True)
    if LEVELS.index(persona.level) >= LEVELS.index(need):
        return Expect(True)
    if anonymous:
        return Expect(False, frozenset({401}), login_redirect=web)
    return Expect(False, entry.refused)


def tables(models) -> dict:
    """The state a refused write must not change: row counts of the main tables (each
    as its default manager counts), and the submissions' statuses. One statement: asked
    after each refused write, 37 counts through the ORM were a third of the matrix's time."""
    from trienkhai.reporting.models import Submission

    sql, params = _counting(tuple(models))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        counts = cursor.fetchone()
    state: dict = {m._meta.label: n for m, n in zip(models, counts, strict=True)}
    state["statuses"] = sorted(
        Submission.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return state


@functools.cache
def _counting(models: tuple) -> tuple[str, list]:
    parts, params = [], []
    for i, model in enumerate(models):
        sql, found = model.objects.values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted_{i})")
        params.extend(found)
    return "SELECT " + ", ".join(parts), params


@dataclass
class Outcome:
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    xfailed: dict[str, list[str]] = field(default_factory=dict)
    xpassed: list[str] = field(default_factory=list)


class Sessions:
    """One test client per persona: session cookie for the web, bearer token for APIs."""

    def __init__(self, users: dict):
        from trienkhai.accounts.services import issue_token

        self.users = users
        self.client = Client()
        self.cookies: dict[str, str] = {}
        self.tokens: dict[str, str] = {}
        for name, user in users.items():
            if user is None:
                continue
            client = Client()
            factories.log_in(client, user)  # admins: past their second factor
            self.cookies[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
            self.tokens[name] = issue_token(user=user)

    def send(self, persona: str, route: str, method: str, url: str, body=None):
        client = self.client
        client.cookies.clear()
        headers = {}
        if persona in self.cookies:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.cookies[persona]
            if kind(route) != "web":
                headers["Authorization"] = f"Bearer {self.tokens[persona]}"
        call = getattr(client, method.lower())
        if method == "GET":
            return call(url, headers=headers)
        if kind(route) == "web" or any(hasattr(v, "read") for v in (body or {}).values()):
            return call(url, data=body or {}, headers=headers)  # form fields or multipart
        return call(
            url, data=json.dumps(body or {}), content_type="application/json", headers=headers
        )


def body_text(response) -> str:
    """The answer as text, JSON unescaped (names are \\u-escaped in JSON)."""
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type or "octet-stream" in content_type:
        return ""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    text = raw.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


def leaks(text: str, codes: list[str], names: list[str]) -> list[str]:
    """The codes (as whole words) and names of ``text`` that the reader may not see."""
    found = [c for c in codes if re.search(rf"(?<![\w#/-]){re.escape(c)}(?![\w-])", text)]
    return found + [n for n in names if n in text]


@dataclass
class Matrix:
    table: dict[str, Route]
    world: object
    sessions: Sessions
    watched: list
    outcome: Outcome = field(default_factory=Outcome)

    def run(self, routes: list[str], personas=PERSONAS, methods=METHODS) -> Outcome:
        baseline = tables(self.watched)
        for route in routes:
            entry = self.table[route]
            url = entry.url(self.world)
            for method in methods:
                # A method a route does not serve: 405 to a user with every right, and
                # anonymous refused (log-in first, or 405); the rest would add only time.
                ends = tuple(dict.fromkeys((personas[0], personas[-1])))
                asked = personas if method in entry.need else ends
                for persona in asked:
                    problem = self._one(route, entry, url, method, persona, baseline)
                    where = f"{method} {url} as {persona.name} [{route}]: {problem}"
                    if problem and entry.xfail:
                        self.outcome.xfailed.setdefault(route, []).append(where)
                    elif problem:
                        self.outcome.failures.append(where)
        for route in routes:
            if self.table[route].xfail and route not in self.outcome.xfailed:
                self.outcome.xpassed.append(route)
        return self.outcome

    def _one(self, route, entry, url, method, persona, baseline) -> str:
        body = entry.body(self.world) if entry.body and method != "GET" else None
        expect = expected(route, entry, method, persona)
        self.outcome.requests += 1
        with transaction.atomic():
            try:
                response = self.sessions.send(persona.name, route, method, url, body)
            except Exception as exc:  # the test client re-raises what a view let escape
                transaction.set_rollback(True)
                return f"server error: {type(exc).__name__}: {exc}"
            problem = expect.check(response)
            refused = not expect.allowed or 400 <= response.status_code < 500
            if not problem and refused and method != "GET":
                after = tables(self.watched)
                if after != baseline:
                    problem = f"refused write changed the data: {baseline} → {after}"
            if not problem and entry.lists and method == "GET" and persona.name == "outsider":
                found = leaks(body_text(response), *self.world.secrets)
                if found:
                    problem = f"lists what the outsider may not see: {found}"
            transaction.set_rollback(True)
        return problem
