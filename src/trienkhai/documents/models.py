"""The document register: outgoing and incoming documents, their numbers and links.

A number is allocated when a document is issued, from a ``NumberSeries`` row locked
for the issuing transaction (VN_DOCUMENTS.md §5.4). The series follows the issuer's
profile: State documents run per issuer per calendar year (ND30 Art. 15), Party
documents per type per committee term (§2.4), a Party congress's documents in one
series shared by all types. A number is never reused: a cancelled document keeps its
number, with status cancelled.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trienkhai.common.models import TimeStamped
from trienkhai.orgs.models import Profile, Unit
from trienkhai.reporting.models import Form


class DocumentType(models.Model):
    """A type of document and its printed code, per profile (State or Party)."""

    profile = models.CharField(max_length=10, choices=Profile.choices)
    slug = models.SlugField(max_length=40, help_text="ke_hoach, cong_van ...")
    code = models.CharField(
        max_length=10, blank=True, help_text="As printed, case kept (QyĐ, CTr). Empty: none."
    )
    name = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["profile", "sort_order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "slug"], name="documenttype_unique_slug"),
            # The API finds a type by its printed code within the issuer's profile.
            models.UniqueConstraint(
                fields=["profile", "code"],
                condition=~models.Q(code=""),
                name="documenttype_unique_code",
            ),
        ]

    def __str__(self) -> str:
        return self.code or self.name

    @property
    def label(self) -> str:
        """What clients send and see as the type: the code, or the slug when it has none."""
        return self.code or self.slug


class PartyTerm(models.Model):
    """A term (nhiệm kỳ) of a Party committee: its documents are numbered per type within it.

    When an issuer has no row for a date, the term is taken to be the five years from
    1 October of 2020, 2015, 2025 ... (``default_term``): the 2020–2025 district and
    provincial congresses closed between July and October 2020, so 1 October is the
    latest common start. It is an approximation to verify: a committee whose congress
    closed on another day should have its own rows here.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="party_terms")
    start = models.DateField(help_text="The day after the congress closed.")
    end = models.DateField(help_text="The closing day of the next congress (inclusive).")
    congress_start = models.DateField(
        null=True, blank=True, help_text="Start of the congress's preparatory session."
    )

    class Meta:
        ordering = ["unit", "start"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "start"], name="partyterm_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.start:%Y}–{self.end:%Y}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from trienkhai.documents.services import term_change_refusal

        if self.start and self.end and self.end < self.start:
            raise ValidationError(
                "Ngày kết thúc trước ngày bắt đầu / the term ends before it starts"
            )
        overlapping = PartyTerm.objects.filter(
            unit_id=self.unit_id, start__lte=self.end, end__gte=self.start
        ).exclude(pk=self.pk)
        if self.unit_id and overlapping.exists():
            raise ValidationError("Nhiệm kỳ trùng với nhiệm kỳ khác / the term overlaps another")
        refusal = term_change_refusal(self)
        if refusal:
            raise ValidationError(refusal)


DEFAULT_TERM_ANCHOR = dt.date(2020, 10, 1)
DEFAULT_TERM_YEARS = 5


def default_term(day: dt.date) -> tuple[dt.date, dt.date]:
    """The default term containing ``day``: [1 Oct of a year ≡ 2020 mod 5, 30 Sep five years on]."""
    year = day.year if (day.month, day.day) >= (10, 1) else day.year - 1
    start_year = year - (year - DEFAULT_TERM_ANCHOR.year) % DEFAULT_TERM_YEARS
    start = DEFAULT_TERM_ANCHOR.replace(year=start_year)
    return start, start.replace(year=start_year + DEFAULT_TERM_YEARS) - dt.timedelta(days=1)


