"""Normalisation, search folding and collation for Vietnamese text (VN_DOCUMENTS.md §6)."""

import re
import unicodedata

# đ/Đ have no Unicode decomposition, so stripping combining marks never removes the
# stroke: map it explicitly. Ð/ð (U+00D0/U+00F0, Icelandic eth) are look-alikes that
# pasted text sometimes carries.
_STROKE = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})
_ETH = str.maketrans({"Ð": "Đ", "ð": "đ"})
_SPACES = re.compile(r"\s+")

_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
"""Tone marks in dictionary order: huyền, hỏi, ngã, sắc, nặng (none is 0)."""

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
_NO_TONES = str.maketrans("", "", "".join(_TONES))


class _Ranked(dict):
    """``letters_key``'s translation table, filled as characters come: each character
    as its letters without tone or case ("Ấ" → "â"), each letter as the character whose
    code point is its rank in ``sort_key``, above the space that parts words."""

    def __missing__(self, code: int) -> str:
        bare = unicodedata.normalize("NFD", chr(code)).translate(_NO_TONES)
        letters = unicodedata.normalize("NFC", bare).casefold()
        self[code] = ranked = "".join(
            c if c == " " else chr(min(0x21 + _LETTER_RANK.get(c, 100 + ord(c)), 0x10FFFF))
            for c in letters
        )
        return ranked


_RANKED = _Ranked()


def nfc(text: str) -> str:
    """The stored form of one-line user text: NFC, Ð/ð mapped to Đ/đ, every run of
    whitespace (line breaks too) one space, trimmed. Multi-line text: ``nfc_lines``."""
    text = unicodedata.normalize("NFC", text).translate(_ETH)
    return _SPACES.sub(" ", text.replace("\u00a0", " ")).strip()


def nfc_lines(text: str) -> str:
    """The stored form of multi-line user text (Nơi nhận, a trích yếu, a narrative): each
    line as ``nfc`` (spaces collapsed and trimmed within the line), the lines kept and
    joined by "\\n" (a browser's "\\r\\n" read as one break), at most one blank line in a
    row (it separates paragraphs), none at either end.

    ``nfc`` alone is for one-line fields: it turns every run of whitespace, line breaks
    included, into one space ("- A\\n- B" would become "- A - B").
    """
    kept: list[str] = []
    for line in text.splitlines():
        line = nfc(line)
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)


