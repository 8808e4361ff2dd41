"""Indicators, forms, data values and submissions.

A figure is (indicator, option, unit, period) → value. ``option`` is the code of a
disaggregation option ("dang_vien", "nu") or "" for an indicator that is not
disaggregated; an empty string rather than NULL so that one unique constraint holds on
both databases. Submissions carry the status and the dates that completeness and
timeliness are computed from.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trienkhai.common.models import TimeStamped, ValidityInterval
from trienkhai.orgs.models import Unit, UnitKind
from trienkhai.reporting.periods import Calendar, Period, PeriodType, cadence, parse
from trienkhai.web.labels import local_name


class Disaggregation(models.Model):
    """A way to split a figure: audience group, sex ..."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.name


class DisaggregationOption(models.Model):
    disaggregation = models.ForeignKey(
        Disaggregation, on_delete=models.CASCADE, related_name="options"
    )
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["disaggregation", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["disaggregation", "code"], name="option_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(TimeStamped):
    class ValueType(models.TextChoices):
        INTEGER = "integer", _("Số nguyên / integer")
        DECIMAL = "decimal", _("Số thập phân / decimal")
        PERCENT = "percent", _("Tỷ lệ % / percent")
        BOOLEAN = "boolean", _("Có/không / yes-no")
        TEXT = "text", _("Văn bản / text")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Cộng / sum")
        AVERAGE = "average", _("Trung bình / average")
        MIN = "min", _("Nhỏ nhất / min")
        MAX = "max", _("Lớn nhất / max")
        LAST = "last", _("Giá trị cuối kỳ / last in period")
        NONE = "none", _("Không tổng hợp / none")

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=300)
    name_en = models.CharField(max_length=300, blank=True)
    value_type = models.CharField(
        max_length=10, choices=ValueType.choices, default=ValueType.INTEGER
    )
    aggregation = models.CharField(
        max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    unit_of_measure = models.CharField(max_length=50, blank=True)
    disaggregation = models.ForeignKey(
        Disaggregation, on_delete=models.PROTECT, null=True, blank=True, related_name="indicators"
    )
    formula = models.CharField(
        max_length=500, blank=True, help_text="Derived indicators: arithmetic over other codes."
    )

    class ParentFigure(models.TextChoices):
        # A unit that reports the indicator itself while its subordinates report it too:
        # DHIS2 silently adds both; here the rule is chosen per indicator.
        ADD = "add", _("Cộng số của đơn vị cấp trên với cấp dưới / add the parent's own figure")
        REPLACE = (
            "replace",
            _("Số cấp trên báo cáo thay cho tổng cấp dưới / a reported total stands instead"),
        )

    min_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    parent_figure = models.CharField(
        max_length=10,
        choices=ParentFigure.choices,
        default=ParentFigure.ADD,
        help_text="How a total treats a unit's own figure beside its subordinates' figures.",
    )
    allow_negative = models.BooleanField(
        default=False,
        help_text="Integers and decimals may be below zero (a change, a balance); "
        "otherwise a negative value is refused at entry (reporting.cells).",
    )
    source = models.CharField(
        max_length=40,
        blank=True,
        help_text="The figure source (reporting.sources) that answers this indicator from "
        "its register, e.g. 'activities'; empty for an entered or derived indicator "
        "(decision 0039).",
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def is_sourced(self) -> bool:
        """Counted live by a figure source, never entered (decision 0039)."""
        return bool(self.source)

    @property
    def is_derived(self) -> bool:
        return bool(self.formula)

    @property
    def is_entered(self) -> bool:
        """Typed by a reporter: neither computed by a formula nor counted by a source."""
        return not self.formula and not self.source

    @property
    def is_numeric(self) -> bool:
        return self.value_type in {
            self.ValueType.INTEGER,
            self.ValueType.DECIMAL,
            self.ValueType.PERCENT,
        }


class Form(TimeStamped):
    """A reporting form (DHIS2: data set): indicators in sections, a period type, who reports."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=300)
    name_en = models.CharField(max_length=300, blank=True)
    owner = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="owned_forms",
        help_text="The unit that issues the form; its managers manage it and approve.",
    )
    complete_only_if_valid = models.BooleanField(
        default=True,
        help_text="DHIS2's 'complete allowed only if validation passes': failed validation "
        "rules refuse a submission. Off: they are listed, and the submitter confirms them "
        "with a comment that the approver reads. Empty compulsory cells and invalid "
        "values refuse a submission either way.",
    )
    period_type = models.CharField(max_length=12, choices=[(t.value, t.value) for t in PeriodType])
    calendar = models.CharField(
        max_length=10, choices=[(c.value, c.value) for c in Calendar], default=Calendar.GREGORIAN
    )
    deadline_days = models.PositiveSmallIntegerField(
        default=10, help_text="Days after the period ends by which a submission is on time."
    )
    open_days_before = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Entry opens this many days before the period starts (empty: at its start).",
    )
    close_days_after = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Entry closes this many days after the period ends (empty: never).",
    )
    structure_key = models.UUIDField(
        default=uuid.uuid4,
        editable=False,
        help_text="New whenever the form's indicators, sections, units or rules change: "
        "the key of the structure each process keeps in memory (reporting.structure).",
    )
    history = HistoricalRecords(excluded_fields=["modified", "structure_key"])

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def period(self, period_id: str) -> Period:
        period = parse(period_id, self.calendar)
        if period.type != self.period_type:
            from trienkhai.common.errors import BadInput

            raise BadInput(
                "wrong_period_type",
                f"Biểu {self.code} báo cáo theo kỳ {self.period_type}, không nhận {period_id} / "
                f"form {self.code} is {self.period_type}, not {period_id}",
                shown=gettext("Biểu “%(form)s” báo cáo %(cadence)s, không nhận kỳ %(period)s.")
                % {
                    "form": local_name(self),
                    "cadence": cadence(self.period_type),
                    "period": period.inline_label(),
                },
            )
        return period

    def deadline(self, period: Period) -> dt.date:
        return period.end + dt.timedelta(days=self.deadline_days)

    def entry_window(self, period: Period) -> tuple[dt.date, dt.date | None]:
        opens = period.start - dt.timedelta(days=self.open_days_before or 0)
        closes = (
            period.end + dt.timedelta(days=self.close_days_after)
            if self.close_days_after is not None
            else None
        )
        return opens, closes


class FormSection(models.Model):
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=300)
    title_en = models.CharField(
        max_length=300, blank=True, help_text="The title on English pages (empty: the title)."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["form", "order", "id"]

    def __str__(self) -> str:
        return self.title


class FormIndicator(ValidityInterval):
    """An indicator's place in a form, dated: a form that changes keeps the indicators of
    its earlier versions for the periods they covered, so their values stay readable."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(
        FormSection, on_delete=models.CASCADE, null=True, blank=True, related_name="items"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="form_items")
    order = models.PositiveSmallIntegerField(default=0)
    is_compulsory = models.BooleanField(
        default=False,
        help_text="A submission is refused while any cell of the indicator is empty: "
        "every option of a disaggregated indicator (DHIS2's compulsory operands, one "
        "per option).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["form", "order", "id"]
        constraints = [
            # An indicator is in a form at most once at a time: the current membership is
            # the one row without an end (add/remove_indicator_from_form check overlaps).
            models.UniqueConstraint(
                fields=["form", "indicator"],
                condition=models.Q(valid_to__isnull=True),
                name="formindicator_open_unique",
            ),
        ]


class FormAssignment(ValidityInterval):
    """Who reports a form, and when: one unit, or all units of a kind (or level) under the owner.

    Dated, so that the units expected for 2020 stay those assigned in 2020 after the
    assignment or the hierarchy changes.
    """

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.ForeignKey(
        UnitKind, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Levels below the owner (1 = its direct children)."
    )
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["form", "valid_from"], name="formassignment_form_from")]


