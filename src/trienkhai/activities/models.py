"""Events (classes, conferences, club sessions), their sessions, people and attendance.

Only what the figures need is kept about a person (issue 16 item 6): name, unit,
position, audience group. An attendance is one person at one session: the figure
"participant-attendances" (lượt người) counts them, "participants" counts the distinct
people; a person is at a session at most once, so nothing counts twice.

Members' pledges (PledgeList, Pledge) reuse Person: a member is a person with the
audience group "dang_vien"; erasing one keeps every count. Official channels (Channel,
PostCount) are the organisation's own, with the counts their managing units enter.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
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
    certificate_sessions = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Sessions a participant must attend to be given a certificate; empty: all.",
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
        max_length=40,
        blank=True,
        help_text="The code of check-in from a phone (decision 0045): 8 characters of "
        "Crockford's base32; empty: never opened.",
    )
    check_in_expires = models.DateTimeField(
        null=True, blank=True, help_text="When the check-in code stops being accepted."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "date", "id"]
        constraints = [
            # The public check-in page finds its session by the code; never two alike.
            models.UniqueConstraint(
                fields=["check_in_code"],
                condition=~models.Q(check_in_code=""),
                name="session_check_in_code_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.date}"

    def is_check_in_open(self, now: dt.datetime | None = None) -> bool:
        """Whether its check-in code is accepted now (decision 0045)."""
        expires = self.check_in_expires
        return (
            bool(self.check_in_code) and expires is not None and (now or timezone.now()) < expires
        )


class Site(models.Model):
    """A connected site (điểm cầu) of an online conference: a hall where a unit gathers
    people to follow the conference from the main site (the event's place).

    The event and its attendances count for the organiser (decision 0046); the host is
    where the people gathered. A site is counted by name (attendances recorded at it), by
    head (``SiteCount``: a number per session, no names), or both."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sites")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", help_text="The host unit."
    )
    place = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "id"]
        constraints = [
            # One site per host unit and event: an attendance list names a site by its
            # host (code or name), so the host says which site it is.
            models.UniqueConstraint(fields=["event", "unit"], name="site_unit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.unit_id}"


class SiteCount(models.Model):
    """How many people followed one session at a site, counted by head (no names).

    The whole number at the site: the people recorded there by name are among them
    (``people`` is never below their number), so a site's session counts ``people``
    attendances whatever the names; never a distinct person (decision 0046)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="counts")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="site_counts")
    people = models.PositiveIntegerField()
    modified = models.DateTimeField(default=timezone.now)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["site", "session", "id"]
        constraints = [
            # A site's head count of a session is one number (entered again: replaced).
            models.UniqueConstraint(fields=["site", "session"], name="site_count_once"),
        ]


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
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
        help_text="The connected site they followed it from; empty: the main site.",
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


class EventTally(models.Model):
    """How many events of a kind a unit started in a month: the events' figures of a
    big subtree read from here, not from every event (decision 0055). Kept by the
    writes (``tallies``); ``tallies.rebuild`` makes it again from the register."""

    organiser = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The month's first day.")
    kind = models.CharField(max_length=20, choices=Event.Kind.choices)
    events = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # One count per unit, month and kind; also the figures' read: a subtree's
            # units over a span of months.
            models.UniqueConstraint(fields=["organiser", "month", "kind"], name="event_tally_once"),
        ]


class AttendanceTally(models.Model):
    """How many attendances (lượt người, named) the events of a unit had in a month,
    by the group each person had at the session (decision 0055). Kept by the writes."""

    organiser = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The month's first day.")
    audience = models.CharField(max_length=20, choices=Audience.choices, blank=True)
    attendances = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # One count per unit, month and group; also the figures' read.
            models.UniqueConstraint(
                fields=["organiser", "month", "audience"], name="attendance_tally_once"
            ),
        ]


class Participation(models.Model):
    """The years a person attended at least one session of a unit's events in a group
    (decision 0055), one row however many years: the distinct participants of whole
    years are counted here, among far fewer rows than the attendances, never added up.
    Kept by the writes."""

    FIRST_YEAR = 1990
    LAST_YEAR = 2052
    """``years`` holds the years FIRST_YEAR–LAST_YEAR (bit n: FIRST_YEAR + n; 63 bits of
    a signed bigint); an attendance of another year is read from the register."""

    organiser = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=20, choices=Audience.choices, blank=True)
    years = models.BigIntegerField(help_text="Bit n: the year FIRST_YEAR + n.")

    class Meta:
        constraints = [
            # Once per unit, person and group; also the figures' read: the people of a
            # subtree's units (an index-only scan), in the years of a mask.
            models.UniqueConstraint(
                fields=["organiser", "person", "audience"], name="participation_once"
            ),
        ]

    @classmethod
    def bit(cls, year: int) -> int:
        return 1 << (year - cls.FIRST_YEAR)

    @classmethod
    def mask(cls, first: int, last: int) -> int:
        """The bits of the years ``first``–``last`` (within FIRST_YEAR–LAST_YEAR)."""
        return (1 << (last - cls.FIRST_YEAR + 1)) - (1 << (first - cls.FIRST_YEAR))


class AttendanceRemoval(models.Model):
    """The audit row of an attendance taken back (a wrong check-in, decision 0045): at
    which session, whose, received when and from whom, taken back when and by whom.

    The person by id only: their name stays where it is erased from (decision 0040)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="removals")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    received = models.DateTimeField(help_text="When the attendance taken back was received.")
    received_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text="Who recorded it; empty: the person's own check-in, or a user since removed.",
    )
    removed = models.DateTimeField(default=timezone.now)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-removed", "-id"]


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


