"""A notification per user and event, its deliveries (the outbox) and each user's choices."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trienkhai.common.models import TimeStamped


class Kind(models.TextChoices):
    """What happened; users choose by kind which ones reach them by e-mail."""

    RETURNED = "returned", _("Báo cáo bị trả lại")
    SUBMITTED = "submitted", _("Báo cáo chờ duyệt")
    APPROVED = "approved", _("Báo cáo đã được duyệt")
    DUE_SOON = "due_soon", _("Sắp đến hạn báo cáo")
    OVERDUE = "overdue", _("Báo cáo quá hạn")
    ESCALATED = "escalated", _("Đơn vị cấp dưới quá hạn lâu")
    TASK = "task", _("Nhiệm vụ được giao")
    DOCUMENT = "document", _("Văn bản đến đơn vị")


class Notification(models.Model):
    """One event told to one user. What it says is made from ``kind`` and ``params`` when
    it is shown, in the reader's language (``texts.words``); ``title`` and ``body`` are
    the words it was written with, in the language of the user's e-mails then."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    key = models.CharField(
        max_length=200,
        help_text="The event: 'returned:<submission>:<time>', 'overdue:<form>:<unit>:"
        "<period>:<day>'... The same event is never told twice to one user.",
    )
    params = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the kind's words are made of (texts.render): names, period, days. "
        "Empty in rows written before: they show their title and body.",
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="Where to act: a site path.")
    created = models.DateTimeField(default=timezone.now)
    read = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # The database refuses a second notification of one event to one user. Key
            # first: its index also serves "which of these events were told" (a reminder
            # run asks for tens of thousands of keys; the user's list has its own index).
            models.UniqueConstraint(fields=["key", "user"], name="notification_once"),
        ]
        indexes = [
            # The bell and the list: a user's notifications, newest first (unread filter).
            models.Index(fields=["user", "-created"], name="notification_user_new"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"

    @property
    def is_read(self) -> bool:
        return self.read is not None

    def to_dict(self) -> dict:
        """The API's shape; title and body in the active language."""
        from trienkhai.notifications.texts import words  # texts reads reporting and orgs

        title, body = words(self)
        return {
            "id": self.pk,
            "kind": self.kind,
            "title": title,
            "body": body,
            "url": self.url,
            "created": self.created,
            "read": self.read,
        }


class Delivery(TimeStamped):
    """The outbox: a notification to send through a channel. A sent row is never sent
    again; a failed one is tried again at ``next_attempt`` (backing off), up to
    ``outbox.MAX_ATTEMPTS``."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=20, default="email")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    is_digest = models.BooleanField(
        default=False, help_text="Held for the user's daily digest, not sent alone."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt = models.DateTimeField(
        null=True, blank=True, help_text="Not before then (back-off, quiet hours); None: gave up."
    )
    last_error = models.TextField(blank=True)
    sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once"),
        ]
        indexes = [
            # The sweep: what is due to send, oldest first.
            models.Index(fields=["state", "next_attempt"], name="delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel} {self.state}"


class Preference(TimeStamped):
    """A user's choices: which kinds come by e-mail, at once or in a daily digest, and the
    hours when no e-mail is sent (held until they end). In-app notifications always come."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_choices"
    )
    language = models.CharField(
        max_length=8, default="vi", help_text="The language of the e-mails (vi, en)."
    )
    muted = models.JSONField(
        default=list, blank=True, help_text="Kinds not sent by e-mail; ['*']: no e-mail at all."
    )
    is_digest = models.BooleanField(default=False)
    # Off until the user sets them (the page suggests 21:00–07:00): an e-mail a user has
    # not asked to hold leaves at once.
    quiet_from = models.TimeField(null=True, blank=True)
    quiet_to = models.TimeField(null=True, blank=True)
    last_digest = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}"

    def wants_email(self, kind: str) -> bool:
        return "*" not in self.muted and kind not in self.muted