class ValidationRule(models.Model):
    """A check between cells, e.g. sum of audience groups = total, held ≤ planned."""

    class Operator(models.TextChoices):
        EQ = "==", "="
        LE = "<=", "≤"
        LT = "<", "<"
        GE = ">=", "≥"
        GT = ">", ">"

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="rules")
    left = models.CharField(max_length=500)
    operator = models.CharField(max_length=2, choices=Operator.choices)
    right = models.CharField(max_length=500)
    message = models.CharField(max_length=300)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.left} {self.operator} {self.right}"


# DataValue and DataValueChange refer to their unit, indicator and user without a
# database foreign key (db_constraint=False) and without an index of their own on each
# reference: decision 0015. A foreign key checks each inserted row on its own (six
# checks per value written, most of a bulk import's time on PostgreSQL); the triggers of
# migration 0006 check the same references, once per statement on PostgreSQL (and lock
# the referenced rows FOR KEY SHARE as a foreign key does), per row on SQLite, and
# refuse deleting a unit, indicator or user still referred to. The ORM's on_delete
# (PROTECT, SET_NULL) is unchanged.


class DataValue(models.Model):
    """One figure: (indicator, option, unit, period) → value."""

    class Review(models.IntegerChoices):
        """How far the figure has been reviewed: the status of the report it last went
        through (decision 0020). Totals count the values at or above a level."""

        DRAFT = 0, _("Đang nhập / draft")
        SUBMITTED = 1, _("Đã gửi / submitted")
        APPROVED = 2, _("Đã duyệt / approved")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, db_constraint=False, db_index=False, related_name="+"
    )
    option = models.CharField(
        max_length=40, blank=True, help_text="Option code; empty if not disaggregated."
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, db_constraint=False, db_index=False, related_name="+"
    )
    period = models.CharField(max_length=10, help_text="DHIS2 period id, e.g. 2021S1.")
    value_number = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    value_text = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on each change: edits check it."
    )
    modified = models.DateTimeField(default=timezone.now)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    # A database default: the bulk writers list their columns, and a value written is a
    # draft (reporting.statuses sets the level when its report is submitted or decided).
    status = models.PositiveSmallIntegerField(
        choices=Review.choices, default=Review.DRAFT, db_default=Review.DRAFT
    )

    class Meta:
        constraints = [
            # One value per cell; also the lookup of a form's values for a unit and
            # period, and of a unit's values (it leads with the unit).
            models.UniqueConstraint(
                fields=["unit", "period", "indicator", "option"], name="datavalue_cell"
            ),
        ]
        indexes = [
            # Rollups: one indicator and period across many units; an indicator's values.
            models.Index(fields=["indicator", "period"], name="datavalue_indicator_period"),
        ]

    @property
    def value(self):
        return self.value_number if self.value_number is not None else (self.value_text or None)


