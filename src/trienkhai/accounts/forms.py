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
