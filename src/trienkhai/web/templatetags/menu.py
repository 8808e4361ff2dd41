"""What the menu offers a user: asked of the permission policy, never decided here."""

from django import template

from trienkhai.accounts import policy

register = template.Library()


@register.filter
def may_manage_reports(user) -> bool:
    """Whether the menu links the administration of reports (/bao-cao/quan-tri/): the
    managers of some unit's forms and the admins of the shared definitions."""
    return policy.can(user, policy.Action.CHANGE) or policy.can(
        user, policy.Action.MANAGE_INDICATORS
    )


@register.filter
def may_see_units(user) -> bool:
    """Whether the menu links the activities (/hoat-dong/): whoever may view some unit."""
    return policy.can(user, policy.Action.VIEW)