class NumberSeries(models.Model):
    """One counter of document numbers: the row locked while a number is allocated.

    ``scope_key`` says which series: "year:2020" (State), "term:12:type4" (Party, per
    type per term: the ids of the PartyTerm row and the DocumentType) or
    "term:default-2020-10-01:type4" (no term row: the default term), "congress:2020"
    (a Party congress, all types). Ids, not the printed code or the term's dates, which
    an admin may correct: the series must not change under numbered documents.
    """

    issuer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="number_series")
    scope_key = models.CharField(max_length=60)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # The series of an issuer and scope, found (and locked) on every issue.
            models.UniqueConstraint(fields=["issuer", "scope_key"], name="numberseries_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer_id} {self.scope_key} → {self.last_number}"


AUTHORITY_MARKS: dict[str, dict[str, str]] = {
    Profile.PARTY: {"tm": "T/M", "kt": "K/T", "tl": "T/L", "tuq": "TUQ.", "q": "Q."},
    Profile.STATE: {"tm": "TM.", "kt": "KT.", "tl": "TL.", "tuq": "TUQ.", "q": "Q."},
}
"""How a signer's authority is printed before the body's name, by the system's rules
(ND 30/2020; HD 36-HD/VPTW)."""


class Document(TimeStamped):
    """An entry of a unit's register (sổ văn bản đi/đến).

    ``unit`` is the register's owner, the unit the policy asks about: the issuer of an
    outgoing document, the receiver of an incoming one.
    """

    class Direction(models.TextChoices):
        OUTGOING = "outgoing", _("Văn bản đi / outgoing")
        INCOMING = "incoming", _("Văn bản đến / incoming")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo / draft")
        ISSUED = "issued", _("Đã ban hành / issued")
        RECEIVED = "received", _("Đã nhận / received")
        ARCHIVED = "archived", _("Lưu trữ / archived")
        CANCELLED = "cancelled", _("Đã hủy / cancelled")

    class Authority(models.TextChoices):
        """How the signer signs: in their own name, on behalf of (T/M, TM.), deputy (K/T,
        KT.), by order (T/L, TL.), by authorisation (TUQ.), acting (Q.). "" is not chosen
        yet: a draft may leave it, a number is not taken without it (decision 0029)."""

        NONE = "", _("Chưa chọn / not chosen")
        OWN = "own", _("Ký trực tiếp / own name")
        ON_BEHALF = "tm", _("T/M, TM. / on behalf of")
        DEPUTY = "kt", _("K/T, KT. / deputy")
        BY_ORDER = "tl", _("T/L, TL. / by order")
        BY_AUTHORISATION = "tuq", _("TUQ. / by authorisation")
        ACTING = "q", _("Q. / acting")

    direction = models.CharField(max_length=10, choices=Direction.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="documents")
    issuer = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="issued_documents"
    )
    issuer_name = models.CharField(
        max_length=200, blank=True, help_text="An incoming document's issuer outside the system."
    )
    type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="+")
    unit_suffix = models.CharField(
        max_length=20, blank=True, help_text="State công văn: the drafting unit (VP in SGDĐT-VP)."
    )
    is_congress = models.BooleanField(
        default=False, help_text="A Party congress document: one series for all types."
    )
    series = models.ForeignKey(
        NumberSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    number = models.PositiveIntegerField(null=True, blank=True)
    symbol = models.CharField(max_length=80, blank=True, help_text="As printed: 04-BC/BTGHU.")
    date = models.DateField()
    place = models.CharField(max_length=100, blank=True)
    signer = models.CharField(max_length=100, blank=True)
    signer_authority = models.CharField(
        max_length=5, choices=Authority.choices, blank=True, default=""
    )
    summary = models.TextField(help_text="Trích yếu.")
    recipients = models.TextField(blank=True, help_text="Nơi nhận.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    cancel_reason = models.TextField(blank=True)
    received_number = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Số đến: an incoming document's number in the year's register.",
    )
    received_date = models.DateField(null=True, blank=True, help_text="Ngày đến.")
    search_key = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified", "search_key"])

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            # A number of a series is given once (cancelled documents keep theirs).
            models.UniqueConstraint(
                fields=["series", "number"],
                condition=models.Q(series__isnull=False),
                name="document_unique_number",
            ),
            # Số đến runs once through the year (ND30 Art. 22): the series is the
            # receiving unit's "incoming:YEAR" counter.
            models.UniqueConstraint(
                fields=["series", "received_number"],
                condition=models.Q(received_number__isnull=False),
                name="document_unique_received_number",
            ),
        ]
        indexes = [
            # The register of a unit, newest first; the search filters by unit and date.
            models.Index(fields=["unit", "date"], name="document_unit_date"),
            # Duplicate check for incoming documents: same sender, symbol and date.
            models.Index(fields=["unit", "symbol", "date"], name="document_unit_symbol"),
            # Search results, newest first: the first page without sorting every match.
            models.Index(fields=["-date", "-id"], name="document_newest"),
        ]

    def __str__(self) -> str:
        return self.symbol or f"({self.get_status_display()}) {self.summary[:40]}"

    @property
    def authority_mark(self) -> str:
        """The signer's authority as this document's system prints it ("K/T" for the
        Party, "KT." for the State); "" when signing in their own name or not chosen."""
        profile = self.type.profile if self.type_id else ""
        return AUTHORITY_MARKS.get(profile, {}).get(self.signer_authority, "")

    def save(self, *args, **kwargs):
        from trienkhai.vn import fold

        self.search_key = fold(f"{self.summary} {self.symbol}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key", "modified"}
        super().save(*args, **kwargs)


