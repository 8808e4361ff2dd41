"""The demo's registers exchange edXML packages (its agency codes are invented)."""

from trienkhai.common.actors import DEMO
from trienkhai.demo.interchange import AGENCY_CODES
from trienkhai.documents import interchange
from trienkhai.documents.models import Document
from trienkhai.orgs.models import Unit


def test_its_party_bodies_carry_agency_codes(demo, db):
    found = dict(Unit.objects.exclude(agency_code="").values_list("code", "agency_code"))
    assert found == AGENCY_CODES


def test_04_bc_btghu_goes_to_the_district_committee(demo, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = Document.objects.get(symbol="04-BC/BTGHU")
    package = interchange.export_package(report, to=["HU-VT"])
    received = interchange.import_package(acting_user=DEMO, data=package)
    assert (received.unit.code, received.issuer.code) == ("HU-VT", "BTGHU-VT")
    assert (received.symbol, received.date, received.summary, received.signer) == (
        report.symbol,
        report.date,
        report.summary,
        report.signer,
    )
