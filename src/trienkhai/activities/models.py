"""Events (classes, conferences, club sessions), their sessions, people and attendance.

Only what the figures need is kept about a person (issue 16 item 6): name, unit,
position, audience group. An attendance is one person at one session: the figure
"participant-attendances" (lượt người) counts them, "participants" counts the distinct
people; a person is at a session at most once, so nothing counts twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trienkhai.common.models import TimeStamped
from trienkhai.orgs.models import Unit


class Audience(models.TextChoices):
    """Audience groups (đối tượng): the option codes of the ``doi_tuong`` breakdown."""

    LECTURER = "bao_cao_vien", _("Báo cáo viên / lecturers")
    OFFICIAL = "can_bo", _("Cán bộ / officials")
    PARTY_MEMBER = "dang_vien", _("Đảng viên / Party members")
    YOUTH_MEMBER = "doan_vien", _("Đoàn viên / Youth Union members")
    ASSOCIATION_MEMBER = "hoi_vien", _("Hội viên / association members")
    PUBLIC = "nhan_dan", _("Nhân dân / the public")


class Event(TimeStamped):
    """A class (lớp bồi dưỡng), a conference (hội nghị) or a club session, held by a unit."""

    class Kind(models.TextChoices):
        CLASS = "class", _("Lớp bồi dưỡng / class")
        STUDY_CONFERENCE = "study_conference", _("Hội nghị học tập, quán triệt / study conference")
        ONLINE_CONFERENCE = "online_conference", _("Hội nghị trực tuyến / online conference")
        CLUB_SESSION = "club_session", _("Sinh hoạt câu lạc bộ / club session")

    organiser = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    start = models.DateField()
    end = models.DateField()
    place = models.CharField(max_length=300, blank=True)
    link = models.URLField(max_length=500, blank=True)
    audience = models.JSONField(
        default=list, blank=True, help_text="Audience group codes (Audience) it is meant for."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            # Figures: the events of a subtree's units that start within a span, by kind.
            models.Index(fields=["organiser", "start", "kind"], name="event_organiser_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="event_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    """One day of an event (buổi): attendance is taken per session."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    check_in_code = models.CharField(
        max_length=40, blank=True, help_text="For check-in from a phone (not used yet)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "date", "id"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.date}"


class Person(TimeStamped):
    """A participant from the organisation: only what the figures need.

    The same person when the name (NFC, spaces collapsed, case folded: ``name_key``)
    and the unit match (the issue's contract).
    """

    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(max_length=200, blank=True)
    audience = models.CharField(max_length=20, choices=Audience.choices, blank=True)
    erased = models.DateTimeField(
        null=True, blank=True, help_text="When name, position and group were erased (people.py)."
    )
    # No history table: personal data erased on request must leave no copy behind (Nghị
    # định 13/2023/NĐ-CP, issue 16 item 6). Who recorded a person's attendance is on the
    # attendance.

    class Meta:
        constraints = [
            # One person per name in a unit; also the lookup of an attendance list's rows.
            models.UniqueConstraint(fields=["unit", "name_key"], name="person_unit_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    """One person at one session (một lượt người).

    ``organiser`` and ``date`` repeat the session's event organiser and date, so that
    the figures of a subtree and span read one table through one index.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    organiser = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    audience = models.CharField(
        max_length=20, choices=Audience.choices, blank=True, help_text="The person's group then."
    )
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            # Nobody counts twice at one session.
            models.UniqueConstraint(fields=["session", "person"], name="attendance_once"),
        ]
        indexes = [
            # Figures: attendances and distinct people of a subtree's units within a span.
            models.Index(
                fields=["organiser", "date", "person", "audience"], name="attendance_figures"
            ),
        ]


class PersonErasure(models.Model):
    """The audit row of an erasure: which person (by id only), whose, by whom, why.

    It names nobody: the person's name is what was erased."""

    class Reason(models.TextChoices):
        REQUEST = "request", _("Theo yêu cầu / on request")
        RETENTION = "retention", _("Hết thời hạn lưu / retention period over")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="erasures")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