class DataValueChange(models.Model):
    """Every change of a value: who, when, old → new (the per-cell history)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, db_constraint=False, db_index=False, related_name="+"
    )
    option = models.CharField(max_length=40, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, db_constraint=False, db_index=False, related_name="+"
    )
    period = models.CharField(max_length=10)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    changed = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-changed", "-id"]
        indexes = [
            # A cell's history; also a unit's changes (it leads with the unit).
            models.Index(
                fields=["unit", "period", "indicator", "option"], name="datavaluechange_cell"
            )
        ]


class Submission(TimeStamped):
    """A unit's report of a form for a period, through draft → submitted → approved (or returned)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang nhập / draft")
        SUBMITTED = "submitted", _("Đã gửi / submitted")
        RETURNED = "returned", _("Trả lại / returned")
        APPROVED = "approved", _("Đã duyệt / approved")

    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="submissions")
    period = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    first_submitted = models.DateTimeField(
        null=True, blank=True, help_text="Timeliness counts this."
    )
    submitted = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True, help_text="Why it was returned.")
    submit_comment = models.TextField(
        blank=True,
        help_text="The submitter's word on the validation rules that failed when it was "
        "submitted (forms that do not refuse them); the approver reads it.",
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["form", "unit", "period"], name="submission_unique"),
        ]
        indexes = [models.Index(fields=["form", "period", "status"], name="submission_form_period")]

    def __str__(self) -> str:
        return f"{self.form.code} {self.unit.code} {self.period} ({self.status})"

    @property
    def is_locked(self) -> bool:
        """Values cannot change while submitted (under review) or once approved."""
        return self.status in {self.Status.SUBMITTED, self.Status.APPROVED}


