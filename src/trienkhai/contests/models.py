"""Contests (cuộc thi): rounds, criteria, categories, judges and their declared conflicts,
entries, judge assignments, scores, prizes, results and prize certificates (issue 17).

A contest belongs to its organising unit. An entry's file is kept where documents keep
theirs (named by its SHA-256, ``documents.attachments``); its receipt is ``number/year``.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trienkhai.documents.attachments import EXTENSIONS
from trienkhai.documents.models import Document
from trienkhai.orgs.models import Unit


class Contest(models.Model):
    """A contest (cuộc thi) held by ``unit`` from ``opens`` to ``closes``."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="contests")
    title = models.CharField(max_length=300)
    opens = models.DateField()
    closes = models.DateField()
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            # A contest closes on or after the day it opens.
            models.CheckConstraint(
                condition=models.Q(closes__gte=models.F("opens")), name="contest_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Round(models.Model):
    """A round (vòng: sơ khảo, chung khảo) numbered from 1 within its contest."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    judges_per_entry = models.PositiveSmallIntegerField()
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When scoring ended; scores are refused after."
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    forward_quota = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Entries forwarded to the higher level's contest."
    )
    results_decision = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The decision (QĐ) from the register that issued the round's results.",
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            # The URL .../rounds/{n}/ finds a round by its number.
            models.UniqueConstraint(fields=["contest", "number"], name="round_unique_number"),
            models.CheckConstraint(
                condition=models.Q(judges_per_entry__gte=1), name="round_judges_per_entry_positive"
            ),
        ]


class Criterion(models.Model):
    """A criterion of the rubric (tiêu chí chấm) with its weight and highest score."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    weight = models.DecimalField(max_digits=6, decimal_places=2)
    max = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contest", "name"], name="criterion_unique_name"),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0, max__gt=0), name="criterion_positive"
            ),
        ]


class Category(models.Model):
    """A category (thể loại, bảng) of a contest: an entry names one when the contest has any."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["pk"]
        constraints = [
            # An entry names its category by name at intake.
            models.UniqueConstraint(fields=["contest", "name"], name="category_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Judge(models.Model):
    """A judge (giám khảo) of one round; ``cap`` bounds the entries they are given."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="judges")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    cap = models.PositiveIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            # One judge per (round, user): naming them twice is a 409.
            models.UniqueConstraint(fields=["round", "user"], name="judge_unique_per_round"),
        ]


class Entry(models.Model):
    """An entry (bài dự thi) with its receipt (biên nhận): number within the contest,
    the file's SHA-256 and when it was received."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entries")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    author_name = models.CharField(max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="contest_entries")
    file_name = models.CharField(max_length=255)
    path = models.CharField(max_length=200, help_text="Under MEDIA_ROOT, named by the digest.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    sent_on = models.DateField(
        null=True, blank=True, help_text="Postmark or dispatch day: lateness is judged by it."
    )
    text_signature = models.BinaryField(
        blank=True, default=b"", help_text="MinHash of the text's shingles (decision 0056)."
    )
    similar_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    similarity = models.FloatField(
        null=True, blank=True, help_text="Estimated Jaccard similarity with similar_to."
    )
    disqualified_at = models.DateTimeField(null=True, blank=True)
    disqualified_reason = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["text_signature"])

    class Meta:
        ordering = ["number"]
        constraints = [
            # The receipt number, given once per contest.
            models.UniqueConstraint(fields=["contest", "number"], name="entry_unique_number"),
            # The same file entered twice in one contest is refused (409 naming the first).
            models.UniqueConstraint(fields=["contest", "sha256"], name="entry_unique_file"),
        ]

    @property
    def kind(self) -> str:
        """The file's kind (``Attachment.Kind``), from the extension checked at receipt."""
        return EXTENSIONS[self.suffix]

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.file_name).suffix.lower()

    @property
    def receipt(self) -> str:
        """The receipt number as printed: ``001/2022`` (the year the contest opens)."""
        return self.receipt_of(self.number, self.contest.opens.year)

    @staticmethod
    def receipt_of(number: int, year: int) -> str:
        return f"{number:03d}/{year}"


class Assignment(models.Model):
    """An entry given to a judge in a round (phân công chấm)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="assignments")

    class Meta:
        constraints = [
            # A judge reads an entry once per round.
            models.UniqueConstraint(fields=["round", "entry", "judge"], name="assignment_unique"),
        ]


class Advancement(models.Model):
    """An entry advanced (được chọn vào vòng sau) into ``round`` from the round before it,
    where it ranked ``rank``: a later round judges only these (decision 0061). The
    organiser chooses them once the earlier round is closed, and may choose again until
    ``round`` has a score sheet; each choice replaces the rows, saying who and when."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="advanced")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="advancements")
    rank = models.PositiveIntegerField(help_text="Its rank in the round before.")
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["rank"]
        constraints = [
            # An entry enters a round once; assign_round reads the round's rows.
            models.UniqueConstraint(fields=["round", "entry"], name="advancement_unique_entry"),
        ]


