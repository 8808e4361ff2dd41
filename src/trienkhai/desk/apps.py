from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "trienkhai.desk"
    label = "desk"
    verbose_name = "Việc của tôi"

    def ready(self) -> None:
        from trienkhai.desk import receivers  # noqa: F401 (connects them)
