"""The forms of the commendation pages: filters, a nomination with its dossier, the
review's reasons, a corrected achievement, a file, and the award decision."""

from typing import ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trienkhai.commendations import services
from trienkhai.commendations.models import DossierFile, Kind
from trienkhai.documents.models import Document
from trienkhai.web.forms import ServiceForm, UnitField, VnDateField
from trienkhai.web.labels import is_english

FILE_ROLES = [
    ("to_trinh", _("Tờ trình")),
    ("bao_cao_thanh_tich", _("Báo cáo thành tích")),
    ("bien_ban_hoi_dong", _("Biên bản họp hội đồng thi đua – khen thưởng")),
]
ROLE_LABELS = dict([*FILE_ROLES, ("khac", _("Tài liệu khác"))])
FILE_HELP = _(".docx, .pdf hoặc ảnh chụp (.jpg, .png, .tif)")


class Filter(forms.Form):
    """A page's unit and year (?don-vi=&nam=)."""

    def __init__(self, data=None) -> None:
        super().__init__(data)
        self.fields["don-vi"] = UnitField(label=_("Đơn vị"), required=False)
        self.fields["nam"] = forms.IntegerField(
            label=_("Năm"), required=False, min_value=services.FIRST_YEAR, max_value=9999
        )


def kind_choices() -> list[tuple[str, str]]:
    return [(k.code, k.name_en if is_english() else k.name) for k in Kind.objects.all()]


class NominationForm(ServiceForm):
    """A new nomination (``services.nominate_with_files``)."""

    error_fields: ClassVar[dict[str, str]] = {
        "invalid_kind": "kind",
        "invalid_giver": "giver",
        "invalid_level": "giver",
        "invalid_year": "year",
        "invalid_achievement": "achievement",
        "duplicate_achievement": "achievement",
        "invalid_name": "recipient_name",
        "invalid_recipient": "recipient_name",
    }

    kind = forms.ChoiceField(label=_("Hình thức khen thưởng"))
    giver = UnitField(
        label=_("Cấp khen thưởng"), help_text=_("Đơn vị quyết định khen thưởng, ví dụ Tỉnh ủy.")
    )
    recipient_unit = UnitField(
        label=_("Tập thể được đề nghị"),
        help_text=_("Đơn vị được khen, hoặc đơn vị công tác của cá nhân được khen."),
    )
    recipient_name = forms.CharField(
        label=_("Họ và tên cá nhân"),
        required=False,
        max_length=services.MAX_NAME,
        help_text=_("Để trống nếu đề nghị khen tập thể."),
    )
    year = forms.IntegerField(
        label=_("Năm của thành tích"), min_value=services.FIRST_YEAR, max_value=9999
    )
    achievement = forms.CharField(
        label=_("Thành tích"),
        max_length=services.MAX_ACHIEVEMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ghi thành tích, không ghi tên người: tên được ghi ở ô riêng."),
    )
    to_trinh = forms.FileField(label=_("Tờ trình"), required=False, help_text=FILE_HELP)
    bao_cao_thanh_tich = forms.FileField(
        label=_("Báo cáo thành tích"), required=False, help_text=FILE_HELP
    )
    bien_ban_hoi_dong = forms.FileField(
        label=_("Biên bản họp hội đồng thi đua – khen thưởng"), required=False, help_text=FILE_HELP
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = kind_choices()
        self.fields["year"].initial = timezone.localdate().year


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), max_length=services.MAX_ACHIEVEMENT, widget=forms.Textarea({"rows": 3})
    )


class ResubmitForm(forms.Form):
    achievement = forms.CharField(
        label=_("Thành tích (đã sửa)"),
        max_length=services.MAX_ACHIEVEMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FileForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Loại tài liệu"),
        choices=[*FILE_ROLES, (DossierFile.Role.OTHER.value, _("Tài liệu khác"))],
    )
    file = forms.FileField(label=_("Tệp"), help_text=FILE_HELP)


AUTHORITIES = [
    ("tm", _("T/M, TM. (thay mặt)")),
    ("kt", _("K/T, KT. (ký thay)")),
    ("tl", _("T/L, TL. (thừa lệnh)")),
    ("tuq", _("TUQ. (thừa ủy quyền)")),
    ("q", _("Q. (quyền)")),
    (Document.Authority.OWN.value, _("Ký trực tiếp")),
]


class DecisionForm(ServiceForm):
    """The award decision issued from the giver's register (``services.issue_decision``)."""

    error_fields: ClassVar[dict[str, str]] = {"invalid_date": "date", "too_long": "signer_position"}

    date = VnDateField(label=_("Ngày quyết định"))
    summary = forms.CharField(
        label=_("Trích yếu"),
        required=False,
        max_length=1000,
        help_text=_("Để trống: “Về việc tặng thưởng cho … tập thể, … cá nhân”."),
    )
    signer_authority = forms.ChoiceField(label=_("Thẩm quyền ký"), choices=AUTHORITIES)
    signer_on_behalf = forms.CharField(
        label=_("Thay mặt, ký thay cho"),
        required=False,
        max_length=100,
        help_text=_("Ví dụ: BAN THƯỜNG VỤ, CHỦ TỊCH."),
    )
    signer_position = forms.CharField(
        label=_("Chức vụ người ký"),
        required=False,
        max_length=100,
        help_text=_("Ví dụ: PHÓ BÍ THƯ."),
    )
    signer = forms.CharField(label=_("Họ và tên người ký"), max_length=100)
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một nơi nhận."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
