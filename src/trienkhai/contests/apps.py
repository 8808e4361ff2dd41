from django.apps import AppConfig


class ContestsConfig(AppConfig):
    name = "trienkhai.contests"
    label = "contests"
    verbose_name = "Cuộc thi / Contests"