class CellMark(TimeStamped):
    """A cell of a report marked by its approver: to fix (with a return; the reporter's
    grid shows it until the report is submitted again) or for follow-up (kept, listed on
    the review and by data-quality pages until someone resolves it)."""

    class Kind(models.TextChoices):
        FIX = "fix", _("Cần sửa / to fix")
        FOLLOW_UP = "follow_up", _("Cần theo dõi / for follow-up")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="marks")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    option = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolved = models.DateTimeField(
        null=True, blank=True, help_text="A mark to fix: when the report was submitted again."
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["submission", "created", "id"]
        indexes = [
            # The open marks of a report: the grid and the review read them.
            models.Index(fields=["submission", "resolved"], name="cellmark_submission_open"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.indicator_id} {self.option}"


class ValueBounds(TimeStamped):
    """The usual range of one indicator (option) for one unit (DHIS2: min-max values).

    Generated from the unit's submitted and approved history by
    ``services.generate_bounds`` (the formula is in reporting/outliers/stats.py), or
    typed by a manager (``is_generated`` false: a regeneration keeps it unless asked).
    A value outside the range is an outlier of method "minmax".
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    option = models.CharField(max_length=40, blank=True)
    low = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    high = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    is_generated = models.BooleanField(default=True)
    basis = models.CharField(
        max_length=200, blank=True, help_text="How it was generated: method and periods."
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        constraints = [
            # One range per cell of a unit; also the lookup of a unit's ranges (outliers).
            models.UniqueConstraint(
                fields=["unit", "indicator", "option"], name="valuebounds_cell"
            ),
        ]


class OutlierComment(models.Model):
    """Why a figure far from its history is right: the reporter's explanation (giải trình).

    Kept per cell with the value it explains: a changed value is unexplained again.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    option = models.CharField(max_length=40, blank=True)
    period = models.CharField(max_length=10)
    value = models.DecimalField(max_digits=20, decimal_places=4)
    text = models.TextField()
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            # One explanation per cell; also the lookup of a report's explanations.
            models.UniqueConstraint(
                fields=["unit", "period", "indicator", "option"], name="outliercomment_cell"
            ),
        ]


class QualityNote(TimeStamped):
    """A manager's note on one item of the data-quality page (chất lượng số liệu), and
    whether the item is resolved (decision 0023).

    An item is what the page lists for a unit's report of a form for a period: an
    outlier (one cell, one method), a failed validation rule, a value marked for
    follow-up (``CellMark``, whose own ``resolved`` the service keeps in step), a report
    not submitted, or an empty compulsory cell of a submitted one. Items are computed,
    not stored; a note is kept only once someone comments on or resolves one, keyed by
    what identifies the item, so it stays resolved across reloads and the figures
    changing under it do not lose it.
    """

    class Kind(models.TextChoices):
        OUTLIER = "outlier", _("Số liệu bất thường / outlier")
        RULE = "rule", _("Quy tắc kiểm tra không đạt / failed validation rule")
        FOLLOW_UP = "follow_up", _("Giá trị cần theo dõi / value for follow-up")
        MISSING = "missing", _("Báo cáo chưa gửi / report not submitted")
        EMPTY = "empty", _("Ô bắt buộc còn trống / empty compulsory cell")

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    subject = models.CharField(
        max_length=120,
        blank=True,
        help_text="What in the report: 'indicator id|option|method' (outlier), "
        "'indicator id|option' (empty cell), the rule's id, the mark's id, '' (missing).",
    )
    note = models.TextField(blank=True)
    resolved = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        constraints = [
            # One note per item; also the page's read of the notes of a subtree's units
            # for a form and span (it leads with the unit).
            models.UniqueConstraint(
                fields=["unit", "form", "period", "kind", "subject"], name="qualitynote_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.unit_id} {self.period} {self.subject}"
