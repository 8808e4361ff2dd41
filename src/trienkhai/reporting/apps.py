from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "trienkhai.reporting"
    label = "reporting"
    verbose_name = "Báo cáo định kỳ / Periodic reporting"

    def ready(self) -> None:
        # The receivers that give a form a new structure key when its parts change.
        from trienkhai.reporting import structure  # noqa: F401
