"""Issuing outside the write lock: the number in a short transaction, the files after it.

The converter here is tests/drafting/fake_soffice.py, run by drafting/pdf.py as the
real soffice is (``settings.SOFFICE``): it can block until released, crash, or write
something that is not a PDF. One test converts with the real LibreOffice.
"""

import datetime as dt
import threading
import time
from pathlib import Path

import pytest

from tests.documents.test_concurrency import _threads_database
from tests.factories import SYSTEM
from trienkhai.documents.models import Document, NumberSeries
from trienkhai.drafting import services
from trienkhai.drafting.models import Report
from trienkhai.drafting.pdf import ConversionError
from trienkhai.reporting import services as reporting
from trienkhai.reporting.services import CellInput

from .reading import pdf_text
from .test_workflow import draft, series_numbers

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


class InThread:
    """``function`` in a thread of its own (its own database connection)."""

    def __init__(self, function):
        from django.db import connections

        self.result, self.error, self.seconds = None, None, 0.0

        def run():
            start = time.perf_counter()
            try:
                self.result = function()
            except BaseException as exc:  # reported by the test
                self.error = exc
            finally:
                self.seconds = time.perf_counter() - start
                connections.close_all()

        self.thread = threading.Thread(target=run)
        self.thread.start()

    def join(self):
        self.thread.join(timeout=120)  # a guard against a hang, not a measure
        assert not self.thread.is_alive()
        if self.error is not None:
            raise self.error
        return self.result


@pytest.mark.django_db(transaction=True)
def test_a_value_is_saved_while_the_converter_of_an_issue_runs(
    district, templates, manager, media, fake_soffice, tmp_path
):
    """GIVEN a report being issued, its converter started and held WHEN a reporter saves
    a value THEN the save completes while the converter is still running (no write
    transaction is open during the conversion); once released, the PDF is stored."""
    report = draft(district, templates)

    def save(indicator: str):
        return InThread(
            lambda: reporting.save_values(
                acting_user=SYSTEM,
                form=district.form,
                unit=district.cells[0],
                period_id="2020S2",
                cells=[CellInput(indicator, 12)],
            )
        )

    with _threads_database(tmp_path):
        save("so_dang_vien").join()  # the period's draft report opened, as it usually is
        issuing = InThread(lambda: services.issue_report(acting_user=manager, report=report))
        fake_soffice.wait_started()
        saving = save("luot_tham_gia")
        saving.join()
        assert not fake_soffice.released  # the save finished before the conversion did
        checked = InThread(
            lambda: Report.objects.select_related("document").get(pk=report.pk)
        ).join()
        assert checked.files_pending and checked.document.symbol == "01-BC/BTGHU"
        fake_soffice.release()
        issued = issuing.join()
        stored = InThread(lambda: Report.objects.get(pk=report.pk)).join()
        alone = save("hoi_nghi_hoc_tap")  # the same save with nothing else running
        alone.join()
    assert issued.pdf and not stored.files_pending
    assert stored.pdf.read().startswith(b"%PDF-")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "issue-save-wait.txt").write_text(
        f"a value saved while a report is being issued (converter held): "
        f"{saving.seconds * 1000:.1f} ms; the same save alone: {alone.seconds * 1000:.1f} ms\n"
    )


def test_a_failed_conversion_keeps_the_number_and_leaves_the_pdf_pending(
    district, templates, manager, media, fake_soffice, settings, web
):
    """GIVEN LibreOffice crashing WHEN the report is issued THEN it is tried twice, the
    number is taken once, the .docx stored, the PDF pending with the reason; the page
    and the API say so; the next download with a working converter makes it."""
    fake_soffice.mode("fail")
    report = draft(district, templates)
    issued = services.issue_report(acting_user=manager, report=report)
    assert fake_soffice.runs == 2  # the retry on the spot
    assert issued.document.symbol == "01-BC/BTGHU" and issued.status == "issued"
    assert issued.docx and not issued.pdf and issued.files_pending
    assert "simulated crash" in issued.pdf_error
    client = web(manager)
    page = client.get(f"/soan-bao-cao/{report.pk}/xem-truoc/")
    assert "Tệp PDF đang được chuẩn bị." in page.content.decode()
    entry = client.get(f"/van-ban/{issued.document.pk}/")
    assert "Tệp PDF đang được chuẩn bị." in entry.content.decode()
    from tests.conftest import ApiClient

    assert ApiClient(manager).get(f"documents/{issued.document.pk}").json()["pdf"] == "pending"
    refused = client.get(f"/soan-bao-cao/{report.pk}/tep.pdf")
    assert refused.status_code == 503 and refused["Retry-After"]
    assert "hệ thống sẽ thử lại" in refused.content.decode()
    assert client.get(f"/soan-bao-cao/{report.pk}/tep.docx").status_code == 200

    fake_soffice.mode("block")
    fake_soffice.release()
    made = client.get(f"/soan-bao-cao/{report.pk}/tep.pdf")
    assert made.status_code == 200 and made.content.startswith(b"%PDF-")
    report.refresh_from_db()
    assert not report.files_pending and report.pdf_error == ""
    assert ApiClient(manager).get(f"documents/{issued.document.pk}").json()["pdf"] == "ready"
    assert client.get(f"/soan-bao-cao/{report.pk}/tep.pdf").content == made.content
    assert Document.objects.filter(type__code="BC").count() == 1


