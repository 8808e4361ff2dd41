"""What the migrations seed comes back before each test: a transactional test run before
on the same worker ends with Django's flush, which empties every table, and CI's
scheduler (tests/conftest.py) runs such tests early. On 07/12/2026 a clean-clone CI
lost 11–15 tests that way (the commendation kinds, the registers' indicators, then the
document types)."""

import pytest
from django.core.management import call_command

from tests import factories
from trienkhai.commendations.kinds import KINDS
from trienkhai.commendations.models import Kind
from trienkhai.documents.models import DocumentType
from trienkhai.orgs.models import UnitKind
from trienkhai.reporting.models import Indicator


@pytest.mark.django_db(transaction=True)
def test_what_the_migrations_seed_comes_back_after_a_flush():
    call_command("flush", interactive=False, verbosity=0)
    assert not Kind.objects.exists() and not Indicator.objects.exists()
    factories.ensure_seeded()
    assert Kind.objects.count() == len(KINDS)
    assert UnitKind.objects.exists() and DocumentType.objects.filter(code="QĐ").exists()
    sources = set(Indicator.objects.exclude(source="").values_list("source", flat=True))
    assert {"activities", "pledges", "channels", "inspections", "commendations"} <= sources