class DocumentLink(models.Model):
    """``source`` implements, replaces or responds to ``target``."""

    class Kind(models.TextChoices):
        IMPLEMENTS = "implements", _("Triển khai / implements")
        REPLACES = "replaces", _("Thay thế / replaces")
        RESPONDS_TO = "responds_to", _("Trả lời / responds to")

    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="links_in")
    kind = models.CharField(max_length=12, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="documentlink_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="documentlink_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"


class SearchEntry(models.Model):
    """The words search matches for one document: summary, symbol, signer, issuer and
    the text of its attachments, folded (trienkhai.vn.fold) and split into words.

    Written only by ``documents.search.index``. The database indexes it its own way
    (decision record "document search index"): an FTS5 table kept in step by triggers
    on SQLite, a generated ``tsvector`` column with a GIN index on PostgreSQL, both made
    by migration 0003 (a later migration that rebuilds this table on SQLite must make
    them again: ``search._sqlite.SETUP``).
    ``unit`` and ``date`` are the document's, copied so that the permission filter, the
    date order and the count run on this one table (PostgreSQL then combines the word
    index and the unit index in one bitmap).
    """

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    text = models.TextField(blank=True)

    class Meta:
        indexes = [
            # A page of matches, newest first (the register's order).
            models.Index(fields=["-date", "-document"], name="searchentry_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.text[:60]}"


class Attachment(TimeStamped):
    """A file attached to a document: the .docx or .pdf, or a scan of the signed paper.

    The bytes live under ``settings.MEDIA_ROOT`` at ``path``, named by their SHA-256 (the
    same bytes are stored once); ``text`` is what could be read out of a .docx or a text
    PDF (a scan has none), which search indexes with the document.
    """

    class Kind(models.TextChoices):
        DOCX = "docx", "Word (.docx)"
        PDF = "pdf", "PDF"
        JPEG = "jpeg", _("Ảnh quét JPEG / JPEG scan")
        PNG = "png", _("Ảnh quét PNG / PNG scan")
        TIFF = "tiff", _("Ảnh quét TIFF / TIFF scan")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=255, help_text="The file's name as uploaded.")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=200, help_text="Relative to MEDIA_ROOT.")
    text = models.TextField(blank=True, help_text="Extracted text (.docx, text PDF).")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified", "text"])

    class Meta:
        ordering = ["document", "created", "id"]
        constraints = [
            # The same file attached twice to one document is refused (409).
            models.UniqueConstraint(fields=["document", "sha256"], name="attachment_unique_file"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.name}"


class Assignment(TimeStamped):
    """Tasks a document gives to units (giao nhiệm vụ): who, by when, and what must come back.

    ``unit`` is the assigning unit: the document's register owner, or for a cascade the
    assigned unit that passes the task down (``parent`` is its row of the assignment
    above). The units are expanded to a frozen list (``AssignedUnit``) when the
    assignment is made, so a later reorganisation does not change who was expected.
    What must come back is either a document of a type (``expects_type``: the unit's
    own plan, matched by the type's slug whatever the unit's profile) or a report of a
    form for a period (``expects_form`` and ``expects_period``).
    """

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "AssignedUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cascades",
        help_text="The row of the assignment above that this one passes down (a cascade).",
    )
    due = models.DateField(help_text="Hạn: the answer is on time up to this day inclusive.")
    expects_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expects_form = models.ForeignKey(
        Form, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expects_period = models.CharField(max_length=10, blank=True)
    task = models.TextField(blank=True, help_text="Nhiệm vụ: what the units are asked to do.")
    selection = models.CharField(
        max_length=80,
        blank=True,
        help_text='How the units were chosen: "units", "kind=party_cell", "level=1".',
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(expects_type__isnull=False, expects_form__isnull=True)
                    | models.Q(expects_type__isnull=True, expects_form__isnull=False)
                ),
                name="assignment_expects_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.expects_label}"

    @property
    def expects_label(self) -> str:
        if self.expects_type is not None:
            return self.expects_type.label
        assert self.expects_form is not None  # the check constraint: one or the other
        return f"{self.expects_form.code} {self.expects_period}"


class AssignedUnit(models.Model):
    """One unit of an assignment's frozen list. Its answer is derived, never typed:
    a document of the expected type issued by the unit and linked to the directive
    (implements / responds to), or the unit's submitted report of the expected form."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="rows")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="document_tasks")

    class Meta:
        ordering = ["assignment", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "unit"], name="assignedunit_unique"),
        ]
        indexes = [
            # "Assigned to us": a unit's tasks, newest assignment first.
            models.Index(fields=["unit", "assignment"], name="assignedunit_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}:{self.unit_id}"


class UnitSeal(TimeStamped):
    """A unit's organisation certificate (chứng thư số của cơ quan, tổ chức) and seal image,
    with which the văn thư applies the organisation's signature to an issued document
    ("đóng dấu phát hành", Nghị định 30/2020 Appendix I).

    ``pkcs12`` and ``password`` are kept encrypted (Fernet, key derived from SECRET_KEY:
    ``documents.signing.secrets``); the certificate's facts are copied out in clear for
    the pages. ``image`` is the seal as a PNG (red, transparent background).
    """

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="seal")
    pkcs12 = models.BinaryField(help_text="The PKCS#12 file, encrypted.")
    password = models.BinaryField(help_text="Its password, encrypted.")
    image = models.BinaryField(help_text="The seal image, PNG.")
    subject = models.CharField(max_length=200, help_text="The certificate's common name.")
    organisation = models.CharField(max_length=200, blank=True)
    not_after = models.DateTimeField(help_text="The certificate is valid until then.")
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the certificate.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified", "pkcs12", "password", "image"])

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.subject}"


class SignedPdf(TimeStamped):
    """A signed state of a document's PDF: the PDF as it now stands is the latest one.

    Each signature (the signer's own, then the organisation's seal) is an incremental
    update of the previous file, so the latest file holds them all. The bytes are kept
    like attachments, named by their SHA-256 under ``MEDIA_ROOT``.
    """

    class Kind(models.TextChoices):
        SEAL = "seal", _("Chữ ký số của cơ quan / organisation seal")
        PERSONAL = "personal", _("Chữ ký số cá nhân / personal signature")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="signed_pdfs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    signer = models.CharField(max_length=200, help_text="The new signature's common name.")
    sha256 = models.CharField(max_length=64)
    base_sha256 = models.CharField(max_length=64, help_text="The PDF this one signed.")
    size = models.PositiveBigIntegerField()
    path = models.CharField(max_length=200, help_text="Relative to MEDIA_ROOT.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["document", "id"]
        constraints = [
            # One signed state follows another: two signatures of the same file race,
            # and the second one is refused (it would drop the first).
            models.UniqueConstraint(
                fields=["document", "base_sha256"], name="signedpdf_unique_base"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.kind} {self.signer}"


class SigningLink(TimeStamped):
    """A one-time pair of URLs for the signer's own signing tool (VGCA's signing service):
    it downloads the PDF from one and posts it back signed to the other, without the
    browser's session. Only the SHA-256 of the token is kept."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="signing_links")
    token_sha256 = models.CharField(max_length=64, unique=True)
    base_sha256 = models.CharField(max_length=64, help_text="The PDF handed out.")
    expires = models.DateTimeField()
    used = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.document_id} until {self.expires:%Y-%m-%d %H:%M}"


