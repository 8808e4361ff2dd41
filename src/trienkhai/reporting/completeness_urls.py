"""URL patterns (completeness_urls)."""

from django.urls import path  # noqa: F401

app_name = "completeness"
urlpatterns: list = []
