import pytest

from tests.drafting.conftest import district, templates  # noqa: F401 (fixtures)
from tests.reporting.conftest import audience, form  # noqa: F401 (fixtures: form HK)
from trienkhai.documents.types import ensure_standard_types


@pytest.fixture(autouse=True)
def _standard_types(db):
    """The document types (a migration's data, gone after a transactional test's flush)."""
    ensure_standard_types()
