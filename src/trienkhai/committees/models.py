"""Steering committees (ban chỉ đạo) and their dated membership, meetings and conclusions
(issue 17 part 3, decision 0058).

A committee belongs to the Party committee that set it up (``unit``): the policy asks
about that unit. Who sits on it, in which role and with which position in their own
unit, is kept per interval (``Membership``: half-open ``[valid_from, valid_to)`` like
units' versions), so the committee of any day can be read and no change is lost. A
meeting's conclusions are tasks of the directives (``documents.Assignment``): a
``Conclusion`` only says which meeting gave which assignment.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trienkhai.common.models import TimeStamped, ValidityInterval, valid_on
from trienkhai.documents.models import Assignment, Document
from trienkhai.orgs.models import Unit
from trienkhai.vn.text import fold


class Committee(TimeStamped, ValidityInterval):
    """A steering committee (ban chỉ đạo), e.g. Ban Chỉ đạo 35 huyện Chợ Đồn, from the
    day its founding decision set it up (``valid_from``) to the day it ended
    (``valid_to``, exclusive; empty while it works)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="steering_committees")
    """The Party committee that set it up: its managers change the committee, its
    viewers read it."""
    name = models.CharField(max_length=200)
    founding_decision = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    """The decision that set it up (Quyết định thành lập), from the unit's register."""
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="committee_ends_after_it_starts",
            ),
        ]
        indexes = [
            # A unit's committees (the list page, GET /committees?unit=).
            models.Index(fields=["unit", "valid_from"], name="committee_unit_from"),
        ]

    def __str__(self) -> str:
        return self.name

    def members_on(self, day: dt.date) -> models.QuerySet["Membership"]:
        """The memberships valid on ``day``, head first, then deputies, members, secretariat."""
        return (
            Membership.objects.filter(valid_on(day), person__committee=self)
            .select_related("person", "person__unit")
            .order_by("role_order", "id")
        )


class Person(models.Model):
    """Someone who sits on a committee or was invited to one of its meetings: a name and,
    when the system has it, their own unit: only what the committee's work needs
    (decision 0058, with decision 0040's rules). One row per committee: the same person on
    two committees is two rows, so no profile gathers across committees. No history table:
    an erased name leaves no copy."""

    ERASED_NAME = "—"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, help_text="fold(name); '' once erased.")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    """Their own unit (cơ quan, đơn vị công tác), when it is one the system knows."""
    created = models.DateTimeField(default=timezone.now)
    erased = models.DateTimeField(null=True, blank=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            # A name typed again in the same committee is the same person (a member whose
            # role changes keeps one row); an erased person is never matched again.
            models.UniqueConstraint(
                fields=["committee", "name_key"],
                condition=models.Q(erased__isnull=True),
                name="committee_person_unique_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def key_of(name: str) -> str:
        return fold(name)[:200]


class Membership(ValidityInterval):
    """A person's seat on the committee in one role, with their position in their own unit,
    for ``[valid_from, valid_to)``. A new role or position is a new row from its day; the
    old row ends that day, so the committee of any earlier day stays as it was."""

    class Role(models.TextChoices):
        HEAD = "head", _("Trưởng ban")
        DEPUTY = "deputy", _("Phó Trưởng ban")
        MEMBER = "member", _("Thành viên")
        SECRETARIAT = "secretariat", _("Tổ giúp việc")

    ROLE_ORDER = {Role.HEAD: 0, Role.DEPUTY: 1, Role.MEMBER: 2, Role.SECRETARIAT: 3}

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices)
    role_order = models.PositiveSmallIntegerField(editable=False, default=2)
    position = models.CharField(
        max_length=300,
        blank=True,
        help_text="Chức vụ tại cơ quan, đơn vị: Phó Bí thư Thường trực Huyện ủy …",
    )
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["role_order", "valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="membership_ends_after_it_starts",
            ),
        ]
        indexes = [
            # A person's seats in order (the overlap check before a new one).
            models.Index(fields=["person", "valid_from"], name="membership_person_from"),
        ]

    def save(self, *args, **kwargs):
        self.role_order = self.ROLE_ORDER[self.Role(self.role)]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "role_order"}
        super().save(*args, **kwargs)


class Meeting(TimeStamped):
    """A meeting of the committee: a regular one (họp định kỳ), an interim review
    conference (hội nghị sơ kết) or a final one (tổng kết)."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Họp định kỳ")
        INTERIM_REVIEW = "interim_review", _("Hội nghị sơ kết")
        FINAL_REVIEW = "final_review", _("Hội nghị tổng kết")

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=300)
    place = models.CharField(max_length=200, blank=True)
    agenda = models.TextField(blank=True, help_text="Nội dung, chương trình: one item a line.")
    minutes = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    """The minutes (biên bản) or the notice of conclusions, from the register."""
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            # The committee's page: its meetings, newest first.
            models.Index(fields=["committee", "date"], name="meeting_committee_date"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def agenda_items(self) -> list[str]:
        return [line for line in self.agenda.splitlines() if line.strip()]


class Attendance(models.Model):
    """Who attended a meeting: a member on its day, or someone invited (``is_invited``:
    no seat on that day), with the position they came in when invited."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    is_invited = models.BooleanField(default=False)
    is_chair = models.BooleanField(default=False)
    position = models.CharField(max_length=300, blank=True, help_text="An invited person's.")

    class Meta:
        ordering = ["is_invited", "-is_chair", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="committee_attendance_once"),
        ]


class Conclusion(models.Model):
    """A conclusion of a meeting that became a task: the assignment the directives keep
    (who must do what by when, and whether they answered). The task's words, due day and
    units live there, once."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="conclusions")
    assignment = models.OneToOneField(
        Assignment, on_delete=models.PROTECT, related_name="committee_conclusion"
    )
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
