"""Forms of the role pages. They parse; the services and the policy decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trienkhai.accounts.models import Role, User
from trienkhai.web.forms import ServiceForm


class GrantRoleForm(ServiceForm):
    """Give an existing user a role at a unit, among the roles the policy lets you grant."""

    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        help_text=_("Người dùng phải đã có tài khoản."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    role = forms.ChoiceField(label=_("Vai trò"))
    error_fields = {"not_found": "username", "duplicate_role": "role", "invalid_role": "role"}

    def __init__(self, data, *, roles: list[Role], **kwargs):
        """``roles``: the roles the acting user may grant here (``policy.can_grant``)."""
        super().__init__(data, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [("", "---------"), *((r.value, r.label) for r in roles)]

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("Không có người dùng “%(name)s”. Kiểm tra lại tên đăng nhập."),
                code="unknown_user",
                params={"name": username},
            )
        return user


class CodeForm(forms.Form):
    """A code typed at log-in: six digits from the app, or a recovery code."""

    otp_token = forms.CharField(
        label=_("Mã xác thực"),
        max_length=20,
        help_text=_("6 chữ số trong ứng dụng xác thực, hoặc một mã dự phòng."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
                "size": 12,
            }
        ),
    )


class EnrolForm(ServiceForm):
    """The first code from the app being set up, which proves it is set up right."""

    otp_token = forms.CharField(
        label=_("Mã 6 chữ số trong ứng dụng"),
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": r"[0-9 ]*",
                "size": 8,
            }
        ),
    )
    error_fields = {"wrong_code": "otp_token"}


class TokenForm(ServiceForm):
    """A new API token of one's own."""

    name = forms.CharField(
        label=_("Tên khóa (dùng cho việc gì)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    days = forms.IntegerField(
        label=_("Số ngày hiệu lực"), min_value=1, max_value=3660, initial=30, required=False
    )
    error_fields = {"invalid_days": "days"}
