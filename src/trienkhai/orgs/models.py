"""Units that live in time.

A ``Unit`` is an identity with a stable code of its own. What changes about it — its
name, abbreviation, kind and parent — lives in ``UnitVersion`` rows, each valid for a
half-open interval of days. Official codes (the statistics office's province and
commune codes) are dated attributes in ``OfficialCode``, because the 2025 reform reused
them for other units. ``LineageEvent`` and ``LineageLink`` record how units became
other units (merges and splits), so that data of a unit that no longer exists can be
carried to its successors.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trienkhai.common.models import TimeStamped, ValidityInterval


class Profile(models.TextChoices):
    """How a unit numbers and lays out its documents (VN_DOCUMENTS.md §2.8)."""

    STATE = "state", _("Nhà nước / State")
    PARTY = "party", _("Đảng / Party")


class UnitKind(models.Model):
    """A kind of unit — province, commune, party cell ... Kinds are data, not code."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100, blank=True)
    profile = models.CharField(max_length=10, choices=Profile.choices, default=Profile.STATE)
    sort_order = models.PositiveSmallIntegerField(default=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Unit(TimeStamped, ValidityInterval):
    """An organisational or administrative unit over its whole life.

    valid_from/valid_to span its versions: from its creation to the day it was
    merged, split or dissolved (exclusive).
    """

    code = models.CharField(max_length=40, unique=True)
    profile_override = models.CharField(
        max_length=10, choices=Profile.choices, blank=True, help_text="Empty: the kind's profile."
    )
    agency_code = models.CharField(
        max_length=13,
        blank=True,
        default="",
        help_text="Mã định danh điện tử (QĐ 20/2020/QĐ-TTg), e.g. 000.00.00.G22: the "
        "OrganId of its edXML packages. Empty: not known.",
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["code"]
        constraints = [
            # An incoming edXML package finds its receiving unit by the To's OrganId.
            models.UniqueConstraint(
                fields=["agency_code"],
                condition=~models.Q(agency_code=""),
                name="unit_unique_agency_code",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def version_on(self, day: dt.date) -> "UnitVersion | None":
        """The version in force on ``day``, or None if the unit did not exist then."""
        for version in self.versions.all():
            if version.is_valid_on(day):
                return version
        return None

    def reference_date(self, today: dt.date | None = None) -> dt.date:
        """Today while the unit lives; its last day once it has ended."""
        today = today or timezone.localdate()
        if self.valid_to is not None and self.valid_to <= today:
            return self.valid_to - dt.timedelta(days=1)
        return max(today, self.valid_from)

    def latest_version(self) -> "UnitVersion":
        return max(self.versions.all(), key=lambda v: v.valid_from)


class UnitVersion(ValidityInterval):
    """A unit's name, abbreviation, kind and parent during [valid_from, valid_to)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField(max_length=200)
    abbreviation = models.CharField(
        max_length=30, blank=True, help_text="Used in document symbols: HU, TU, BTGHU, UBND."
    )
    kind = models.ForeignKey(UnitKind, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="child_versions"
    )
    search_key = models.CharField(max_length=300, db_index=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit", "valid_from"]
        constraints = [
            # One version starts on a given day; overlaps are refused by the services.
            models.UniqueConstraint(fields=["unit", "valid_from"], name="unitversion_unique_start"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="unitversion_interval_not_empty",
            ),
        ]
        indexes = [
            # The children of a unit on a date: the descendants query walks this.
            models.Index(fields=["parent", "valid_from"], name="unitversion_parent_from"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from trienkhai.vn import fold

        self.search_key = fold(f"{self.name} {self.abbreviation} {self.unit.code}")[:300]
        super().save(*args, **kwargs)


class OfficialCode(ValidityInterval):
    """An official code a unit carried for a while, e.g. the statistics office's "91"."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="official_codes")
    scheme = models.SlugField(max_length=20, default="gso", help_text="gso: Tổng cục Thống kê")
    code = models.CharField(max_length=20)

    class Meta:
        ordering = ["scheme", "code", "valid_from"]
        indexes = [
            # Lookup by official code on a date.
            models.Index(fields=["scheme", "code", "valid_from"], name="officialcode_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.code}"


class LineageEvent(TimeStamped):
    """A dated change in the organisation: a unit created, renamed, moved, merged, split, dissolved."""

    class Kind(models.TextChoices):
        CREATE = "create", _("Thành lập / created")
        RENAME = "rename", _("Đổi tên / renamed")
        MOVE = "move", _("Chuyển trực thuộc / moved")
        MERGE = "merge", _("Hợp nhất, sáp nhập / merged")
        SPLIT = "split", _("Chia tách / split")
        DISSOLVE = "dissolve", _("Giải thể / dissolved")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    date = models.DateField(help_text="Effective date.")
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        related_name="events",
        null=True,
        blank=True,
        help_text="The unit the event is about (the successor of a merge, the unit split).",
    )
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["unit", "date"], name="lineageevent_unit_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class LineageLink(models.Model):
    """Part or all of ``predecessor`` went into ``successor`` at ``event``."""

    event = models.ForeignKey(LineageEvent, on_delete=models.CASCADE, related_name="links")
    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="predecessor_links")
    is_partial = models.BooleanField(
        default=False, help_text="Only part of the predecessor went into this successor."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "predecessor", "successor"], name="lineagelink_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")), name="lineagelink_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id}"