class ElectronicCopy(TimeStamped):
    """An electronic copy ("bản sao điện tử", Nghị định 30/2020 Art. 25–26): the document's
    PDF as it stood, signed with the seal of the unit whose register holds it, the copy's
    form, that unit's name and the signing time printed at the top right of page 1
    (Appendix I). A file of its own beside the document: the document's PDF is unchanged.
    """

    class Kind(models.TextChoices):
        SAO_Y = "sao_y", _("Sao y / certified copy")
        SAO_LUC = "sao_luc", _("Sao lục / copy of a certified copy")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="copies")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    body = models.CharField(max_length=300, help_text="The copying body's name, as printed.")
    signer = models.CharField(max_length=200, help_text="The certificate's common name.")
    signed_at = models.DateTimeField()
    sha256 = models.CharField(max_length=64)
    base_sha256 = models.CharField(max_length=64, help_text="The PDF copied.")
    size = models.PositiveBigIntegerField()
    path = models.CharField(max_length=200, help_text="Relative to MEDIA_ROOT.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.kind} {self.signed_at:%Y-%m-%d %H:%M}"


# The interchange's models live beside its code (documents.interchange); imported here so
# that Django counts them among the documents app's models.
from trienkhai.documents.interchange.models import (  # noqa: E402, F401
    InterchangeStatus,
    ReceivedPackage,
)