class PledgeList(TimeStamped):
    """A party cell's self-improvement pledges of a year (bản đăng ký tu dưỡng, rèn luyện):
    its members and the deadline the cell set (issue 16 item 3).

    Only whether and when each member handed in a pledge is kept: nothing about what it
    says, no grade, no assessment of anyone. Usually a cell (chi bộ); a party committee
    keeps the list of its members when its cells are not units of the tree.
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    deadline = models.DateField(help_text="The last day to hand in a pledge on time.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Each recording of a list saves it: its history says who recorded it and when, and
    # any change of deadline. Members are not in it (Person has no history table).
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["year", "unit", "id"]
        constraints = [
            # One list per cell and year; also the figures' lookup: the lists of a
            # subtree's units for a span of years.
            models.UniqueConstraint(fields=["unit", "year"], name="pledge_list_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"


class Pledge(models.Model):
    """One member on a cell's list of a year: handed in (on which day) or not yet.

    On time when ``submitted`` is on or before the list's deadline; derived, never stored,
    so that a corrected deadline corrects every figure."""

    pledge_list = models.ForeignKey(PledgeList, on_delete=models.CASCADE, related_name="pledges")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="pledges")
    submitted = models.DateField(null=True, blank=True)
    modified = models.DateTimeField(default=timezone.now)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["pledge_list", "id"]
        constraints = [
            # A member is on a cell's list of a year once: one pledge a member a year.
            models.UniqueConstraint(fields=["pledge_list", "person"], name="pledge_once"),
        ]


class Channel(TimeStamped):
    """One of the organisation's own official channels (kênh thông tin chính thức):
    a website, the organisation's own social-media page, the radio or loudspeakers
    (issue 16 item 4).

    A register entry only: its managing unit says how many items it published. Nothing
    in trienkhai opens its address, reads, fetches or watches what is published there or
    anywhere else, and no account is managed here."""

    class Kind(models.TextChoices):
        WEBSITE = "website", _("Trang, cổng thông tin điện tử / website")
        SOCIAL_PAGE = "social_page", _("Trang mạng xã hội của cơ quan / the body's own page")
        RADIO = "radio", _("Đài truyền thanh, loa / radio, loudspeakers")
        BULLETIN = "bulletin", _("Bản tin, đặc san / bulletin")
        OTHER = "other", _("Kênh khác / other")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", help_text="The managing unit."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=300)
    address = models.CharField(
        max_length=500,
        blank=True,
        help_text="Its URL, or where it is heard (radio); written down, never opened.",
    )
    address_key = models.CharField(
        max_length=500, blank=True, help_text="The address without scheme, www. or final /."
    )
    active_from = models.DateField()
    active_to = models.DateField(
        null=True, blank=True, help_text="Its last active day; empty: still active."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["unit", "name", "id"]
        indexes = [
            # Figures: the channels of a subtree's units active on a day.
            models.Index(fields=["unit", "active_from"], name="channel_unit_active"),
        ]
        constraints = [
            # One channel per address: registered twice, a site would count twice above.
            models.UniqueConstraint(
                fields=["address_key"],
                condition=~models.Q(address_key=""),
                name="channel_address_once",
            ),
            models.CheckConstraint(
                condition=models.Q(active_to__isnull=True)
                | models.Q(active_to__gte=models.F("active_from")),
                name="channel_active_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def last_day(self) -> dt.date | None:
        """Its last active day: ``active_to``, or its managing unit's last day when the
        unit ended first (a district's website is not active after the district ended
        in the 2025 reform; only a channel whose managing unit is the successor is);
        None: still active. Reads ``unit`` (select it with the channel)."""
        days = [day for day in (self.active_to, self.unit.last_day) if day is not None]
        return min(days) if days else None

    def is_active_on(self, day: dt.date) -> bool:
        last = self.last_day
        return self.active_from <= day and (last is None or day <= last)


class PostCount(models.Model):
    """How many items (tin, bài) a channel published in a period, as its managing unit
    counted them: a month, a quarter, a half-year or a year (``period``, its id)."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="post_counts")
    period = models.CharField(max_length=10, help_text="202001, 2020Q1, 2020S1 or 2020.")
    start = models.DateField()
    end = models.DateField()
    posts = models.PositiveIntegerField()
    modified = models.DateTimeField(default=timezone.now)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["channel", "start", "id"]
        constraints = [
            # A channel's count of a period is one number (entered again: replaced).
            models.UniqueConstraint(fields=["channel", "period"], name="post_count_once"),
        ]
        indexes = [
            # Figures: the counts whose period lies within a span.
            models.Index(fields=["start", "end"], name="post_count_span"),
        ]


