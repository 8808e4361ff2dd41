from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "trienkhai.analytics"
    label = "analytics"
    verbose_name = "Phân tích / Analytics"

    def ready(self) -> None:
        # Live rollups: totals follow every saved value, in the same transaction.
        from trienkhai.analytics import receivers

        receivers.connect()
