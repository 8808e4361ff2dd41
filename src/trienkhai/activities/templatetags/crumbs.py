"""The activities' breadcrumbs: a long title shortened without changing what it names."""

from django import template

register = template.Library()

ELLIPSIS = "…"


@register.filter
def crumb(text: str, limit: int = 60) -> str:
    """``text`` for a breadcrumb: whole when it fits in ``limit`` characters, else its
    first and last words around "…", never a word cut. A title cut at its end named
    another (the walk of issue 16: "Lớp bồi dưỡng nhận thức về Đảng, khóa I…" for the
    khóa II class, beside a khóa I one); the end of a title ("khóa II năm 2021") is what
    tells it from its siblings, so it is kept first: half the room, at least a word."""
    words = str(text).split()
    if len(" ".join(words)) <= limit or len(words) < 3:
        return " ".join(words)
    tail: list[str] = []
    while (
        len(tail) < len(words) - 1 and len(" ".join([words[-len(tail) - 1], *tail])) <= limit // 2
    ):
        tail.insert(0, words[-len(tail) - 1])
    tail = tail or words[-1:]
    room = limit - len(" ".join(tail)) - len(f" {ELLIPSIS} ")
    head = words[:1]
    while len(head) < len(words) - len(tail) - 1 and len(" ".join(words[: len(head) + 1])) <= room:
        head = words[: len(head) + 1]
    return f"{' '.join(head)} {ELLIPSIS} {' '.join(tail)}"
