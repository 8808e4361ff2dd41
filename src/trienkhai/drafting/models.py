"""Report templates and the reports generated from them (issue 6 §2–3).

A ``ReportTemplate`` is data: a document type, a layout profile and ordered sections of
narrative text and data blocks, kept in ``definition`` (the shape is checked by
``drafting.catalogue``). The shipped templates are versioned TOML files loaded into
this table; a changed file becomes a new ``version`` and the history keeps the old one
(docs/decisions/0012-report-templates-as-data.md).

A ``Report`` is one use of a template for (unit, period): the narrative the user edits,
the header lines, then once issued the register entry (``document``) and the two files.
Its figures are never stored: they are read from the rollup engine when the report is
previewed or rendered, and frozen only in the issued files.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trienkhai.common.models import TimeStamped
from trienkhai.documents.models import Document
from trienkhai.orgs.models import Unit


class ReportTemplate(TimeStamped):
    """A report template (mẫu báo cáo): what a generated report says and where its figures go."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    profile = models.CharField(
        max_length=12, help_text=_('Thể thức trình bày: "party", "party-2026" hoặc "state".')
    )
    document_type = models.CharField(
        max_length=10, help_text=_('Loại văn bản trong sổ đăng ký: "BC" (báo cáo).')
    )
    period_type = models.CharField(
        max_length=12,
        help_text=_("Loại kỳ: yearly, sixmonthly, quarterly, monthly; có thể là một khoảng kỳ."),
    )
    definition = models.JSONField(
        help_text=_("Tiêu đề, các phần, các khối: xem drafting.catalogue.")
    )
    version = models.PositiveIntegerField(default=1)
    source = models.CharField(max_length=200, blank=True, help_text=_("Tệp đã nạp mẫu này."))
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


def _report_file(report: "Report", filename: str) -> str:
    # Under MEDIA_ROOT (TRIENKHAI_DATA_DIR/files): one folder per year of the document.
    return f"drafting/{report.date:%Y}/{filename}"


class Report(TimeStamped):
    """A report generated from a template for a unit and a period: a draft, then issued.

    ``unit`` is whose figures are totalled (Huyện ủy Vĩnh Thuận and its subtree);
    ``issuer`` is who signs and numbers it (its Ban Tuyên giáo, or the unit itself).
    ``narrative`` holds the text of each text block as edited, keyed by block key
    ("2.1"); placeholders such as ``{so_lop}`` stay in it and are filled at rendering.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo / draft")
        ISSUED = "issued", _("Đã ban hành / issued")

    template = models.ForeignKey(ReportTemplate, on_delete=models.PROTECT, related_name="reports")
    template_version = models.PositiveIntegerField()
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(
        max_length=24, help_text=_("2020S1, 2021 hoặc một khoảng 2019..2021.")
    )
    directive = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Văn bản chỉ đạo mà báo cáo trả lời (số đơn vị triển khai, câu mở đầu)."),
    )
    date = models.DateField()
    place = models.CharField(max_length=100)
    superior = models.CharField(max_length=200, blank=True)
    issuer_label = models.CharField(max_length=200)
    title = models.TextField()
    narrative = models.JSONField(default=dict)
    signer_position = models.CharField(max_length=100, blank=True)
    signer_name = models.CharField(max_length=100, blank=True)
    signer_for = models.CharField(
        max_length=100,
        blank=True,
        help_text=_('Ví dụ "T/M BAN THƯỜNG VỤ": ký thay mặt tập thể nào.'),
    )
    recipients = models.TextField(blank=True, help_text=_("Nơi nhận, mỗi dòng một nơi."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    figure_status = models.CharField(
        max_length=10,
        choices=[
            ("approved", _("Chỉ số liệu đã duyệt")),
            ("submitted", _("Số liệu đã gửi hoặc đã duyệt")),
            ("all", _("Tất cả số liệu, kể cả đang nhập")),
        ],
        default="approved",
        help_text=_("Số liệu được cộng vào báo cáo (mặc định: theo mẫu báo cáo)."),
    )
    document = models.OneToOneField(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="report"
    )
    docx = models.FileField(upload_to=_report_file, blank=True)
    pdf = models.FileField(upload_to=_report_file, blank=True)
    pdf_error = models.TextField(
        blank=True,
        help_text=_("Lần tạo PDF gần nhất không thành (sẽ thử lại); trống khi đã có PDF."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            # The list page: a unit's reports (as issuer), newest first.
            models.Index(fields=["issuer", "created"], name="report_issuer_created"),
        ]

    def __str__(self) -> str:
        return f"{self.template_id} {self.unit_id} {self.period}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def files_pending(self) -> bool:
        """Issued (the number taken) but its .docx or .pdf not stored yet: being prepared,
        or to be retried (``drafting.services.make_files``)."""
        return not self.is_draft and not (self.docx and self.pdf)
