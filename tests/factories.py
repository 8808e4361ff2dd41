"""Factory functions for tests: units, users with roles. Small, explicit, no magic."""

import datetime as dt
import itertools

from trienkhai.accounts import services as account_services
from trienkhai.accounts.models import User
from trienkhai.common.actors import SystemActor
from trienkhai.orgs import services
from trienkhai.orgs.kinds import ROOT_CODE, ensure_standard_data
from trienkhai.orgs.models import Unit, UnitKind

PASSWORD = "mat-khau-thu-nghiem"


def ensure_seeded() -> None:
    """What the migrations seed, made again if missing: a transactional test run before
    on the same worker (a browser test, a live server) ends with Django's flush, which
    empties every table, seeded rows included. The unit kinds and the country; the
    document types; the figure indicators of the activity and commendation registers;
    the common kinds of commendation. One query each when nothing is missing."""
    from trienkhai.activities import figures as activity_figures
    from trienkhai.commendations import figures as commendation_figures
    from trienkhai.commendations import kinds as commendation_kinds
    from trienkhai.commendations.models import Kind
    from trienkhai.documents.models import DocumentType
    from trienkhai.documents.types import ensure_standard_types
    from trienkhai.reporting.models import Indicator

    ensure_standard_data()
    if not DocumentType.objects.exists():
        ensure_standard_types()
    if not Indicator.objects.filter(source="activities").exists():
        activity_figures.ensure_indicators()
    if not Kind.objects.exists():
        commendation_kinds.ensure()
        commendation_figures.ensure_indicators()


SYSTEM = SystemActor("tests")
"""Who sets up a test's data: the installation, not a user (passes every check)."""
_counter = itertools.count(1)


def kind(code: str) -> UnitKind:
    found = UnitKind.objects.filter(code=code).first()
    if found is None:
        ensure_standard_data()
        found = UnitKind.objects.get(code=code)
    return found


def root() -> Unit:
    found = Unit.objects.filter(code=ROOT_CODE).first()
    if found is None:
        ensure_standard_data()
        found = Unit.objects.get(code=ROOT_CODE)
    return found


def make_unit(
    code: str | None = None,
    *,
    name: str | None = None,
    kind_code: str = "commune",
    parent: Unit | None = None,
    valid_from: dt.date = dt.date(2010, 1, 1),
    abbreviation: str = "",
    official_codes: dict[str, str] | None = None,
) -> Unit:
    code = code or f"U{next(_counter)}"
    return services.create_unit(
        acting_user=SYSTEM,
        code=code,
        name=name or f"Đơn vị {code}",
        kind=kind(kind_code),
        parent=parent if parent is not None else root(),
        valid_from=valid_from,
        abbreviation=abbreviation,
        official_codes=official_codes,
    )


def make_user(
    username: str | None = None, *, unit: Unit | None = None, role: str | None = None
) -> User:
    username = username or f"user{next(_counter)}"
    return account_services.add_user(
        acting_user=SYSTEM, username=username, password=PASSWORD, unit=unit, role=role
    )


def totp_code(device) -> str:
    """The next code ``device``'s app shows that the server will take: what a person would
    read off their phone. A code is accepted once, so after one was used this is the
    first later window; read with the device's stored drift, which django-otp adjusts
    when it accepts a code one window late (a window ending between making a code and
    checking it), so the code is always within its one window of tolerance."""
    import time

    from django_otp.oath import TOTP

    if device.pk is not None:
        device.refresh_from_db()
    now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now.time = time.time()
    ahead = max(0, device.last_t + 1 - now.t())
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead)
    totp.time = now.time
    return f"{totp.token():0{device.digits}d}"


def log_in(client, user) -> None:
    """A logged-in test client, past the second factor if the user must give one: an
    admin gets an authenticator app (a confirmed TOTP device) and a verified session,
    as after typing its code. The rule itself is tested in tests/accounts/."""
    client.force_login(user)
    from trienkhai.accounts import two_factor

    if two_factor.needs_code(user):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


SIGNED = {
    "signer": "Lê Văn Ký",
    "signer_authority": "tm",
    "recipients": "Như trên\nLưu Văn phòng",
}
"""What a draft needs before it takes a number: a signer, an authority, Nơi nhận."""
