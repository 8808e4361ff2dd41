"""One request's Python at a time in each server process.

``trienkhai serve`` runs gunicorn processes with a few threads each (decision 0009), so
that a request that waits — LibreOffice making a PDF, a database dump — does not hold
a whole process. But threads that all run Python take turns on the process's GIL: a
save holding SQLite's write lock loses the GIL to its neighbours for up to the switch
interval (5 ms) each time it comes back from the database, and every other writer
waits meanwhile. On this 2-core machine the save bench made about 400 saves a second
with 4 threads per process and about 530 with one (decision 0051).

So a thread takes the process's turn for the whole of its request and gives it back
only around a wait that needs no Python (``waiting``): requests of one process run one
after the other, as with one thread, while a conversion waits without blocking them.
"""

import contextlib
import threading
from collections.abc import Callable, Iterator

_turn = threading.Lock()
_mine = threading.local()


def one_at_a_time(application: Callable) -> Callable:
    """The WSGI ``application`` run by one thread of the process at a time. The response
    body is sent after the turn is given back (a file streams without holding it)."""

    def run(environ, start_response):
        with _turn:
            _mine.holds = True
            try:
                return application(environ, start_response)
            finally:
                _mine.holds = False

    return run


@contextlib.contextmanager
def waiting() -> Iterator[None]:
    """Around a wait that runs no Python of ours (a subprocess, the network): the
    process's other requests run meanwhile. Outside a served request it does nothing."""
    if not getattr(_mine, "holds", False):
        yield
        return
    _mine.holds = False
    _turn.release()
    try:
        yield
    finally:
        _turn.acquire()
        _mine.holds = True
