from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "trienkhai.committees"
    label = "committees"
    verbose_name = "Ban chỉ đạo / Steering committees"
