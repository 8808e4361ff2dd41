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
