"""The document types every installation has (VN_DOCUMENTS.md §1.1, §2.3). Types are data.

Codes keep their case exactly (``QyĐ``, ``CTr``, ``TTr``): never ``.upper()`` a code.
A State công văn has no code (its symbol is the issuer's abbreviation and a drafting
unit, "125/SGDĐT-VP"); it is known by its slug ``cong_van``. ``CV`` is Party only.
"""

# slug, printed code, name (vi), name (en)
STATE_TYPES: list[tuple[str, str, str, str]] = [
    ("nghi_quyet", "NQ", "Nghị quyết", "Resolution"),
    ("quyet_dinh", "QĐ", "Quyết định", "Decision"),
    ("chi_thi", "CT", "Chỉ thị", "Directive"),
    ("quy_che", "QC", "Quy chế", "Regulation"),
    ("quy_dinh", "QyĐ", "Quy định", "Rule"),
    ("thong_cao", "TC", "Thông cáo", "Communiqué"),
    ("thong_bao", "TB", "Thông báo", "Notice"),
    ("huong_dan", "HD", "Hướng dẫn", "Guidance"),
    ("chuong_trinh", "CTr", "Chương trình", "Programme"),
    ("ke_hoach", "KH", "Kế hoạch", "Plan"),
    ("phuong_an", "PA", "Phương án", "Scheme"),
    ("de_an", "ĐA", "Đề án", "Project proposal"),
    ("du_an", "DA", "Dự án", "Project"),
    ("bao_cao", "BC", "Báo cáo", "Report"),
    ("bien_ban", "BB", "Biên bản", "Minutes"),
    ("to_trinh", "TTr", "Tờ trình", "Submission"),
    ("hop_dong", "HĐ", "Hợp đồng", "Contract"),
    ("cong_van", "", "Công văn", "Official letter"),
    ("cong_dien", "CĐ", "Công điện", "Telegram"),
    ("giay_moi", "GM", "Giấy mời", "Invitation"),
    ("giay_gioi_thieu", "GGT", "Giấy giới thiệu", "Letter of introduction"),
]

PARTY_TYPES: list[tuple[str, str, str, str]] = [
    ("nghi_quyet", "NQ", "Nghị quyết", "Resolution"),
    ("quyet_dinh", "QĐ", "Quyết định", "Decision"),
    ("chi_thi", "CT", "Chỉ thị", "Directive"),
    ("ket_luan", "KL", "Kết luận", "Conclusion"),
    ("quy_che", "QC", "Quy chế", "Regulation"),
    # 36-HD/VPTW wrote QĐi; the Centre has used QĐ since 2021 (§2.3): QĐi is kept for
    # old documents, under its own slug.
    ("quy_dinh", "QĐi", "Quy định", "Rule"),
    ("thong_tri", "TT", "Thông tri", "Circular"),
    ("huong_dan", "HD", "Hướng dẫn", "Guidance"),
    ("thong_bao", "TB", "Thông báo", "Notice"),
    ("thong_cao", "TC", "Thông cáo", "Communiqué"),
    ("bao_cao", "BC", "Báo cáo", "Report"),
    ("ke_hoach", "KH", "Kế hoạch", "Plan"),
    ("quy_hoach", "QH", "Quy hoạch", "Master plan"),
    ("chuong_trinh", "CTr", "Chương trình", "Programme"),
    ("de_an", "ĐA", "Đề án", "Project proposal"),
    ("phuong_an", "PA", "Phương án", "Scheme"),
    ("du_an", "DA", "Dự án", "Project"),
    ("to_trinh", "TTr", "Tờ trình", "Submission"),
    ("cong_van", "CV", "Công văn", "Official letter"),
    ("bien_ban", "BB", "Biên bản", "Minutes"),
    ("ban_sao", "BS", "Bản sao", "Copy"),
    ("giay_moi", "GM", "Giấy mời", "Invitation"),
    ("giay_gioi_thieu", "GGT", "Giấy giới thiệu", "Letter of introduction"),
]


def ensure_standard_types(apps=None) -> None:
    """Create the standard types if missing (the data migration, tests, the demo)."""
    if apps is None:
        from django.apps import apps
    DocumentType = apps.get_model("documents", "DocumentType")
    for profile, rows in (("state", STATE_TYPES), ("party", PARTY_TYPES)):
        for order, (slug, code, name, name_en) in enumerate(rows):
            DocumentType.objects.get_or_create(
                profile=profile,
                slug=slug,
                defaults={"code": code, "name": name, "name_en": name_en, "sort_order": order},
            )
