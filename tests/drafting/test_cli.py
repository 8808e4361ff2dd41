"""`trienkhai report`: list the templates; write a .docx or .pdf; bad input exits 2."""

from trienkhai import cli

from .reading import docx_text, pdf_text


def test_it_lists_the_templates(district, capsys):
    assert cli.main(["report", "--list"]) == 0
    out = capsys.readouterr().out
    assert "so-ket-6-thang" in out and "so-ket-nhieu-nam" in out and "bao-cao-nam" in out


def test_it_writes_a_docx_and_a_pdf(district, tmp_path, capsys):
    argv = ["report", "so-ket-6-thang", "--unit", "HUT", "--issuer", "BTGT", "--period", "2020S1"]
    assert cli.main([*argv, "-o", str(tmp_path / "bc.docx")]) == 0
    assert "20.673 lượt" in docx_text((tmp_path / "bc.docx").read_bytes())
    assert cli.main([*argv, "-o", str(tmp_path / "bc.pdf")]) == 0
    assert "BAN TUYÊN GIÁO" in pdf_text((tmp_path / "bc.pdf").read_bytes())


def test_bad_input_exits_2_with_the_message(district, tmp_path, capsys):
    out = str(tmp_path / "x.docx")
    assert (
        cli.main(["report", "so-ket-6-thang", "--unit", "HUT", "--period", "2030S1", "-o", out])
        == 2
    )
    assert "2030S1" in capsys.readouterr().err
    assert cli.main(["report", "khong-co", "--unit", "HUT", "--period", "2020S1", "-o", out]) == 2
    assert "unknown template" in capsys.readouterr().err
    assert cli.main(["report", "so-ket-6-thang", "--period", "2020S1", "-o", out]) == 2
    assert "--unit" in capsys.readouterr().err
    assert not (tmp_path / "x.docx").exists()


def test_it_dates_the_report_as_asked_and_refuses_a_bad_date(district, tmp_path, capsys):
    argv = ["report", "so-ket-6-thang", "--unit", "HUT", "--issuer", "BTGT", "--period", "2020S1"]
    out = tmp_path / "bc.docx"
    assert cli.main([*argv, "--date", "05/06/2020", "-o", str(out)]) == 0
    assert "ngày 05 tháng 6 năm 2020" in docx_text(out.read_bytes())
    assert cli.main([*argv, "--date", "31/02/2020", "-o", str(tmp_path / "x.docx")]) == 2
    assert "31/02/2020" in capsys.readouterr().err
