from django.apps import AppConfig


class CommendationsConfig(AppConfig):
    name = "trienkhai.commendations"
    label = "commendations"
    verbose_name = "Thi đua, khen thưởng / Commendations"

    def ready(self) -> None:
        # Reporting asks its registry for figure sources and never imports this app
        # (decision 0039): collectives and individuals commended.
        from trienkhai.commendations import figures
        from trienkhai.reporting import sources

        sources.register(figures.SOURCE)
