"""Contests (cuộc thi): rounds, criteria, judges, entries, judge assignments and scores
(issue 17).

A contest belongs to its organising unit. An entry's file is kept where documents keep
theirs (named by its SHA-256, ``documents.attachments``); its receipt is ``number/year``.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trienkhai.documents.attachments import EXTENSIONS
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
    history = HistoricalRecords()

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
