from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "trienkhai.activities"
    label = "activities"
    verbose_name = "Hoạt động / Activities"

    def ready(self) -> None:
        # Reporting asks its registry for figure sources and never imports this app
        # (decision 0039): the figures of classes, conferences and attendances, members'
        # pledges and official channels.
        from trienkhai.activities import figures, signals
        from trienkhai.reporting import sources

        for source in figures.SOURCES:
            sources.register(source)
        # The tallies of the figures follow events and attendances written one at a
        # time (decision 0055).
        signals.connect()
