from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "trienkhai.drafting"
    label = "drafting"
    verbose_name = "Soạn thảo văn bản / Drafting"
