"""The unit kinds every installation has. An admin may add more; these codes are the contract."""

STANDARD_KINDS: list[tuple[str, str, str, str, int]] = [
    # code, name (vi), name (en), profile, sort order. The order is the one an office
    # lists a unit's children in (orgs.queries.office_order): the unit's own organs
    # (boards, steering committees), its Party committees and cells, its agencies, then
    # the divisions below it, larger first: a province's committee before its districts
    # and communes. Kinds in the same ten sort together by name: communes, wards and
    # townships are listed alphabetically side by side.
    ("country", "Quốc gia", "Country", "state", 0),
    ("steering_committee", "Ban chỉ đạo", "Steering committee", "party", 10),
    ("board", "Ban (tham mưu, giúp việc)", "Board", "party", 11),
    ("party_committee", "Cấp ủy, đảng ủy", "Party committee", "party", 20),
    ("party_cell", "Chi bộ", "Party cell", "party", 21),
    ("agency", "Cơ quan, đơn vị", "Agency", "state", 30),
    ("province", "Tỉnh, thành phố", "Province", "state", 40),
    ("district", "Huyện, quận, thị xã, thành phố thuộc tỉnh", "District", "state", 50),
    ("commune", "Xã", "Commune", "state", 60),
    ("ward", "Phường", "Ward", "state", 61),
    ("town", "Thị trấn", "Township", "state", 62),
    ("special_zone", "Đặc khu", "Special zone", "state", 63),
]

ROOT_CODE = "VN"
ROOT_NAME = "Việt Nam"


def ensure_standard_data(apps=None) -> None:
    """Create the standard kinds and the country if missing (migrations, tests, the demo)."""
    import datetime as dt

    if apps is None:
        from django.apps import apps
    UnitKind = apps.get_model("orgs", "UnitKind")
    Unit = apps.get_model("orgs", "Unit")
    UnitVersion = apps.get_model("orgs", "UnitVersion")
    LineageEvent = apps.get_model("orgs", "LineageEvent")
    # One query when nothing is missing: the tests call this before each unit they make.
    present = set(
        UnitKind.objects.filter(code__in=[kind[0] for kind in STANDARD_KINDS]).values_list(
            "code", flat=True
        )
    )
    for code, name, name_en, profile, order in STANDARD_KINDS:
        if code in present:
            continue
        UnitKind.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "profile": profile, "sort_order": order},
        )
    if not Unit.objects.filter(code=ROOT_CODE).exists():
        start = dt.date(1945, 9, 2)
        root = Unit.objects.create(code=ROOT_CODE, valid_from=start)
        UnitVersion.objects.create(
            unit=root,
            valid_from=start,
            name=ROOT_NAME,
            abbreviation=ROOT_CODE,
            kind=UnitKind.objects.get(code="country"),
            search_key="viet nam vn",
        )
        LineageEvent.objects.create(kind="create", date=start, unit=root)
