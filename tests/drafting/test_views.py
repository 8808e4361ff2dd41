"""The report pages: create, edit, preview, download, issue — and who is refused."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from tests.drafting.conftest import signed
from tests.factories import SYSTEM
from tests.pages import main_text
from tests.translation import english
from trienkhai.common.errors import BadInput
from trienkhai.drafting import services
from trienkhai.drafting.models import Report

from .reading import docx_text


def make(district, templates):
    return signed(
        services.create_report(
            acting_user=SYSTEM,
            template=templates["so-ket-6-thang"],
            unit=district.hu,
            issuer=district.board,
            period="2020S1",
            date=dt.date(2020, 6, 29),
        )
    )


def test_the_list_page_shows_the_form_and_the_reports(web, personas, district, templates):
    make(district, templates)
    page = web(personas.viewer).get("/soan-bao-cao/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tạo dự thảo" in text and "Báo cáo sơ kết 6 tháng" in text
    assert "HUT" not in main_text(web(personas.outsider).get("/soan-bao-cao/"))
    assert web().get("/soan-bao-cao/").status_code == 302


def test_the_list_names_templates_units_and_periods_in_words(web, personas, district, templates):
    make(district, templates)
    text = web(personas.viewer).get("/soan-bao-cao/").content.decode()
    rows = text.split("<tbody>", 1)[1]
    names = [u.latest_version().name for u in (district.hu, district.board)]
    assert names[0] in rows and names[1] in rows
    assert "6 tháng đầu năm 2020" in rows and "2020S1" not in rows
    assert f">{district.hu.code}<" not in rows
    options = re.findall(r"<option[^>]*>([^<]*)</option>", text.split("<tbody>", 1)[0])
    assert "Báo cáo sơ kết 6 tháng" in " ".join(options) and "so-ket-6-thang" not in options


def test_a_manager_creates_a_draft_and_a_bad_period_is_named(web, personas, district):
    client = web(personas.manager)
    form = {"template": "so-ket-6-thang", "unit": "HUT", "issuer": "BTGT", "period": "2020S1"}
    response = client.post("/soan-bao-cao/tao/", form)
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/soan-bao-cao/{report.pk}/"
    bad = client.post("/soan-bao-cao/tao/", {**form, "period": "2022S1"})
    assert bad.status_code == 400
    # Named in words (and the unit by its name), not by its identifier.
    assert "cho 6 tháng đầu năm 2022" in bad.content.decode()
    assert Report.objects.count() == 1
    # The same report asked again opens its draft rather than making a second one.
    again = client.post("/soan-bao-cao/tao/", form, follow=True)
    assert again.redirect_chain[-1][0] == f"/soan-bao-cao/{report.pk}/"
    assert "Đã có dự thảo báo cáo này" in again.content.decode()
    assert Report.objects.count() == 1


def test_the_outsider_cannot_create_for_another_unit(web, personas, district):
    form = {"template": "so-ket-6-thang", "unit": "HUT", "period": "2020S1"}
    assert web(personas.outsider).post("/soan-bao-cao/tao/", form).status_code == 403
    assert not Report.objects.exists()


def test_the_editor_saves_the_narrative_and_previews(web, personas, district, templates):
    report = make(district, templates)
    client = web(personas.manager)
    page = client.get(f"/soan-bao-cao/{report.pk}/")
    assert page.status_code == 200
    assert 'name="t-3.2"' in page.content.decode()
    form = {
        "superior": report.superior,
        "issuer_label": report.issuer_label,
        "place": "Vĩnh Thuận",
        "date": "29/06/2020",
        "title": report.title,
        "signer_for": "K/T TRƯỞNG BAN",
        "signer_position": "PHÓ TRƯỞNG BAN",
        "signer_name": "Trần Văn B",
        "recipients": "Thường trực Huyện ủy",
        "t-4.1": "Chưa có hạn chế lớn; {so_trang} trang vẫn cập nhật đều.",
        "preview": "1",
    }
    response = client.post(f"/soan-bao-cao/{report.pk}/", form)
    assert response.status_code == 302 and response["Location"].endswith("/xem-truoc/")
    preview = client.get(response["Location"]).content.decode()
    assert "Chưa có hạn chế lớn; 2 trang vẫn cập nhật đều." in preview
    assert "K/T TRƯỞNG BAN" in preview and "Ban hành (lấy số)" in preview
    download = client.get(f"/soan-bao-cao/{report.pk}/tep.docx")
    assert "Trần Văn B" in docx_text(download.content)
    bad = client.post(f"/soan-bao-cao/{report.pk}/", {**form, "t-4.1": "{khong_co}"})
    assert bad.status_code == 400 and "khong_co" in bad.content.decode()


def test_a_refused_text_keeps_every_edit_and_names_its_paragraph(
    web, personas, district, templates
):
    """GIVEN the editor WHEN a paragraph has an unmatched brace and another was changed
    THEN nothing is saved, both keep what was typed, and the error stands beside the
    paragraph by its printed number, in Vietnamese only, without the template's code."""
    report = make(district, templates)
    client = web(personas.manager)
    page = client.get(f"/soan-bao-cao/{report.pk}/")
    fields = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    typed = {
        **{k: str(v) for k, v in fields.items() if k in page.context["form"].fields},
        "t-3.2": "Đoạn đã sửa xong, còn giữ.",
        "t-4.1": "Thiếu ngoặc {so_trang trang.",
    }
    bad = client.post(f"/soan-bao-cao/{report.pk}/", typed)
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Đoạn đã sửa xong, còn giữ." in html and "Thiếu ngoặc {so_trang trang." in html
    assert 'aria-invalid="true" aria-describedby="t-4.1-error"' in html
    assert "Dấu ngoặc nhọn không khớp" in html and "Chưa lưu: đoạn 3.1 cần sửa" in html
    assert "so-ket-6-thang" not in html.split("<main", 1)[1].split("</h1>", 1)[1][:3000]
    report.refresh_from_db()
    assert report.narrative.get("3.2", "") != "Đoạn đã sửa xong, còn giữ."


def test_the_editor_numbers_paragraphs_as_their_headings_print(web, personas, district, templates):
    """GIVEN so-ket-6-thang, whose first section has no heading (so "3. Hạn chế" is the
    file's fourth) WHEN the editor shows it THEN the fields read the printed numbers; the
    closing line, in a section without a heading, reads on from "4." as it prints."""
    report = make(district, templates)
    page = web(personas.manager).get(f"/soan-bao-cao/{report.pk}/").content.decode()
    labels = dict(re.findall(r'<label for="t-([\d.]+)">Đoạn ([^<]+)</label>', page))
    assert labels == {"1.1": "1", "2.1": "1.1", "3.2": "2.1", "3.4": "2.2", "3.7": "2.3",
                      "4.1": "3.1", "5.1": "4.1", "6.1": "4.2"}  # fmt: skip
    assert "3. Hạn chế, nguyên nhân" in page


def test_the_editor_explains_its_fields_in_the_readers_language(
    web, personas, district, templates, tmp_path
):
    report = make(district, templates)
    client = web(personas.manager)
    page = client.get(f"/soan-bao-cao/{report.pk}/").content.decode()
    assert "Nơi nhận, mỗi dòng một nơi." in page and "one per line" not in page
    assert "ký thay mặt tập thể nào" in page and "the body signed for" not in page
    english_help = {"Nơi nhận, mỗi dòng một nơi.": "Recipients, one per line."}
    with english(tmp_path, english_help):
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        page = client.get(f"/soan-bao-cao/{report.pk}/").content.decode()
    assert "Recipients, one per line." in page and "mỗi dòng một nơi" not in page


def test_viewers_see_but_do_not_edit_and_outsiders_see_nothing(web, personas, district, templates):
    report = make(district, templates)
    assert web(personas.viewer).get(f"/soan-bao-cao/{report.pk}/xem-truoc/").status_code == 200
    assert (
        "Ban hành (lấy số)"
        not in web(personas.viewer).get(f"/soan-bao-cao/{report.pk}/xem-truoc/").content.decode()
    )
    assert web(personas.viewer).post(f"/soan-bao-cao/{report.pk}/", {}).status_code == 403
    assert web(personas.viewer).post(f"/soan-bao-cao/{report.pk}/ban-hanh/").status_code == 403
    for url in ("", "xem-truoc/", "tep.docx"):
        assert web(personas.outsider).get(f"/soan-bao-cao/{report.pk}/{url}").status_code == 403
    assert web(personas.outsider).post(f"/soan-bao-cao/{report.pk}/ban-hanh/").status_code == 403
    assert web(personas.manager).get(f"/soan-bao-cao/{report.pk}/ban-hanh/").status_code == 405


def test_issuing_from_the_page_gives_the_number(web, personas, district, templates, media):
    report = make(district, templates)
    client = web(personas.manager)
    asked = client.post(f"/soan-bao-cao/{report.pk}/ban-hanh/")
    assert asked.status_code == 200 and not Report.objects.get(pk=report.pk).document
    response = client.post(f"/soan-bao-cao/{report.pk}/ban-hanh/", {"so": "01-BC/BTGHU"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.document.symbol == "01-BC/BTGHU"
    page = client.get(f"/soan-bao-cao/{report.pk}/xem-truoc/").content.decode()
    assert "Số 01-BC/BTGHU" in page
    stored = client.get(f"/soan-bao-cao/{report.pk}/tep.pdf")
    assert stored.content == report.pdf.read()


def issue_form(page: str) -> str:
    """The issue form of the preview, as served."""
    return page.split('class="issue"', 1)[1].split("</form>", 1)[0]


def test_the_issue_button_is_off_until_the_report_names_its_signer(
    web, personas, district, templates, media
):
    """GIVEN a new draft (the template gives the position and Nơi nhận, not the name) WHEN
    its preview opens THEN the issue button is disabled and says beside it to fill in the
    signer's name, as the editor labels it; once typed, the button is on. A POST anyway
    is refused as before, nothing numbered."""
    report = services.create_report(
        acting_user=SYSTEM,
        template=templates["so-ket-6-thang"],
        unit=district.hu,
        issuer=district.board,
        period="2020S1",
        date=dt.date(2020, 6, 29),
    )
    client = web(personas.manager)
    form = issue_form(client.get(f"/soan-bao-cao/{report.pk}/xem-truoc/").content.decode())
    assert 'class="primary" disabled aria-describedby="issue-blocked"' in form
    assert "Cần ghi họ tên người ký trước khi ban hành." in form
    assert f'href="/soan-bao-cao/{report.pk}/"' in form  # "Sửa tiếp", to the editor
    refused = client.post(f"/soan-bao-cao/{report.pk}/ban-hanh/", {"so": "01-BC/BTGHU"})
    assert refused.status_code == 400 and "còn thiếu người ký" in refused.content.decode()
    assert Report.objects.get(pk=report.pk).is_draft
    services.update_report(
        acting_user=SYSTEM, report=report, narrative={}, signer_name="Lê Văn Ký", recipients=""
    )
    form = issue_form(client.get(f"/soan-bao-cao/{report.pk}/xem-truoc/").content.decode())
    assert "Cần ghi nơi nhận trước khi ban hành." in form and "disabled" in form
    services.update_report(
        acting_user=SYSTEM, report=report, narrative={}, recipients="Lưu Ban Tuyên giáo"
    )
    form = issue_form(client.get(f"/soan-bao-cao/{report.pk}/xem-truoc/").content.decode())
    assert "disabled" not in form and "issue-blocked" not in form


def test_the_issue_button_is_off_while_the_issuer_cannot_number(
    web, personas, district, templates, media
):
    """An issuer without an abbreviation: the button says so; issuing is refused."""
    from trienkhai.orgs.models import UnitVersion

    report = make(district, templates)
    UnitVersion.objects.filter(unit=district.board).update(abbreviation="")
    page = web(personas.manager).get(f"/soan-bao-cao/{report.pk}/xem-truoc/").content.decode()
    form = issue_form(page)
    assert "disabled" in form and "chưa có tên viết tắt" in form
    assert "Sửa tiếp" not in form  # nothing of the report's own to fix
    with pytest.raises(BadInput) as refused:
        services.issue_report(acting_user=personas.manager, report=report)
    assert refused.value.code == "no_abbreviation"
    assert Report.objects.get(pk=report.pk).is_draft


# Beside the draft: the placeholders in words, and what to look at (issue 14) -------------


def header(report, **more) -> dict:
    """The editor's header fields as the page fills them, with ``more``."""
    return {
        "superior": report.superior,
        "issuer_label": report.issuer_label,
        "place": report.place,
        "date": report.date.strftime("%d/%m/%Y"),
        "title": report.title,
        "signer_for": report.signer_for,
        "signer_position": report.signer_position,
        "signer_name": report.signer_name,
        "recipients": report.recipients,
        **more,
    }


def legend_of(page: str) -> str:
    return page.split('<aside class="legend"', 1)[1].split("</aside>", 1)[0]


def test_the_editor_explains_each_placeholder_beside_the_paragraphs(
    web, personas, district, templates
):
    """GIVEN the 2020S1 draft WHEN its editor opens THEN beside the paragraphs each
    placeholder the texts use is given in words, with what it prints and where it is
    used; the others are offered after them; in English when the page is."""
    report = make(district, templates)
    client = web(personas.manager)
    legend = legend_of(client.get(f"/soan-bao-cao/{report.pk}/").content.decode())
    used, more = legend.split("Các chỗ điền khác có thể dùng", 1)
    assert "<dt><code>{so_ban_dang_ky}</code></dt>" in used
    assert (
        "<dd>Bản đăng ký tu dưỡng, rèn luyện của đảng viên: tổng của Huyện ủy Vĩnh Thuận, "
        "6 tháng đầu năm 2020 — khi không đơn vị nào nhập: đếm từ sổ đăng ký tu dưỡng, rèn "
        'luyện<br><span class="muted">In ra:</span> <strong>50</strong> '
        '<span class="muted">· đoạn 2.1</span></dd>'
    ) in used
    assert "<code>{chi_dao}</code>" in more and "<code>{chi_dao}</code>" not in used
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    legend = legend_of(client.get(f"/soan-bao-cao/{report.pk}/").content.decode())
    assert "Placeholders in the paragraphs" in legend and "Chỗ điền" not in legend
    assert "Name of the unit issuing the report" in legend
    assert '<span class="muted">Prints:</span> <strong>50</strong>' in legend


def test_a_draft_without_a_directive_says_so_and_takes_one_in_the_editor(
    web, personas, district, templates
):
    """GIVEN a 2019S2 draft, no directive found for the period WHEN its editor and preview
    open THEN both say so and what to do; an unknown symbol typed in "Văn bản chỉ đạo" is
    refused beside the field, nothing saved; 217-CV/HU is saved and the note is gone."""
    client = web(personas.manager)
    form = {"template": "so-ket-6-thang", "unit": "HUT", "issuer": "BTGT", "period": "2019S2"}
    client.post("/soan-bao-cao/tao/", form)
    report = Report.objects.get()
    assert report.directive is None
    for url in ("", "xem-truoc/"):
        page = client.get(f"/soan-bao-cao/{report.pk}/{url}").content.decode()
        notes = page.split('class="draft-notes"', 1)[1].split("</section>", 1)[0]
        assert "Cần xem lại trước khi ban hành" in notes
        assert "Chưa có văn bản chỉ đạo" in notes and "6 tháng cuối năm 2019" in notes
        # figures by their names, never the template's placeholders
        assert "Chưa có số liệu cho “Bản đăng ký tu dưỡng, rèn luyện của đảng viên”" in notes
        assert "{" not in notes
    assert "Thực hiện … …" not in page
    bad = client.post(f"/soan-bao-cao/{report.pk}/", header(report, directive="9-CV/HU"))
    assert bad.status_code == 400
    field = bad.content.decode().split('for="id_directive"', 1)[1].split("</div>", 1)[0]
    assert "Huyện ủy Vĩnh Thuận không có văn bản đi số, ký hiệu “9-CV/HU”." in field
    report.refresh_from_db()
    assert report.directive is None
    saved = client.post(f"/soan-bao-cao/{report.pk}/", header(report, directive="217-CV/HU"))
    assert saved.status_code == 302
    page = client.get(f"/soan-bao-cao/{report.pk}/").content.decode()
    assert 'value="217-CV/HU"' in page and "Chưa có văn bản chỉ đạo" not in page
    report.refresh_from_db()
    assert report.directive == district.directive


# The clerk's editor: figures as chips drawn by a script, the same texts saved ------------


def figures_of(page: str) -> dict[str, dict]:
    """The figures the editor's script reads (json_script "draft-figures"), by name."""
    found = page.split('<script id="draft-figures" type="application/json">', 1)[1]
    return {f["name"]: f for f in json.loads(found.split("</script>", 1)[0])}


def test_the_editor_gives_its_script_each_figure_in_words_with_what_it_prints(
    web, personas, district, templates
):
    """GIVEN the 2020S1 draft WHEN its editor opens THEN the page carries, for the script
    that shows figures as chips, each placeholder in words with what it prints now, for
    every width a text gives it ({so_trang:02}); a figure without a value prints "…"; the
    script and its style come from this server."""
    report = make(district, templates)
    page = web(personas.manager).get(f"/soan-bao-cao/{report.pk}/").content.decode()
    figures = figures_of(page)
    assert figures["so_luot"]["meaning"] == (
        "Lượt người tham gia học tập: tổng của Huyện ủy Vĩnh Thuận, 6 tháng đầu năm 2020"
    )
    assert figures["so_luot"]["prints"] == {"": "20.673"}
    # the name the picker ranks by; no text on screen names a placeholder
    assert figures["so_dang_vien"]["label"] == "Số đảng viên"
    assert figures["pham_vi_ty_le_dang_ky"]["label"] == (
        "Tỷ lệ đảng viên viết bản đăng ký (phạm vi tính)"
    )
    assert [n for n, f in figures.items() if "{" in f["meaning"] + f["label"]] == []
    assert figures["so_luot"]["used_in"] == ["2.2"] and not figures["so_luot"]["missing"]
    assert figures["so_trang"]["prints"] == {"": "2", "02": "02"}
    assert figures["so_lop"]["missing"] and figures["so_lop"]["prints"] == {"": "…", "02": "…"}
    assert figures["period"]["prints"] == {"": "6 tháng đầu năm 2020"}
    assert figures["period"]["used_in"][-1] == "trích yếu"
    assert '<script src="/static/drafting/editor.js" defer></script>' in page
    assert '<link rel="stylesheet" href="/static/drafting/editor.css">' in page
    # the text boxes the script draws from, and which save without it
    assert 'name="t-3.4" rows="4" data-figures="2.2">Trong {period}, các chi' in page
    assert 'name="title" cols="40" rows="2" data-figures=""' in page


def test_without_the_script_the_text_boxes_save_the_template_text(
    web, personas, district, templates
):
    """GIVEN the editor without its script WHEN the text boxes are posted with
    placeholders and a doubled brace THEN the texts are saved as typed, placeholders and
    all, and the preview prints the figures and one brace."""
    report = make(district, templates)
    client = web(personas.manager)
    typed = "Với {so_luot} lượt, {so_trang:02} trang và {{một dấu ngoặc}}."
    saved = client.post(f"/soan-bao-cao/{report.pk}/", header(report, **{"t-4.1": typed}))
    assert saved.status_code == 302
    report.refresh_from_db()
    assert report.narrative["4.1"] == typed
    page = client.get(f"/soan-bao-cao/{report.pk}/").content.decode()
    assert f'data-figures="3.1">{typed}</textarea>' in page
    preview = client.get(f"/soan-bao-cao/{report.pk}/xem-truoc/").content.decode()
    assert "Với 20.673 lượt, 02 trang và {một dấu ngoặc}." in preview


def test_a_refused_width_is_not_printed_for_the_script(web, personas, district, templates):
    """GIVEN a text giving a figure a width reports.fill refuses ({so_trang:0100000000},
    a hundred million zeros) WHEN it is posted THEN the page says so beside the paragraph
    and hands the script no print of that width."""
    report = make(district, templates)
    typed = {"t-4.1": "Còn {so_trang:0100000000} trang."}
    refused = web(personas.manager).post(f"/soan-bao-cao/{report.pk}/", header(report, **typed))
    assert refused.status_code == 400 and len(refused.content) < 1_000_000
    page = refused.content.decode()
    assert "Chỗ điền chỉ nhận dạng {tên} hoặc {tên:02}." in page
    assert figures_of(page)["so_trang"]["prints"] == {"": "2"}