class InspectionPlan(TimeStamped):
    """A unit's annual plan of inspection and supervision (kế hoạch kiểm tra, giám sát)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    reference = models.CharField(
        max_length=60, blank=True, help_text="The plan's number as issued, e.g. 05-KH/HU."
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["unit", "year", "id"]

    def __str__(self) -> str:
        return self.title


class Inspection(TimeStamped):
    """An inspection (kiểm tra) or a supervision (giám sát) of a subordinate unit by a
    unit's committee: its team, dates and, once concluded, its findings.

    Figures count it for the inspecting unit: held when concluded (``concluded``)."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("Kiểm tra / inspection")
        SUPERVISION = "supervision", _("Giám sát / supervision")

    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="inspections"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", help_text="The inspecting unit."
    )
    inspected = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    start = models.DateField()
    end = models.DateField()
    team = models.TextField(
        blank=True, help_text="The team as the decision names it (đoàn kiểm tra), one a line."
    )
    concluded = models.DateField(null=True, blank=True, help_text="The day of its conclusion.")
    findings = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            # Figures: the inspections of a subtree's units concluded within a span.
            models.Index(fields=["unit", "concluded"], name="inspection_unit_concluded"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="inspection_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Recommendation(models.Model):
    """What an inspection's conclusion asks the inspected unit to do, by when, and what
    was done (theo dõi thực hiện kiến nghị)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField()
    deadline = models.DateField()
    resolved = models.DateField(null=True, blank=True, help_text="The day it was carried out.")
    follow_up = models.TextField(blank=True, help_text="What was done, as the unit reports it.")
    modified = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["inspection", "deadline", "id"]


class CertificateSeries(models.Model):
    """The numbers of an organiser's certificates of a year: the row locked while numbers
    are given (as a document register's series, decision 0006), so none is given twice."""

    organiser = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # The series of an organiser and year, found (and locked) on every issue.
            models.UniqueConstraint(fields=["organiser", "year"], name="certificate_series_once"),
        ]


class Certificate(models.Model):
    """A certificate (giấy chứng nhận) that a person took part in an event, as printed.

    What it shows is kept as it was printed on the day of issue (names of units and of
    the event as they were then), so that the PDF made again and the verification page
    say what the paper says. ``code`` is random (80 bits, decision 0044): it is the only
    key of the public verification page and says nothing about anyone. No history table:
    the name must leave no copy behind when the person is erased (decision 0040); the
    row itself records who issued it and who revoked it, when and why (a certificate is
    never changed otherwise, and a revocation is never undone).
    """

    class State(models.TextChoices):
        VALID = "valid", _("Còn hiệu lực / valid")
        REVOKED = "revoked", _("Đã thu hồi / revoked")
        ERASED = "erased", _("Đã thu hồi do xóa dữ liệu cá nhân / revoked: personal data erased")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="certificates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="certificates")
    organiser = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="The year of issue: the series.")
    number = models.PositiveIntegerField()
    symbol = models.CharField(max_length=60, help_text="As printed: 05-GCN/BTGHU, 05/GCN-UBND.")
    code = models.CharField(max_length=16, help_text="Crockford base32, 80 random bits.")
    layout = models.CharField(max_length=12, help_text="party, party-2026 or state.")
    superior = models.CharField(max_length=200, blank=True)
    issuer = models.CharField(max_length=200, help_text="The header's issuer line, in capitals.")
    organiser_name = models.CharField(max_length=200)
    name = models.CharField(max_length=200, help_text="Empty once the person is erased.")
    unit_name = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Event.Kind.choices)
    start = models.DateField()
    end = models.DateField()
    place = models.CharField(max_length=300, blank=True)
    sessions_attended = models.PositiveSmallIntegerField()
    sessions_held = models.PositiveSmallIntegerField()
    issued = models.DateField()
    issued_place = models.CharField(max_length=100, blank=True)
    signer_position = models.CharField(max_length=100)
    signer_name = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.VALID)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["event", "number", "id"]
        constraints = [
            # A number is given once in an organiser's series of a year.
            models.UniqueConstraint(
                fields=["organiser", "year", "number"], name="certificate_number_once"
            ),
            # The verification page's lookup; a code is never given twice.
            models.UniqueConstraint(fields=["code"], name="certificate_code_once"),
            # One valid certificate per person and event (a revoked one may be replaced).
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=models.Q(state="valid"),
                name="certificate_valid_once",
            ),
        ]

    def __str__(self) -> str:
        return self.symbol

    @property
    def code_shown(self) -> str:
        """The code as printed and typed: four groups of four (XXXX-XXXX-XXXX-XXXX)."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    @property
    def is_valid(self) -> bool:
        return self.state == self.State.VALID
