"""A refusal's message: both languages for the API, the reader's one for a screen."""

from django.utils import translation

from trienkhai.common.errors import BadInput, NotFound, one_language


def test_it_keeps_the_half_of_the_readers_language():
    message = "Cần ghi lý do trả lại / say why it is returned"
    assert one_language(message, english=False) == "Cần ghi lý do trả lại"
    assert one_language(message, english=True) == "Say why it is returned"


def test_it_keeps_the_key_the_english_half_ends_with_in_both():
    message = "Không có chỉ tiêu / unknown indicators: a, b"
    assert one_language(message, english=False) == "Không có chỉ tiêu: a, b"
    assert one_language(message, english=True) == "Unknown indicators: a, b"


def test_it_leaves_a_message_that_does_not_split_in_two_whole():
    assert one_language("Giá trị “1 / 2 / 3” không hợp lệ", english=True) == (
        "Giá trị “1 / 2 / 3” không hợp lệ"
    )
    assert one_language("Chỉ một ngôn ngữ", english=True) == "Chỉ một ngôn ngữ"


def test_it_sends_both_languages_to_the_api_and_one_to_a_screen():
    error = BadInput("comment_required", "Cần ghi lý do / say why")
    assert error.to_dict() == {
        "error": {"code": "comment_required", "message": "Cần ghi lý do / say why"}
    }
    with translation.override("en"):
        assert error.shown == "Say why"
        assert error.to_screen_dict()["error"]["message"] == "Say why"
    with translation.override("vi"):
        assert error.shown == "Cần ghi lý do"


def test_it_prefers_the_words_the_raiser_gave_for_the_screen():
    error = BadInput("x", "Hai / two", shown="Ba")
    assert error.shown == "Ba" and error.message == "Hai / two"


def test_it_names_what_was_not_found_in_one_language():
    error = NotFound("biểu báo cáo / form", "HK")
    assert error.message == "Không tìm thấy biểu báo cáo / form / biểu báo cáo / form not found: HK"
    with translation.override("en"):
        assert error.shown == "Form not found: HK"
    with translation.override("vi"):
        assert error.shown == "Không tìm thấy biểu báo cáo: HK"


def test_it_gives_a_screen_its_details_in_one_language():
    details = [{"row": 2, "column": "code", "problem": "Trùng mã / code repeats"}, {"row": 3}]
    error = BadInput("invalid_file", "Có lỗi / errors", details=details)
    assert error.to_dict()["error"]["details"] == details  # the API's, untouched
    with translation.override("en"):
        assert error.shown_details == [
            {"row": 2, "column": "code", "problem": "Code repeats"},
            {"row": 3},
        ]
    named = BadInput("x", "Hai / two", details=details, shown_details=[{"problem": "Ba"}])
    assert named.shown_details == [{"problem": "Ba"}] and named.details == details
