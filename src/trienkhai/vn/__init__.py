"""Vietnamese text and format helpers. Nobody re-implements these inline (STYLE.md §9).

- ``nfc``: store one-line text as NFC, with the look-alike Ð/ð mapped to Đ/đ, spaces collapsed;
  ``nfc_lines``: the same for each line of a multi-line text, its lines kept.
- ``fold``: the search key — accents, tones and case removed, đ → d ("Đồng" → "dong").
- ``slug``: a code made from a name ("Báo cáo 6 tháng" → "bao-cao-6-thang");
  ``unaccent``: accents and tones removed, đ → d, case kept ("01-BC/ĐU" → "01-BC/DU").
- ``sort_key``: Vietnamese alphabetical order (a ă â b c d đ e ê ...), tones after letters;
  ``letters_key``: its first level (letters only) as a string, quick, to cut long lists.
- ``format_date`` / ``parse_date``: dd/mm/yyyy; ``long_date``: "ngày 05 tháng 8 năm 2021".
- ``format_number`` / ``parse_number``: "20.673" and "20,5".
"""

from trienkhai.vn.dates import format_date, long_date, parse_date
from trienkhai.vn.numbers import format_number, parse_number
from trienkhai.vn.text import fold, letters_key, nfc, nfc_lines, slug, sort_key, unaccent

__all__ = [
    "fold",
    "format_date",
    "format_number",
    "letters_key",
    "long_date",
    "nfc",
    "nfc_lines",
    "parse_date",
    "parse_number",
    "slug",
    "sort_key",
    "unaccent",
]
