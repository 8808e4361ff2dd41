"""A flush leaves the database as migrated: a transactional test run before on the same
worker ends with Django's flush, and CI's scheduler (tests/conftest.py) runs such tests
early. On 07/12/2026 a clean-clone CI lost 11–15 tests that way (the commendation kinds,
the registers' indicators, then the document types). tests/flush.py puts the
migrations' rows back in the flush's own transaction and keeps the content types and
permissions."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from tests import factories
from tests.factories import SYSTEM
from trienkhai.commendations.kinds import KINDS
from trienkhai.commendations.models import Kind
from trienkhai.documents.models import DocumentType
from trienkhai.orgs import services
from trienkhai.orgs.models import Unit, UnitKind
from trienkhai.reporting.models import Indicator


def _rows() -> dict[str, list]:
    return {
        "kinds": sorted(UnitKind.objects.values_list("pk", "code", "name", "sort_order")),
        "units": sorted(Unit.objects.values_list("pk", "code", "valid_from", "valid_to")),
        "types": sorted(DocumentType.objects.values_list("pk", "code", "name")),
        "indicators": sorted(Indicator.objects.values_list("pk", "code", "source", "name")),
        "commendations": sorted(Kind.objects.values_list("pk", "code")),
        "content types": sorted(ContentType.objects.values_list("pk", "app_label", "model")),
        "permissions": Permission.objects.count(),
    }


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_the_database_as_migrated():
    migrated = _rows()
    assert len(migrated["commendations"]) == len(KINDS) and migrated["permissions"] > 100
    sources = {source for _, _, source, _ in migrated["indicators"]}
    assert {"activities", "pledges", "channels", "inspections", "commendations"} <= sources
    assert any(code == "QĐ" for _, code, _ in migrated["types"])
    # What a test makes and changes goes; the seed comes back as it was, ids included.
    services.create_unit(
        acting_user=SYSTEM,
        code="D9",
        name="Huyện Thử",
        kind=UnitKind.objects.get(code="district"),
        parent=factories.root(),
        valid_from=dt.date(2020, 1, 1),
    )
    Kind.objects.all().delete()
    Indicator.objects.filter(source="activities").update(name="đổi tên")
    call_command("flush", interactive=False, verbosity=0)  # sequences restarted, asked
    assert _rows() == migrated
    assert not Unit.objects.filter(code="D9").exists()
    # New rows take new ids beside the seed's.
    factories.make_unit("D9", kind_code="district")
    DocumentType.objects.create(profile="state", slug="thu", code="TT", name="Thử")
    Kind.objects.create(code="thu", name="Thử", name_en="Test", level="district")
