"""What the server log says about requests."""

import logging


class RefusalWithoutTraceback(logging.Filter):
    """A refused request (a 4xx: 403, 404, 400) is logged on one line, without the
    traceback Django attaches: refusals are expected, and a log full of tracebacks hides
    the real errors (5xx), which keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
