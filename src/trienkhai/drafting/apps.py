from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "trienkhai.drafting"
    label = "drafting"
    verbose_name = "Soạn thảo văn bản / Drafting"

    def ready(self) -> None:
        from trienkhai.documents import outputs
        from trienkhai.drafting.services import issued_pdf, pdf_states

        outputs.register(pdf_states)
        outputs.register_pdf_source(issued_pdf)
