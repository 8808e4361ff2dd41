"""Commendations (thi đua, khen thưởng; Luật 06/2022/QH15, Nghị định 98/2023/NĐ-CP):
kinds, nominations with their dossier, the people nominated and the awards (issue 17).

One achievement earns one commendation (decision 0054): a nomination that is not
refused holds its (recipient, year, achievement) key, and the database refuses a second
one (``nomination_one_per_achievement_*``).
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trienkhai.orgs.models import Profile, Unit
from trienkhai.vn.text import fold


class Kind(models.Model):
    """A kind of commendation (hình thức khen thưởng, or a danh hiệu thi đua) and the
    level that gives it: Bằng khen of a province, Giấy khen of a department …"""

    class Level(models.TextChoices):
        STATE = "state", "Nhà nước (Chủ tịch nước, Thủ tướng) / the State"
        PROVINCE = "province", "Cấp bộ, ban, ngành, tỉnh / ministry, board, province"
        DISTRICT = "district", "Cấp huyện (đến 30/6/2025) / district (until 30/6/2025)"
        AGENCY = "agency", "Thủ trưởng cơ quan, đơn vị / head of an agency or unit"
        COMMUNE = "commune", "Cấp xã / commune"

    class Category(models.TextChoices):
        FORM = "form", "Hình thức khen thưởng / commendation"
        TITLE = "title", "Danh hiệu thi đua / emulation title"

    class Recipients(models.TextChoices):
        BOTH = "both", "Tập thể và cá nhân / collectives and individuals"
        COLLECTIVE = "collective", "Tập thể / collectives"
        INDIVIDUAL = "individual", "Cá nhân / individuals"

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    level = models.CharField(max_length=20, choices=Level.choices)
    category = models.CharField(max_length=10, choices=Category.choices, default=Category.FORM)
    recipients = models.CharField(max_length=12, choices=Recipients.choices, default="both")
    legal_basis = models.CharField(max_length=200, blank=True)
    giver_profile = models.CharField(
        max_length=10,
        choices=Profile.choices,
        blank=True,
        help_text="Given by a Party body or a State one (decision 0057); empty: either.",
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def admits(self, *, individual: bool) -> bool:
        """Whether this kind is given to an individual (or a collective)."""
        wanted = self.Recipients.INDIVIDUAL if individual else self.Recipients.COLLECTIVE
        return self.recipients in (self.Recipients.BOTH, wanted)


class Individual(models.Model):
    """A person nominated (cá nhân), with their unit: only what the register needs
    (decision 0040's rules). No history table: an erased name leaves no copy."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, help_text="fold(name); '' once erased.")
    created = models.DateTimeField(default=timezone.now)
    erased = models.DateTimeField(null=True, blank=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            # One person per folded name within a unit, so that nominating "Nguyễn Văn A"
            # twice finds the same person (and the one-achievement rule holds); an
            # erased person is never matched again (decision 0040).
            models.UniqueConstraint(
                fields=["unit", "name_key"],
                condition=models.Q(erased__isnull=True),
                name="individual_unique_name_in_unit",
            ),
        ]

    ERASED_NAME = "—"

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def key_of(name: str) -> str:
        return fold(name)[:200]


def achievement_digest(text: str) -> str:
    """The key of an achievement (decision 0054): SHA-256 of its folded text (accents,
    case, spacing and a final full stop ignored), so that the same words typed again, with
    or without Vietnamese marks, are the same achievement."""
    folded = fold(text).rstrip(" .;")
    return hashlib.sha256(folded.encode()).hexdigest()


class Nomination(models.Model):
    """A nomination (đề nghị khen thưởng) of a collective (``individual`` empty: the
    ``recipient_unit`` itself) or of an individual of ``recipient_unit``, for a kind given
    by ``giver`` for an achievement of ``year``."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Đã trình / submitted"
        RETURNED = "returned", "Trả lại để bổ sung / returned for correction"
        RESUBMITTED = "resubmitted", "Đã trình lại / resubmitted"
        ACCEPTED = "accepted", "Đã thẩm định, đồng ý / accepted"
        REFUSED = "refused", "Không đồng ý / refused"
        AWARDED = "awarded", "Đã khen thưởng / awarded"

    kind = models.ForeignKey(Kind, on_delete=models.PROTECT, related_name="nominations")
    giver = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="commendations_given")
    year = models.PositiveSmallIntegerField()
    achievement = models.TextField()
    achievement_key = models.CharField(max_length=64, help_text="achievement_digest(achievement)")
    recipient_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="commendation_nominations"
    )
    individual = models.ForeignKey(
        Individual, on_delete=models.PROTECT, null=True, blank=True, related_name="nominations"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    reason = models.TextField(blank=True, help_text="Why it was last returned or refused.")
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    modified = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "id"]
        constraints = [
            # One achievement earns one commendation (decision 0054): two partial unique
            # indexes, since NULLs never clash in one (a collective has no individual).
            models.UniqueConstraint(
                fields=["recipient_unit", "year", "achievement_key"],
                condition=models.Q(individual__isnull=True) & ~models.Q(status="refused"),
                name="nomination_one_per_achievement_collective",
            ),
            models.UniqueConstraint(
                fields=["individual", "year", "achievement_key"],
                condition=models.Q(individual__isnull=False) & ~models.Q(status="refused"),
                name="nomination_one_per_achievement_individual",
            ),
        ]
        indexes = [
            # GET /commendations?unit=&year= and the figures: a subtree's units in a year.
            models.Index(fields=["recipient_unit", "year"], name="nomination_unit_year"),
            # A giver's review queue.
            models.Index(fields=["giver", "status"], name="nomination_giver_status"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}"

    @property
    def is_individual(self) -> bool:
        return self.individual_id is not None

    @property
    def is_open(self) -> bool:
        """Still before the giver's decision: its dossier may change."""
        return self.status in (self.Status.SUBMITTED, self.Status.RETURNED, self.Status.RESUBMITTED)


class DossierFile(models.Model):
    """A file of a nomination's dossier (hồ sơ), kept where documents keep theirs (named
    by its SHA-256, ``documents.attachments``)."""

    class Role(models.TextChoices):
        SUBMISSION = "to_trinh", "Tờ trình / submission"
        ACHIEVEMENTS = "bao_cao_thanh_tich", "Báo cáo thành tích / achievement report"
        MINUTES = "bien_ban_hoi_dong", "Biên bản họp hội đồng / council minutes"
        OTHER = "khac", "Tài liệu khác / other"

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=20, choices=Role.choices)
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=200, help_text="Under MEDIA_ROOT, named by the digest.")
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            # The same file twice in one dossier is a 409.
            models.UniqueConstraint(fields=["nomination", "sha256"], name="dossier_unique_file"),
        ]


class Award(models.Model):
    """The commendation given (quyết định khen thưởng): one per nomination, the register of
    who received what."""

    nomination = models.OneToOneField(Nomination, on_delete=models.PROTECT, related_name="award")
    decision_number = models.CharField(max_length=50, blank=True)
    decided_on = models.DateField()
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The decision issued from the giver's register, naming every award of it.",
    )
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "id"]
        indexes = [
            # The figures count awards decided within a span.
            models.Index(fields=["decided_on"], name="award_decided_on"),
        ]
