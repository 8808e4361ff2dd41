"""Shared fixtures: a small organisation and one persona per role, plus an outsider.

VN
├── P1  Tỉnh Kiên Giang (province)
│   └── D1  Huyện Vĩnh Thuận (district)   ← manager, reporter, viewer hold roles here
│       ├── C1  Thị trấn Vĩnh Thuận
│       └── C2  Xã Vĩnh Bình Bắc
└── P2  Tỉnh Trà Vinh
    └── D2  Huyện Cầu Kè                   ← outsider is a manager here
"""

import datetime as dt
import os
from dataclasses import dataclass

import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests import factories, flush, template_db

# CI runs on a loaded 2-core machine: how long hypothesis takes to make or run an example
# says nothing about the code under test, so no test fails on time (no deadline, no
# "too slow" health check). Tests that set their own health checks add too_slow too.
hypothesis_settings.register_profile(
    "trienkhai", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("trienkhai")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Test databases start as copies of one migrated template (tests/template_db.py)."""
    template_db.install()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, then the rows the migrations left, read from the fresh database:
    each flush puts them back (tests/flush.py)."""
    from django.db import connection

    with django_db_blocker.unblock():
        flush.remember_the_seed(connection)


@pytest.fixture(autouse=True)
def _primary_only_unless_replica_test(request):
    """With TRIENKHAI_REPLICA_URL set (make test-postgres), only the tests marked
    `replica` route reads to the replica: the others read and write the primary exactly
    as without one (a replica a few milliseconds behind would make them flaky)."""
    from django.conf import settings

    if "replica" in settings.DATABASES and request.node.get_closest_marker("replica") is None:
        request.getfixturevalue("settings").DATABASE_ROUTERS = []


@pytest.fixture(autouse=True)
def _vietnamese_first():
    """Each test starts in the installation's language. Django's test client leaves the
    last request's language active in the thread (LocaleMiddleware activates it and
    nothing deactivates it), so a test calling gettext directly after an English page of
    an earlier test on the same worker read English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the process's memory cache outlives tests:
    the header's desk count, kept a minute, would make a page's queries depend on which
    test ran before it on the same worker)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _standard_data(db):
    factories.ensure_seeded()


@dataclass
class Org:
    root: object
    p1: object
    d1: object
    c1: object
    c2: object
    p2: object
    d2: object


@pytest.fixture
def org(db) -> Org:
    f = factories
    start = dt.date(2008, 8, 1)
    p1 = f.make_unit(
        "P1",
        name="Tỉnh Kiên Giang",
        kind_code="province",
        valid_from=start,
        abbreviation="TU",
        official_codes={"gso": "91"},
    )
    d1 = f.make_unit(
        "D1",
        name="Huyện Vĩnh Thuận",
        kind_code="district",
        parent=p1,
        valid_from=start,
        abbreviation="HU",
        official_codes={"gso": "910"},
    )
    c1 = f.make_unit(
        "C1", name="Thị trấn Vĩnh Thuận", kind_code="town", parent=d1, valid_from=start
    )
    c2 = f.make_unit(
        "C2", name="Xã Vĩnh Bình Bắc", kind_code="commune", parent=d1, valid_from=start
    )
    p2 = f.make_unit("P2", name="Tỉnh Trà Vinh", kind_code="province", valid_from=start)
    d2 = f.make_unit("D2", name="Huyện Cầu Kè", kind_code="district", parent=p2, valid_from=start)
    return Org(f.root(), p1, d1, c1, c2, p2, d2)


@dataclass
class Personas:
    admin: object
    manager: object
    reporter: object
    viewer: object
    outsider: object
    nobody: object


@pytest.fixture
def personas(org) -> Personas:
    f = factories
    return Personas(
        admin=f.make_user("admin", unit=org.root, role="admin"),
        manager=f.make_user("manager", unit=org.d1, role="manager"),
        reporter=f.make_user("reporter", unit=org.d1, role="reporter"),
        viewer=f.make_user("viewer", unit=org.d1, role="viewer"),
        outsider=f.make_user("outsider", unit=org.d2, role="manager"),
        nobody=f.make_user("nobody"),
    )


class ApiClient:
    """A test client that speaks JSON to /api/v1/ with a bearer token."""

    def __init__(self, user=None):
        self.client = Client()
        self.headers = {}
        if user is not None:
            from trienkhai.accounts.services import issue_token

            self.headers["Authorization"] = f"Bearer {issue_token(user=user)}"

    def _call(self, method, path, data=None, **params):
        url = path if path.startswith("/") else f"/api/v1/{path}"
        call = getattr(self.client, method)
        if method in {"post", "put", "patch", "delete"}:
            return call(url, data=data, content_type="application/json", headers=self.headers)
        return call(url, data=params or data, headers=self.headers)

    def get(self, path, **params):
        return self._call("get", path, **params)

    def post(self, path, data=None):
        return self._call("post", path, data or {})

    def patch(self, path, data=None):
        return self._call("patch", path, data or {})

    def delete(self, path):
        return self._call("delete", path)


@pytest.fixture
def api():
    """api(user) → a JSON client authenticated as ``user`` (anonymous with None)."""
    return ApiClient


@pytest.fixture
def web():
    """web(user) → a Django test client logged in as ``user`` (an admin past the second
    factor: ``factories.log_in``)."""

    def make(user=None):
        client = Client()
        if user is not None:
            factories.log_in(client, user)
        return client

    return make


def pytest_configure(config):
    # Fast hashing in tests; the real hasher stays in production.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Transactional tests end with a DELETE of the rows left, not a TRUNCATE of every table.
    flush.install()
    # Servers the tests start (trienkhai serve) may use the development key.
    os.environ.setdefault("TRIENKHAI_INSECURE_DEV_KEY", "1")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# With pytest-xdist (-n 2): the tests that share a costly fixture of wider scope run on
# one worker, so it is made once: the demo (loaded twice, tens of seconds), Chromium and
# its live server, the kill -9 tests' prepared database. xdist's own `--dist loadgroup`
# cannot do it with pytest 9 (it renames item._nodeid, which pytest 9 no longer reads),
# so the scheduler below groups by where a test lives.
GROUPS = ("tests/demo/", "tests/browser/", "tests/test_faults.py")

LONG_FIRST = (
    "tests/test_authorization_matrix.py",
    "tests/test_api_fuzz.py",
    "tests/reporting/test_serve.py",
    "tests/test_hostile_uploads.py",
    "tests/analytics/test_properties.py",
)
"""Modules of the longest single tests (--durations), whole and in this order ahead of
the rest: started first, so that no worker is left running one of them alone at the end."""


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    rank = {module: i for i, module in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(LONG_FIRST)))
    _demo_browser_last(items)


def _demo_browser_last(items) -> None:
    """The demo package's browser tests after its other tests, still beside them: a live
    server's test is transactional and empties the database after it, the package's
    committed demo with it (tests/demo/conftest.py)."""
    demo = [i for i, item in enumerate(items) if item.nodeid.startswith("tests/demo/")]
    if demo:
        package = items[demo[0] : demo[-1] + 1]
        package.sort(key=lambda item: item.get_closest_marker("browser") is not None)
        items[demo[0] : demo[-1] + 1] = package


def pytest_xdist_make_scheduler(config, log):
    """xdist's load scheduling, a group of GROUPS going whole to one worker (the groups
    first, largest first; then the tests one by one in collection order)."""
    from xdist.scheduler import LoadScopeScheduling

    class Grouped(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return next((group for group in GROUPS if nodeid.startswith(group)), nodeid)

    return Grouped(config, log)
