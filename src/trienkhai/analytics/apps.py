from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "trienkhai.analytics"
    label = "analytics"
    verbose_name = "Phân tích / Analytics"
