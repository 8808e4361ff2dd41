"""A server process runs one request's Python at a time, and lets others in while one waits."""

import threading

import pytest

from trienkhai.common import turns


def _serve(app, path: str, answers: dict) -> threading.Thread:
    def run():
        answers[path] = app({"PATH_INFO": path}, lambda status, headers: None)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_requests_of_one_process_never_run_together():
    inside, overlapped = [0], []
    first_in, release_first = threading.Event(), threading.Event()

    def application(environ, start_response):
        inside[0] += 1
        overlapped.append(inside[0])
        if environ["PATH_INFO"] == "/first":
            first_in.set()
            release_first.wait(5)  # holds its turn: it is not in ``waiting``
        inside[0] -= 1
        return [environ["PATH_INFO"].encode()]

    app = turns.one_at_a_time(application)
    answers: dict = {}
    first = _serve(app, "/first", answers)
    assert first_in.wait(5)
    second = _serve(app, "/second", answers)
    second.join(0.3)
    assert second.is_alive(), "the second request ran while the first held the turn"
    release_first.set()
    first.join(5)
    second.join(5)
    assert answers == {"/first": [b"/first"], "/second": [b"/second"]}
    assert max(overlapped) == 1


def test_a_request_that_waits_lets_the_next_one_run_and_takes_its_turn_back():
    order = []
    waiting, second_done = threading.Event(), threading.Event()

    def application(environ, start_response):
        if environ["PATH_INFO"] == "/pdf":
            with turns.waiting():
                waiting.set()
                # LibreOffice converting: another request of the process runs meanwhile.
                assert second_done.wait(5)
            order.append("pdf back")
        else:
            order.append("save")
            second_done.set()
        return [b""]

    app = turns.one_at_a_time(application)
    answers: dict = {}
    pdf = _serve(app, "/pdf", answers)
    assert waiting.wait(5)
    save = _serve(app, "/save", answers)
    save.join(5)
    pdf.join(5)
    assert not pdf.is_alive() and not save.is_alive()
    assert order == ["save", "pdf back"]


def test_waiting_outside_a_served_request_changes_nothing():
    with turns.waiting():
        pass
    # The turn is free: a served request gets it at once.
    assert turns.one_at_a_time(lambda environ, start_response: [b"ok"])({}, None) == [b"ok"]


def test_a_failing_request_gives_its_turn_back():
    def application(environ, start_response):
        raise ValueError("broken")

    app = turns.one_at_a_time(application)
    for _ in range(2):
        with pytest.raises(ValueError):
            app({}, None)
    assert turns.one_at_a_time(lambda environ, start_response: [b"ok"])({}, None) == [b"ok"]
