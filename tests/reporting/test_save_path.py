"""Saving one value through the API: the hand-written statements of its hot path
(``common.rows``) give what the ORM gives, and keep every rule of a save."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.accounts import policy
from trienkhai.accounts.models import ApiToken, User
from trienkhai.accounts.services import issue_token, user_for_token
from trienkhai.common import rows
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.reporting import access, services
from trienkhai.reporting import cells as rules
from trienkhai.reporting.models import DataValue, DataValueChange, Form, Submission
from trienkhai.reporting.services.values import _locked_values
from trienkhai.reporting.signals import values_changed


def assert_same(read, orm):
    """Every column of ``read`` equals the ORM's, with the same Python type."""
    assert type(read) is type(orm)
    for field in type(orm)._meta.concrete_fields:
        got, want = getattr(read, field.attname), getattr(orm, field.attname)
        assert (got, type(got)) == (want, type(want)), field.attname
    assert read._state.adding is False and read._state.db == orm._state.db


def save(api_client, value, unit="C1", version=None):
    cell = {"indicator": "luot_nguoi", "value": value}
    if version is not None:
        cell["version"] = version
    return api_client.post(
        "datavalues", {"form": "HK", "unit": unit, "period": "2020S1", "values": [cell]}
    )


@pytest.fixture
def reporter_c1(org):
    return f.make_user("bcv", unit=org.c1, role="reporter")


def test_it_reads_each_row_as_the_orm_does(form, org, reporter_c1):
    cells = [
        services.CellInput(indicator="luot_nguoi", value="20.673", comment="Ước tính"),
        services.CellInput(indicator="ghi_chu", value="Tốt"),
    ]
    services.save_values(
        acting_user=reporter_c1, form=form, unit=org.c1, period_id="2020S1", cells=cells
    )
    token = issue_token(user=reporter_c1)

    user = user_for_token(token)
    assert_same(user, User.objects.get(pk=reporter_c1.pk))
    assert user.is_authenticated

    read_form = access.get_form(user, "HK")
    assert_same(read_form, Form.objects.get(code="HK"))
    assert_same(read_form.owner, org.d1)

    unit = access.get_unit_to_enter(user, "C1")
    assert_same(unit, Unit.objects.get(code="C1"))
    versions = list(Unit.objects.get(code="C1").versions.all())
    assert len(unit.versions.all()) == len(versions) == 1
    for read, orm in zip(unit.versions.all(), versions, strict=True):
        assert_same(read, orm)

    period = form.period("2020S1")
    assert_same(
        rules._locked_submission(form, period, org.c1.pk),
        Submission.objects.get(form=form, unit=org.c1, period="2020S1"),
    )
    ids = sorted(DataValue.objects.values_list("indicator_id", flat=True))
    read_values = sorted(_locked_values(org.c1.pk, "2020S1", ids), key=lambda v: v.pk)
    orm_values = list(DataValue.objects.order_by("pk"))
    assert len(read_values) == 2
    for read, orm in zip(read_values, orm_values, strict=True):
        assert_same(read, orm)
    assert read_values[0].value_number == Decimal(20673)


def test_it_reads_the_token_of_an_inactive_user_as_no_user(reporter_c1):
    token = issue_token(user=reporter_c1)
    User.objects.filter(pk=reporter_c1.pk).update(is_active=False)
    assert user_for_token(token) is None
    assert user_for_token("tk_not-a-token") is None
    assert ApiToken.objects.count() == 1


@pytest.fixture
def reporting_alone():
    """values_changed without its listeners (other apps' work), put back after."""
    receivers = list(values_changed.receivers)
    values_changed.receivers.clear()
    values_changed.sender_receivers_cache.clear()
    yield
    values_changed.receivers[:] = receivers
    values_changed.sender_receivers_cache.clear()


@pytest.mark.django_db(transaction=True)
def test_it_saves_one_value_in_few_statements(form, reporter_c1, api, reporting_alone):
    """GIVEN a report and a value that exist (committed: the form's structure is in
    memory) WHEN a reporter of the unit changes the value THEN the save reads the token
    with the user's roles, the form with the unit, locks the report and the cell,
    writes the value and its history row, and reads the cell's history, bounds and
    siblings for the outlier warning: seven statements besides BEGIN and COMMIT."""
    client = api(reporter_c1)
    assert save(client, "1").status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = save(client, "2", version=1)
    assert response.status_code == 200, response.content
    assert response.json()["versions"] == [{"indicator": "luot_nguoi", "option": "", "version": 2}]
    statements = [q["sql"].split()[0] for q in captured.captured_queries]
    assert [s for s in statements if s not in ("BEGIN", "COMMIT")] == [
        *["SELECT"] * 4,
        "UPDATE",
        "INSERT",
        "SELECT",  # reporting.outliers.save_warnings
    ]


