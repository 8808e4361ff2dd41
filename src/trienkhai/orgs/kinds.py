"""The unit kinds every installation has. An admin may add more; these codes are the contract."""

STANDARD_KINDS: list[tuple[str, str, str, str, int]] = [
    # code, name (vi), name (en), profile, sort order
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