def unaccent(text: str) -> str:
    """The letters without accents and tones, đ → d, case and everything else kept:
    'Số 01-BC/ĐU' → 'So 01-BC/DU' (an ASCII file name keeps a symbol's capitals)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_STROKE))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def fold(text: str) -> str:
    """The accent-, tone- and case-insensitive search key: 'Đảng ủy Vĩnh Thuận' → 'dang uy vinh thuan'.

    Old-style and new-style tone placement ('Thuỷ'/'Thủy') fold to the same key.
    """
    return _SPACES.sub(" ", unaccent(text).casefold()).strip()


_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_NOT_ASCII_WORD = re.compile(r"[^A-Za-z0-9]+")


def slug(text: str, *, sep: str = "-", max_length: int = 40, keep_case: bool = False) -> str:
    """A code made from a name: folded (accents, tones and case removed, đ → d), every run
    of other characters one ``sep``, at most ``max_length`` characters, cut at a word:
    'Báo cáo 6 tháng đầu năm' → 'bao-cao-6-thang-dau-nam'. "" when nothing is left.
    ``keep_case``: capitals kept, for names people read ('Huyện ủy Chợ Đồn' →
    'Huyen-uy-Cho-Don')."""
    if keep_case:
        words = _NOT_ASCII_WORD.sub(" ", unaccent(text)).split()
    else:
        words = _NOT_SLUG.sub(" ", fold(text)).split()
    made = ""
    for word in words:
        longer = f"{made}{sep}{word}" if made else word
        if len(longer) > max_length:
            break
        made = longer
    return made or sep.join(words)[:max_length]


def _strip_tones(text: str) -> tuple[str, tuple[int, ...]]:
    """Split a word into its letters without tones and the tone of each syllable."""
    letters = []
    tones = []
    for char in unicodedata.normalize("NFD", text):
        if char in _TONES:
            tones.append(_TONES[char])
        else:
            letters.append(char)
    return unicodedata.normalize("NFC", "".join(letters)), tuple(tones)


def sort_key(text: str) -> tuple:
    """A key that sorts Vietnamese the way a dictionary does.

    Letters first (đ after d, ă and â after a), then tones (none, huyền, hỏi, ngã, sắc,
    nặng), then case (lower before upper), word by word. Equivalent to ICU's ``vi``
    collation for the names we sort; no ICU needed.
    """
    primary = []
    secondary = []
    tertiary = []
    for word in nfc(text).split(" "):
        base, tones = _strip_tones(word)
        lowered = base.casefold()
        primary.append(tuple(_LETTER_RANK.get(c, 100 + ord(c)) for c in lowered))
        secondary.append(tones)
        tertiary.append(tuple(c != lc for c, lc in zip(base, lowered, strict=False)))
    return (tuple(primary), tuple(secondary), tuple(tertiary))


def name_order(name: str) -> tuple:
    """A person's name as Vietnamese lists order people: by the given name (the last
    word), then the whole name ("Lê Thị Hà" before "Nguyễn Văn Hoàng")."""
    words = name.split()
    return (sort_key(words[-1]) if words else (), sort_key(name))


def letters_key(text: str) -> str:
    """``sort_key``'s first level (the letters, not their tones or case) as a string in
    the same order, for text in its stored form (``nfc``): "Dương" before "Đông", "Xã
    An" before "Xã Anh" before "Xã Ân". Some twenty times faster: to cut a long list
    before sorting what is kept by ``sort_key``."""
    return text.translate(_RANKED)


UNIT_ABBREVIATIONS = {
    "du": "dang uy",
    "db": "dang bo",
    "cb": "chi bo",
    "hu": "huyen uy",
    "tu": "tinh uy",
    "qu": "quan uy",
    "thu": "thanh uy",
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "mttq": "mat tran to quoc",
    "ubmttq": "uy ban mat tran to quoc",
    "ubkt": "uy ban kiem tra",
    "btg": "ban tuyen giao",
    "btc": "ban to chuc",
    "bdv": "ban dan van",
    "ttct": "trung tam chinh tri",
    "vp": "van phong",
    "tt": "thi tran",
    "tx": "thi xa",
    "tp": "thanh pho",
    "dtn": "doan thanh nien",
    "hlhpn": "hoi lien hiep phu nu",
    "hnd": "hoi nong dan",
    "hccb": "hoi cuu chien binh",
    "ldld": "lien doan lao dong",
}
"""What people write before a unit's name, folded ("ĐU" → "du"), and the words it stands
for ("Đảng ủy"): "ĐU Yên Thịnh" is Đảng ủy xã Yên Thịnh. Names keep some of them whole
("Chi bộ Văn phòng HĐND và UBND huyện"), so a search tries both (``spellings``)."""

_MOST_EXPANDED = 3
"""Abbreviations of one text read both ways (2³ spellings); the rest are expanded."""


def spellings(text: str) -> list[str]:
    """The folded ways of reading ``text`` that a unit search tries, the fullest first:
    every abbreviation of ``UNIT_ABBREVIATIONS`` spelt out, then fewer, then the text as
    typed — "ĐU Yên Thịnh" → ["dang uy yen thinh", "du yen thinh"]; "tu phap" is also
    read as typed (Phòng Tư pháp). One spelling when it holds none."""
    words = fold(text).split()
    short = [i for i, word in enumerate(words) if word in UNIT_ABBREVIATIONS]
    both, always = short[:_MOST_EXPANDED], short[_MOST_EXPANDED:]
    found: list[str] = []
    # kept's bits: the abbreviations read as typed; fewer of them first.
    for kept in sorted(range(2 ** len(both)), key=lambda n: bin(n).count("1")):
        spelt = [
            UNIT_ABBREVIATIONS[word]
            if i in always or (i in both and not kept >> both.index(i) & 1)
            else word
            for i, word in enumerate(words)
        ]
        found.append(" ".join(spelt))
    return list(dict.fromkeys(found))