@pytest.mark.parametrize(
    "who, unit, allowed",
    [
        ("reporter_c1", "C1", True),  # the unit itself
        ("reporter_c1", "C2", False),  # a sibling: the parent they share is not theirs
        ("manager", "C1", True),  # the parent
        ("province", "C2", True),  # two levels up: known by walking up
        ("outsider", "C1", False),  # another district
        ("admin", "C2", True),
    ],
)
def test_it_lets_only_the_units_above_save(
    form, org, personas, reporter_c1, api, who, unit, allowed
):
    users = {
        "reporter_c1": reporter_c1,
        "manager": personas.manager,
        "outsider": personas.outsider,
        "admin": personas.admin,
        "province": f.make_user("tinh", unit=org.p1, role="manager"),
    }
    response = save(api(users[who]), "7", unit=unit)
    assert response.status_code == (200 if allowed else 403), response.content
    assert DataValue.objects.filter(unit__code=unit).exists() is allowed
    assert DataValueChange.objects.filter(unit__code=unit).exists() is allowed


@pytest.mark.parametrize(
    "who, form_code, unit_code, status",
    [
        ("reporter_c1", "HK", "C1", 200),
        ("reporter_c1", "XX", "C1", 404),  # unknown form
        ("reporter_c1", "HK", "XX", 404),  # unknown unit
        ("reporter_c1", "XX", "XX", 404),
        ("outsider", "HK", "C1", 403),  # another district's manager
        ("outsider", "HK", "XX", 404),
        ("nobody", "HK", "C1", 403),  # no role at all: not even the form
        ("nobody", "HK", "XX", 403),
        ("nobody", "XX", "C1", 404),
    ],
)
def test_it_reads_form_and_unit_together_as_one_after_the_other(
    form, personas, reporter_c1, who, form_code, unit_code, status
):
    """The one statement for both gives the answers of get_form then get_unit_to_enter."""
    user = {"reporter_c1": reporter_c1, "outsider": personas.outsider, "nobody": personas.nobody}[
        who
    ]

    def outcome(read):
        user.__dict__.pop("_policy_cache", None)
        try:
            found = read()
        except access.NotFound:
            return 404, None
        except policy.PermissionDenied:
            return 403, None
        return 200, (found[0].pk, found[0].owner.pk, found[1].pk, len(found[1].versions.all()))

    together = outcome(lambda: access.get_form_and_unit_to_enter(user, form_code, unit_code))
    apart = outcome(
        lambda: (access.get_form(user, form_code), access.get_unit_to_enter(user, unit_code))
    )
    assert together == apart
    assert together[0] == status


def test_the_roles_read_with_the_token_give_the_policys_answers(org, personas):
    """GIVEN users with roles, one at a unit that another merged into WHEN the roles are
    read with the API token THEN the policy answers as with roles it reads itself."""
    from trienkhai.orgs import services as org_services

    merged = f.make_unit("C0", name="Xã đã nhập", parent=org.d2, valid_from=dt.date(2008, 8, 1))
    org_services.merge_units(
        acting_user=SYSTEM, predecessors=[merged], into=org.d2, on=dt.date(2020, 1, 1)
    )
    two_roles = f.make_user("hai", unit=org.c1, role="reporter")
    policy_roles = [*vars(personas).values(), two_roles]
    from trienkhai.accounts.services import grant_role

    grant_role(acting_user=SYSTEM, user=two_roles, unit=org.d2, role="viewer")
    units = list(Unit.objects.all())
    answers = set()
    for user in policy_roles:
        token_user = user_for_token(issue_token(user=user))
        plain = User.objects.get(pk=user.pk)
        for unit in units:
            for action in policy.Action:
                got = policy.can(token_user, action, unit)
                assert got is policy.can(plain, action, unit), (user, unit, action)
                answers.add(got)
        assert policy.visible_unit_ids(token_user) == policy.visible_unit_ids(plain)
    assert answers == {True, False}
    assert policy.can(personas.outsider, policy.Action.VIEW, merged)


