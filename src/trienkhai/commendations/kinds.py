"""The common kinds of commendation and the level that gives each (decision 0054).

State forms and titles follow Luật Thi đua, khen thưởng 06/2022/QH15 and Nghị định
98/2023/NĐ-CP; the Party's (the Standing Committee's Bằng khen, a Party board's
Giấy khen) follow the Party's own rules on commendation. More kinds are added in the
admin. ``ensure`` adds the missing ones: the migration, the demo, and tests after a
transactional test emptied the tables.

``PROFILES`` says which kinds a Party body gives and which a State one (decision 0057):
the Standing Committee's Bằng khen only a Party committee, the People's Committee
chairman's only a State body. The kinds of level ``agency`` have none: any head of an
agency or unit gives them (the law applies to Party agencies' staff too), and a Party
board's Giấy khen is named by its giver in the decision.
"""

STATE = "Luật 06/2022/QH15; Nghị định 98/2023/NĐ-CP"
PARTY = "Quy định của Đảng về khen thưởng tổ chức đảng và đảng viên"
KINDS = [
    # code, name, name_en, level, category, recipients, legal basis
    (
        "bang_khen_thu_tuong",
        "Bằng khen của Thủ tướng Chính phủ",
        "Prime Minister's Certificate of Merit",
        "state",
        "form",
        "both",
        STATE,
    ),
    (
        "bang_khen_ubnd_tinh",
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "Provincial People's Committee Certificate of Merit",
        "province",
        "form",
        "both",
        STATE,
    ),
    (
        "bang_khen_btv_tinh_uy",
        "Bằng khen của Ban Thường vụ Tỉnh ủy",
        "Certificate of Merit of the Provincial Party Standing Committee",
        "province",
        "form",
        "both",
        PARTY,
    ),
    (
        "giay_khen_ban_dang",
        "Giấy khen của ban Đảng (Ban Tuyên giáo …)",
        "Certificate of Commendation of a Party board (Propaganda Board …)",
        "agency",
        "form",
        "both",
        PARTY,
    ),
    (
        "giay_khen_thu_truong",
        "Giấy khen của thủ trưởng cơ quan, đơn vị",
        "Certificate of Commendation of an agency head",
        "agency",
        "form",
        "both",
        STATE,
    ),
    (
        "giay_khen_ubnd_huyen",
        "Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện",
        "District People's Committee Certificate of Commendation",
        "district",
        "form",
        "both",
        STATE,
    ),
    (
        "giay_khen_btv_huyen_uy",
        "Giấy khen của Ban Thường vụ Huyện ủy",
        "Certificate of Commendation of the District Party Standing Committee",
        "district",
        "form",
        "both",
        PARTY,
    ),
    (
        "giay_khen_ubnd_xa",
        "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã",
        "Commune People's Committee Certificate of Commendation",
        "commune",
        "form",
        "both",
        STATE,
    ),
    (
        "co_thi_dua_tinh",
        "Cờ thi đua của Ủy ban nhân dân tỉnh",
        "Provincial Emulation Flag",
        "province",
        "title",
        "collective",
        STATE,
    ),
    (
        "chien_si_thi_dua_co_so",
        "Chiến sĩ thi đua cơ sở",
        "Grassroots Emulation Fighter",
        "agency",
        "title",
        "individual",
        STATE,
    ),
    (
        "tap_the_lao_dong_xuat_sac",
        "Tập thể lao động xuất sắc",
        "Excellent Labour Collective",
        "agency",
        "title",
        "collective",
        STATE,
    ),
]


PROFILES = {
    "bang_khen_thu_tuong": "state",
    "bang_khen_ubnd_tinh": "state",
    "bang_khen_btv_tinh_uy": "party",
    "giay_khen_ubnd_huyen": "state",
    "giay_khen_btv_huyen_uy": "party",
    "giay_khen_ubnd_xa": "state",
    "co_thi_dua_tinh": "state",
}
"""The giver's profile (Party or State) of the common kinds; the others are given by either."""


def ensure(apps=None) -> None:
    """Create the common kinds that are missing; an existing one is left as edited."""
    if apps is None:
        from django.apps import apps
    Kind = apps.get_model("commendations", "Kind")
    # Migration 0002 runs this before 0005 added the field (0005 fills it then).
    profiled = any(field.name == "giver_profile" for field in Kind._meta.get_fields())
    for code, name, name_en, level, category, recipients, basis in KINDS:
        defaults = {
            "name": name,
            "name_en": name_en,
            "level": level,
            "category": category,
            "recipients": recipients,
            "legal_basis": basis,
        }
        if profiled:
            defaults["giver_profile"] = PROFILES.get(code, "")
        Kind.objects.get_or_create(code=code, defaults=defaults)
