"""Search over the register: the facade (STYLE.md §8). Today a LIKE on the folded key.

``search`` folds the query like the stored key (trienkhai.vn.fold: accents, case,
đ → d), so "dang" finds "Đảng" and "12/QD-UBND" finds "12/QĐ-UBND". Full text and
attachment text come later behind this same function.
"""

from django.db.models import Q, QuerySet

from trienkhai.documents.models import Document
from trienkhai.vn import fold


def search(
    queryset: QuerySet[Document],
    *,
    q: str = "",
    issuer: str = "",
    type: str = "",
    year: int | None = None,
    status: str = "",
) -> QuerySet[Document]:
    for word in fold(q).split():
        queryset = queryset.filter(search_key__contains=word)
    if issuer:
        queryset = queryset.filter(unit__code=issuer)
    if type:
        queryset = queryset.filter(Q(type__code=type) | Q(type__slug=type))
    if year:
        queryset = queryset.filter(date__year=year)
    if status:
        queryset = queryset.filter(status=status)
    return queryset
