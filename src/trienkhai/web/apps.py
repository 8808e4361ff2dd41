from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "trienkhai.web"
    label = "web"

    def ready(self) -> None:
        from trienkhai.web import checks  # noqa: F401  (registers the deploy checks)