class Score(models.Model):
    """A judge's score sheet (phiếu chấm) of an entry in a round: a score per criterion of
    the rubric (``values``: name → decimal text) and their weighted sum (``total``).

    A judge who sends again replaces their sheet; the history keeps every version."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="scores")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="scores")
    values = models.JSONField()
    total = models.DecimalField(max_digits=14, decimal_places=4)
    modified = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            # One sheet per judge and entry in a round: a second post replaces it.
            models.UniqueConstraint(fields=["round", "entry", "judge"], name="score_unique"),
        ]


class DeclaredConflict(models.Model):
    """A conflict of interest a judge declares (khai báo xung đột lợi ích) with one entry or
    with a unit (its entries and those of the units under it): the assignment keeps them
    apart, beside the rule on the judge's own unit and its parent."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, null=True, blank=True, related_name="conflicts"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entry__isnull=True, unit__isnull=False)
                | models.Q(entry__isnull=False, unit__isnull=True),
                name="conflict_entry_or_unit",
            ),
            # Declaring the same conflict twice is a 409.
            models.UniqueConstraint(
                fields=["contest", "user", "entry"],
                condition=models.Q(entry__isnull=False),
                name="conflict_unique_entry",
            ),
            models.UniqueConstraint(
                fields=["contest", "user", "unit"],
                condition=models.Q(unit__isnull=False),
                name="conflict_unique_unit",
            ),
        ]


class Prize(models.Model):
    """A prize (giải) of a round: ``count`` of them, given in the order of ``position``
    (Giải A before Giải B) down the round's ranking, or down the ranking of ``category``'s
    entries only when it has one (Giải A – Chính luận; decision 0064)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="prizes")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    count = models.PositiveSmallIntegerField()
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="prizes"
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="prize_unique_position"),
            # One "Giải A" for the whole round, and one for each of its categories.
            models.UniqueConstraint(
                fields=["round", "name"],
                condition=models.Q(category__isnull=True),
                name="prize_unique_name",
            ),
            models.UniqueConstraint(
                fields=["round", "category", "name"],
                condition=models.Q(category__isnull=False),
                name="prize_unique_name_in_category",
            ),
            models.CheckConstraint(condition=models.Q(count__gte=1), name="prize_count_positive"),
        ]

    def __str__(self) -> str:
        return self.shown

    @property
    def shown(self) -> str:
        """As printed beside a winner: "Giải A – Chính luận", or "Giải A" round-wide."""
        return self.shown_as(self.name, self.category.name if self.category else "")

    @staticmethod
    def shown_as(name: str, category: str) -> str:
        return f"{name} – {category}" if category else name


class Result(models.Model):
    """An entry's result in a round (kết quả): its rank, its prize if any, and whether it is
    forwarded to the higher level's contest (chọn gửi dự thi cấp trên)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="results")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="results")
    rank = models.PositiveIntegerField()
    prize = models.ForeignKey(
        Prize, on_delete=models.PROTECT, null=True, blank=True, related_name="results"
    )
    is_forwarded = models.BooleanField(default=False)
    raw = models.FloatField(help_text="As ranked when the results were drawn (decision 0053).")
    normalised = models.FloatField()

    class Meta:
        ordering = ["rank"]
        constraints = [
            # An entry has one result in a round.
            models.UniqueConstraint(fields=["round", "entry"], name="result_unique_entry"),
            models.UniqueConstraint(fields=["round", "rank"], name="result_unique_rank"),
        ]


class PrizeCertificate(models.Model):
    """A certificate (giấy chứng nhận) of a prize, as printed on the day of issue.

    Numbered in the organiser's series of certificates of the year (the activities'
    ``CertificateSeries``: one register of GCN per organiser), with an 80-bit
    verification code that the public page /xac-minh/ finds as it finds the activities'
    (decision 0056). The attributes the page shows (symbol, issued, name, title, start,
    end, organiser_name, state, revoked) have the same names."""

    class State(models.TextChoices):
        VALID = "valid", "valid"
        REVOKED = "revoked", "revoked"

    result = models.OneToOneField(Result, on_delete=models.PROTECT, related_name="certificate")
    organiser = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    symbol = models.CharField(max_length=60)
    code = models.CharField(max_length=16, help_text="Crockford base32, 80 random bits.")
    layout = models.CharField(max_length=12)
    superior = models.CharField(max_length=200, blank=True)
    issuer = models.CharField(max_length=200)
    organiser_name = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    unit_name = models.CharField(max_length=200)
    title = models.CharField(max_length=300, help_text="The contest's title.")
    entry_title = models.CharField(max_length=500)
    prize_name = models.CharField(
        max_length=410, help_text="As printed: the prize and its category (decision 0064)."
    )
    start = models.DateField()
    end = models.DateField()
    decision = models.CharField(max_length=80, help_text="The results decision's number.")
    issued = models.DateField()
    issued_place = models.CharField(max_length=100, blank=True)
    signer_position = models.CharField(max_length=100)
    signer_name = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.VALID)
    revoked = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_reason = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    kind = "contest"
    """What the verification answer's ``kind`` says (an activity's kind otherwise)."""

    class Meta:
        ordering = ["number"]
        constraints = [
            # The verification page's lookup; a code is never given twice.
            models.UniqueConstraint(fields=["code"], name="prize_certificate_code_once"),
            # The number in the organiser's series, as the activities' certificates.
            models.UniqueConstraint(
                fields=["organiser", "year", "number"], name="prize_certificate_number_once"
            ),
        ]
