"""The unit kinds every installation has. An admin may add more; these codes are the contract."""

STANDARD_KINDS: list[tuple[str, str, str, str, int]] = [
    # code, name (vi), name (en), profile, sort order (kinds in the same ten sort together
    # by name: communes, wards and townships are listed alphabetically side by side)
    ("country", "Quốc gia", "Country", "state", 0),
    ("province", "Tỉnh, thành phố", "Province", "state", 10),
    ("district", "Huyện, quận, thị xã, thành phố thuộc tỉnh", "District", "state", 20),
    ("commune", "Xã", "Commune", "state", 30),
    ("ward", "Phường", "Ward", "state", 31),
    ("town", "Thị trấn", "Township", "state", 32),
    ("special_zone", "Đặc khu", "Special zone", "state", 33),
    ("party_committee", "Cấp ủy, đảng ủy", "Party committee", "party", 40),
    ("party_cell", "Chi bộ", "Party cell", "party", 41),
    ("steering_committee", "Ban chỉ đạo", "Steering committee", "party", 50),
    ("board", "Ban (tham mưu, giúp việc)", "Board", "party", 51),
    ("agency", "Cơ quan, đơn vị", "Agency", "state", 60),
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
    for code, name, name_en, profile, order in STANDARD_KINDS:
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
