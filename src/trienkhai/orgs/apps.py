from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "trienkhai.orgs"
    label = "orgs"
    verbose_name = "Đơn vị / Units"
