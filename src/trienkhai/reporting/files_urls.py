"""URL patterns (files_urls)."""

from django.urls import path  # noqa: F401

app_name = "reporting_files"
urlpatterns: list = []