def test_the_policy_answers_the_same_with_the_versions_loaded(org, personas):
    """The policy's shortcut for units whose versions are in memory (the unit or its
    parent is a root) answers as the walk up does, for every persona, unit and action."""
    users = [*vars(personas).values(), f.make_user("tinh", unit=org.p1, role="reporter")]
    ended = f.make_unit("C3", name="Xã cũ", parent=org.d1, valid_from=dt.date(2008, 8, 1))
    ended.versions.update(valid_to=dt.date(2020, 1, 1))
    Unit.objects.filter(pk=ended.pk).update(valid_to=dt.date(2020, 1, 1))
    answers = {True: 0, False: 0}
    for code in ["VN", "P1", "D1", "C1", "C2", "C3", "P2", "D2"]:
        for action in policy.Action:
            for user in users:
                plain = Unit.objects.get(code=code)
                loaded = Unit.objects.prefetch_related("versions").get(code=code)
                user.__dict__.pop("_policy_cache", None)
                walked = policy.can(user, action, plain)
                user.__dict__.pop("_policy_cache", None)
                assert policy.can(user, action, loaded) is walked, (code, action, user)
                answers[walked] += 1
    assert answers[True] and answers[False]


@pytest.mark.parametrize(
    "owner, kind, level",
    [("P1", None, 1), ("P1", None, 2), ("P1", "commune", 2), ("D1", "town", 1), ("VN", None, 3)],
)
def test_a_unit_is_expected_as_the_list_of_expected_units_says(org, owner, kind, level):
    from trienkhai.orgs.models import UnitKind

    indicator = services.create_indicator(acting_user=SYSTEM, code="so", name="Số")
    form = services.create_form(
        acting_user=SYSTEM,
        code="LV",
        name="Theo cấp",
        owner=Unit.objects.get(code=owner),
        period_type="yearly",
        indicators=[indicator],
        kind=UnitKind.objects.get(code=kind) if kind else None,
        level=level,
        valid_from=dt.date(2019, 1, 1),
    )
    period = form.period("2020")
    listed = set(services.expected_codes(form, period).values())
    assert listed
    for code in ["VN", "P1", "D1", "C1", "C2", "P2", "D2"]:
        unit = Unit.objects.prefetch_related("versions").get(code=code)
        assert services.is_expected(form, unit, period) is (code in listed), code
    # Read from a subtree (the desk of a district's reporter): the same list, cut to it.
    for root in ["VN", "P1", "D1", "C1", "P2"]:
        under = services.expected_under(form, period, [Unit.objects.get(code=root)])
        inside = {u.code for u in Unit.objects.all() if u.code == root} | {
            n.code for n in queries.subtree(Unit.objects.get(code=root), period.end)
        }
        assert set(under.values()) == listed & inside, root


def test_the_listeners_hear_a_save_inside_its_transaction(form, reporter_c1, api):
    """GIVEN a listener of values_changed that fails WHEN a value is saved THEN nothing
    of the save is kept: the listener ran inside the save's transaction."""
    client = api(reporter_c1)
    assert save(client, "1").status_code == 200
    heard = []

    def fail(sender, changes, **kwargs):
        heard.append((connection.in_atomic_block, changes[0].old, changes[0].new))
        raise RuntimeError("listener failed")

    values_changed.connect(fail, dispatch_uid="test-fail")
    try:
        with pytest.raises(RuntimeError):
            save(client, "2", version=1)
    finally:
        values_changed.disconnect(dispatch_uid="test-fail")
    assert heard == [(True, Decimal(1), Decimal(2))]
    value = DataValue.objects.get(indicator__code="luot_nguoi")
    assert (value.value_number, value.version) == (Decimal(1), 1)
    assert DataValueChange.objects.filter(indicator__code="luot_nguoi").count() == 1


def test_it_writes_many_history_rows_in_chunks(form, org, reporter_c1):
    indicator = form.items.get(indicator__code="luot_nguoi").indicator
    now = dt.datetime(2020, 7, 1, 8, 0, tzinfo=dt.UTC)
    changes = [
        DataValueChange(
            indicator=indicator,
            unit=org.c1,
            period="2020S1",
            old=str(n),
            new=str(n + 1),
            changed=now,
            changed_by=reporter_c1,
        )
        for n in range(250)
    ]
    rows.insert(changes)
    stored = DataValueChange.objects.filter(unit=org.c1).order_by("id")
    assert [c.new for c in stored] == [str(n + 1) for n in range(250)]
    assert {(c.changed, c.changed_by_id, c.option, c.comment) for c in stored} == {
        (now, reporter_c1.pk, "", "")
    }
