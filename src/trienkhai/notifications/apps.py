from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "trienkhai.notifications"
    label = "notifications"
    verbose_name = "Thông báo"

    def ready(self) -> None:
        # The events of reporting and documents (their signals) become notifications.
        from trienkhai.notifications import receivers  # noqa: F401
