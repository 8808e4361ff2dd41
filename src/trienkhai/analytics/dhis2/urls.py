"""/dhis2/api/…: the DHIS2 Web API subset. ``/dhis2/api/40/dataValueSets`` (a versioned
path) and ``.json`` suffixes are accepted as DHIS2 accepts them."""

from django.urls import re_path

from trienkhai.analytics.dhis2 import views

app_name = "dhis2"

_V = r"^(?:\d{2}/)?"  # an optional API version: /api/40/…
_JSON = r"(?:\.json)?$"

urlpatterns = [
    re_path(_V + r"organisationUnits" + _JSON, views.organisation_units, name="organisation_units"),
    re_path(
        _V + r"organisationUnits/(?P<uid>[^/]+?)" + _JSON,
        views.organisation_units,
        name="organisation_unit",
    ),
    re_path(_V + r"dataElements" + _JSON, views.data_elements, name="data_elements"),
    re_path(_V + r"dataElements/(?P<uid>[^/]+?)" + _JSON, views.data_elements, name="data_element"),
    re_path(_V + r"dataSets" + _JSON, views.data_sets, name="data_sets"),
    re_path(_V + r"dataSets/(?P<uid>[^/]+?)" + _JSON, views.data_sets, name="data_set"),
    re_path(_V + r"categoryCombos" + _JSON, views.category_combos, name="category_combos"),
    re_path(
        _V + r"categoryCombos/(?P<uid>[^/]+?)" + _JSON,
        views.category_combos,
        name="category_combo",
    ),
    re_path(
        _V + r"categoryOptionCombos" + _JSON,
        views.category_option_combos,
        name="category_option_combos",
    ),
    re_path(
        _V + r"categoryOptionCombos/(?P<uid>[^/]+?)" + _JSON,
        views.category_option_combos,
        name="category_option_combo",
    ),
    re_path(
        _V + r"dataValueSets(?:\.(?P<suffix>json|adx))?$",
        views.data_value_sets,
        name="data_value_sets",
    ),
    re_path(_V + r"dataValues" + _JSON, views.data_values, name="data_values"),
    re_path(
        _V + r"completeDataSetRegistrations" + _JSON,
        views.complete_registrations,
        name="complete_registrations",
    ),
    re_path(_V + r"analytics" + _JSON, views.analytics_view, name="analytics"),
    re_path(_V + r"system/info" + _JSON, views.system_info, name="system_info"),
    re_path(_V + r"me" + _JSON, views.me, name="me"),
]
