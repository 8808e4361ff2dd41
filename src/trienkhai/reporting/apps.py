from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "trienkhai.reporting"
    label = "reporting"
    verbose_name = "Báo cáo định kỳ / Periodic reporting"
