"""Document types and Party terms are data an admin may correct; documents are read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from trienkhai.documents.models import Document, DocumentType, NumberSeries, PartyTerm
from trienkhai.documents.services import term_change_refusal


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["profile", "code", "slug", "name", "sort_order"]
    list_filter = ["profile"]

    def get_readonly_fields(self, request, obj=None):
        # Numbered documents print the code: it stays as it was printed. (A type in use
        # cannot be deleted: Document.type is PROTECT.)
        if obj is not None and Document.objects.filter(type=obj, number__isnull=False).exists():
            return ["profile", "code"]
        return []


@admin.register(PartyTerm)
class PartyTermAdmin(admin.ModelAdmin):
    # PartyTerm.clean refuses dates that would move a numbered document to another series.
    list_display = ["unit", "start", "end", "congress_start"]
    raw_id_fields = ["unit"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and term_change_refusal(obj, deleting=True):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(NumberSeries)
class NumberSeriesAdmin(admin.ModelAdmin):
    # A counter edited by hand could hand out a number twice: shown, never changed here.
    list_display = ["issuer", "scope_key", "last_number"]
    readonly_fields = ["issuer", "scope_key", "last_number"]


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    # Numbers and statuses change only through the services (issue, cancel).
    list_display = ["symbol", "date", "unit", "type", "status"]
    list_filter = ["direction", "status"]
    search_fields = ["search_key"]
    readonly_fields = ["series", "number", "symbol", "status", "search_key"]
    raw_id_fields = ["unit", "issuer", "created_by"]
