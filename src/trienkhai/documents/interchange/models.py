"""What the interchange keeps: the edXML packages a register received, and the status
messages exchanged about a document, both ways. Imported by ``documents.models`` so that
Django sees them as the documents app's models."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trienkhai.documents.models import Document
from trienkhai.orgs.models import Unit


class ReceivedPackage(models.Model):
    """An edXML package entered into ``unit``'s incoming register as ``document``.

    ``document_key`` is the package's DocumentId (or, when it has none, the sender's
    organ id, date and symbol in the same form): the same package twice into one
    register is refused (409)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, related_name="received_package"
    )
    document_key = models.CharField(max_length=300)
    sender_organ_id = models.CharField(max_length=13, blank=True)
    sender_name = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    received = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        app_label = "documents"
        constraints = [
            # The duplicate check of an import: one package per register.
            models.UniqueConstraint(
                fields=["unit", "document_key"], name="receivedpackage_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.document_key


class InterchangeStatus(models.Model):
    """A status message about ``document``: one we sent (about a document we received)
    or one we received (about a document we issued)."""

    class Direction(models.TextChoices):
        SENT = "sent", _("Đã gửi / sent")
        RECEIVED = "received", _("Đã nhận / received")

    class Code(models.TextChoices):
        RECEIVED = "01", _("Đã đến / received")
        REJECTED = "02", _("Từ chối / rejected")
        ACCEPTED = "03", _("Đã tiếp nhận / accepted")
        PROCESSING = "05", _("Đang xử lý / processing")
        DONE = "06", _("Hoàn thành / done")

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="interchange_statuses"
    )
    direction = models.CharField(max_length=8, choices=Direction.choices)
    code = models.CharField(max_length=4, choices=Code.choices)
    description = models.TextField(blank=True)
    organ_id = models.CharField(
        max_length=13, blank=True, help_text="Who sent it: us (sent) or the receiver (received)."
    )
    at = models.DateTimeField(help_text="The time the message states.")
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        app_label = "documents"
        ordering = ["document", "at", "id"]
        indexes = [
            # A document's statuses in time order (its page, its API).
            models.Index(fields=["document", "at"], name="interchangestatus_document"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.direction} {self.code}"