def test_a_converter_output_that_is_no_pdf_is_never_stored(
    district, templates, manager, media, fake_soffice
):
    fake_soffice.mode("garbage")
    issued = services.issue_report(acting_user=manager, report=draft(district, templates))
    assert issued.files_pending and not issued.pdf
    with pytest.raises(ConversionError):
        services.make_files(acting_user=manager, report=issued)
    assert not list(media.rglob("*.pdf"))


def test_a_docx_a_crash_left_unmade_is_built_on_download_without_the_pdf(
    district, templates, manager, media, fake_soffice, web
):
    """GIVEN an issued report whose files were never stored (a crash right after the
    number's transaction: no .docx, no .pdf) and a converter that fails WHEN the .docx is
    downloaded THEN it is built with its number and served; the PDF stays pending."""
    from .reading import docx_text

    fake_soffice.mode("fail")
    issued = services.issue_report(acting_user=manager, report=draft(district, templates))
    Report.objects.filter(pk=issued.pk).update(docx="", pdf="")  # the crash's state
    runs = fake_soffice.runs
    got = web(manager).get(f"/soan-bao-cao/{issued.pk}/tep.docx")
    assert got.status_code == 200 and "Số 01-BC/BTGHU" in docx_text(got.content)
    assert fake_soffice.runs == runs  # the .docx did not wait for a conversion
    issued.refresh_from_db()
    assert issued.docx and not issued.pdf and issued.files_pending


def test_the_command_makes_what_is_pending_with_the_real_converter(
    district, templates, manager, media, fake_soffice, settings, capsys
):
    """GIVEN an issued report whose PDF failed WHEN ``trienkhai report --pending`` runs
    with LibreOffice installed THEN the PDF is the stored .docx converted, number in it."""
    from trienkhai.drafting.command import _make_pending

    fake_soffice.mode("fail")
    issued = services.issue_report(acting_user=manager, report=draft(district, templates))
    assert _make_pending() == 1  # still failing: said, and left pending
    assert "01-BC/BTGHU" in capsys.readouterr().err
    settings.SOFFICE = ""  # the real soffice on the PATH
    assert _make_pending() == 0
    issued.refresh_from_db()
    assert not issued.files_pending
    assert "Số 01-BC/BTGHU" in pdf_text(issued.pdf.read())
    assert list(services.pending_reports()) == []


def test_an_edit_between_the_checks_and_the_number_is_refused(district, templates, manager):
    """The number is taken only for the text that was read: a report saved in between
    (its ``modified`` moved) is a 409 and no number is taken."""
    from trienkhai.common.errors import Conflict

    report = draft(district, templates)
    formal = services.reports.build(report)
    before = series_numbers()
    with pytest.raises(Conflict) as caught:
        services._take_number(manager, report, formal, read=report.modified - dt.timedelta(1))
    assert caught.value.code == "report_changed"
    assert series_numbers() == before


KILLED_ISSUE = """
import sys
import django

django.setup()
from django.contrib.auth import get_user_model
from trienkhai.drafting import services
from trienkhai.drafting.models import Report

services.issue_report(
    acting_user=get_user_model().objects.get(pk=int(sys.argv[2])),
    report=Report.objects.get(pk=int(sys.argv[1])),
)
"""


@pytest.mark.django_db(transaction=True)
def test_kill_9_while_the_pdf_is_made_keeps_the_number_and_the_pdf_pending(
    district, templates, manager, media, fake_soffice, tmp_path
):
    """GIVEN a process issuing a report, killed with SIGKILL while its converter runs
    THEN the number is taken once, the report issued with its .docx, its PDF pending;
    the next ``make_files`` stores the PDF and the series never moves again."""
    import os
    import signal
    import subprocess
    import sys

    from django.db import connection, connections

    report = draft(district, templates)
    with _threads_database(tmp_path):
        config = connections.settings["default"]
        if connection.vendor == "sqlite":
            url = f"sqlite:///{config['NAME']}"
        else:
            name = connection.settings_dict["NAME"]
            url = (
                f"postgres://{config['USER']}:{config['PASSWORD']}@{config['HOST']}:"
                f"{config['PORT']}/{name}"
            )
        env = {
            **{k: v for k, v in os.environ.items() if k != "TRIENKHAI_REPLICA_URL"},
            "TRIENKHAI_DATABASE_URL": url,
            "TRIENKHAI_DATA_DIR": str(media.parent),
            "TRIENKHAI_SOFFICE": str(fake_soffice.folder / "soffice"),
            "DJANGO_SETTINGS_MODULE": "trienkhai.settings",
        }
        process = subprocess.Popen(
            [sys.executable, "-c", KILLED_ISSUE, str(report.pk), str(manager.pk)],
            env=env,
            stderr=subprocess.PIPE,
        )
        try:
            fake_soffice.wait_started()  # the number committed, the converter running
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
            fake_soffice.release()  # the orphaned stand-in exits
        killed = InThread(lambda: Report.objects.select_related("document").get(pk=report.pk))
        killed = killed.join()
        assert killed.status == "issued" and killed.document.symbol == "01-BC/BTGHU"
        assert killed.docx and not killed.pdf and killed.files_pending
        assert InThread(lambda: list(services.pending_reports())).join() == [killed]
        made = InThread(lambda: services.make_files(acting_user=SYSTEM, report=killed)).join()
        assert made.pdf and not made.files_pending
        board = InThread(
            lambda: list(
                NumberSeries.objects.filter(issuer=district.board).values_list(
                    "last_number", flat=True
                )
            )
        )
        assert board.join() == [1]  # one number, taken once
