"""Document types and Party terms are data an admin may correct; documents are read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from trienkhai.documents.models import Document, DocumentType, NumberSeries, PartyTerm


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["profile", "code", "slug", "name", "sort_order"]
    list_filter = ["profile"]


@admin.register(PartyTerm)
class PartyTermAdmin(admin.ModelAdmin):
    list_display = ["unit", "start", "end", "congress_start"]
    raw_id_fields = ["unit"]


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
