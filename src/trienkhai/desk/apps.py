from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "trienkhai.desk"
    label = "desk"
    verbose_name = "Việc của tôi"
