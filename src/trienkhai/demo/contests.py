"""Kiên Giang's 2022 writing contest at full size (shared/seeds/002): 6.450 entries, two
rounds, 35 judges, 16 individual prizes and 21 entries forwarded to the central contest.

The source gives the counts; everything else is made up as an illustration: the dates,
the rubric, the authors, the titles and the texts, the judges and their scores. The
contest is held by Tỉnh ủy Kiên Giang (its Steering Committee 35 has no unit of its own
in the demo); the entries come from Vĩnh Thuận's Party bodies, the only district the
demo has, and the provincial bodies.

- Round 1 (Sơ khảo): two judges per entry among gk01–gk30, assigned by the service
  (min-cost flow, decision 0052: no judge reads an entry of their own unit or of the
  unit under it), every reading scored; closed.
- Round 2 (Chung khảo): the 150 best of round 1, advanced by the organiser once round 1
  closed (decision 0061), three judges each among ck01–ck05 (of the provincial
  Propaganda Board), assigned by the service; scored and closed; the prizes drawn down
  its ranking (decision 0056).

Scores are simulated: each entry has a merit, each judge a severity and a spread of their
own, each reading some noise; so the raw and normalised rankings differ a little, and a
few entries split their judges (decision 0053). Seeded: the same every time.

Built with bulk writes (entries, files, sheets): the service for each would take minutes.
"""

import datetime as dt
import functools
import hashlib
import io
import random
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from trienkhai.accounts.models import RoleAssignment, User
from trienkhai.common.actors import DEMO
from trienkhai.contests import services
from trienkhai.contests.models import (
    Advancement,
    Assignment,
    Contest,
    Entry,
    Judge,
    Round,
    Score,
)
from trienkhai.demo.people import MAIL_DOMAIN, PASSWORD
from trienkhai.documents import attachments
from trienkhai.orgs.models import Unit

TITLE = (
    "Cuộc thi viết về bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan "
    "điểm sai trái, thù địch năm 2022"
)
OPENS = dt.date(2022, 4, 1)
CLOSES = dt.date(2022, 8, 31)
ENTRIES = 6450
FINALISTS = 150
"""Entries of round 1 that go on to round 2 (the source does not say: an illustration)."""
PRIZES = [("Giải Nhất", 1), ("Giải Nhì", 3), ("Giải Ba", 5), ("Giải Khuyến khích", 7)]
"""16 individual prizes, as the source counts them; their split is made up."""
FORWARDED = 21
SEED = 2022

ORGANISER = ("tk.cuocthi", "Dương Thị Ngọc Hân", "manager", "TU-KG")
"""The organising secretariat's log-in: manages Tỉnh ủy Kiên Giang's contest."""
FIRST_ROUND_JUDGES = 30
FINAL_JUDGES = 5

CRITERIA = [
    ("Nội dung, tư tưởng", Decimal(5), Decimal(10)),
    ("Lập luận, dẫn chứng", Decimal(3), Decimal(10)),
    ("Hình thức, văn phong", Decimal(2), Decimal(10)),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng",
          "Đỗ", "Ngô", "Hồ", "Dương", "Lâm", "Danh", "Thạch", "Châu", "Lý", "Tô"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Hoàng", "Ngọc", "Quốc", "Hữu", "Kim", "Thị Mỹ",
          "Thị Thu", "Công", "Trung", "Bảo"]  # fmt: skip
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng",
         "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Nhung", "Phong",
         "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Tuấn", "Vân", "Yến",
         "Lộc", "Sang", "Sóc", "Thy", "Duyên"]  # fmt: skip

OPENINGS = ["Giữ vững niềm tin", "Vững bước dưới cờ Đảng", "Ngọn lửa niềm tin",
            "Sức mạnh từ nhân dân", "Niềm tin và trách nhiệm", "Sợi chỉ đỏ xuyên suốt",
            "Từ một chi bộ", "Điểm tựa của niềm tin", "Người giữ lửa", "Lời Bác dặn",
            "Tiếng nói chính thống", "Trách nhiệm người đảng viên", "Một lòng theo Đảng",
            "Bản lĩnh và niềm tin", "Đồng lòng", "Nền tảng vững chắc"]  # fmt: skip
SUBJECTS = ["ở vùng đất U Minh Thượng", "của người đảng viên trẻ", "nơi biên giới biển",
            "trong thời đại số", "của cán bộ cơ sở", "từ những câu chuyện đời thường",
            "trước những thông tin sai lệch", "của tuổi trẻ Kiên Giang",
            "trong xây dựng nông thôn mới", "của đồng bào Khmer", "ở mỗi chi bộ ấp",
            "trong phòng, chống dịch COVID-19"]  # fmt: skip
SENTENCES = [
    "Nghị quyết 35-NQ/TW của Bộ Chính trị đã được triển khai sâu rộng đến từng chi bộ.",
    "Mỗi cán bộ, đảng viên là một tuyên truyền viên tích cực ở nơi mình sinh sống.",
    "Những thông tin chính thống cần đến với người dân nhanh hơn, gần gũi hơn.",
    "Ở ấp tôi, buổi sinh hoạt chi bộ hằng tháng luôn dành thời gian trao đổi thời sự.",
    "Người dân tin Đảng khi thấy những việc làm cụ thể, thiết thực ở địa phương.",
    "Con đường nông thôn mới được bê tông hóa nhờ sức dân và sự đồng lòng của cả ấp.",
    "Tuổi trẻ cần được trang bị kỹ năng nhận diện và kiểm chứng thông tin trên mạng.",
    "Cán bộ cơ sở lắng nghe, đối thoại với dân là cách thuyết phục bền vững nhất.",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh phải thành nếp.",
    "Trang thông tin của xã cập nhật kịp thời các chủ trương, chính sách mới.",
    "Những tấm gương người tốt, việc tốt lan tỏa mạnh mẽ hơn mọi lời nói.",
    "Trong đại dịch, lực lượng tuyến đầu đã khẳng định bản lĩnh của người đảng viên.",
    "Câu lạc bộ lý luận chính trị là nơi đoàn viên trẻ tranh luận và trưởng thành.",
    "Niềm tin của nhân dân là nền tảng, là sức mạnh của khối đại đoàn kết.",
    "Mỗi bài viết đúng, hay là một đóng góp vào việc bảo vệ nền tảng tư tưởng.",
    "Đồng bào Khmer cùng chung tay giữ gìn sự bình yên của phum sóc.",
    "Ngư dân vươn khơi bám biển cũng là góp phần khẳng định chủ quyền.",
    "Công tác giáo dục chính trị tư tưởng cần đổi mới cả nội dung và hình thức.",
    "Người đứng đầu cấp ủy phải gương mẫu, nói đi đôi với làm.",
    "Sự thật và những kết quả cụ thể là câu trả lời thuyết phục nhất.",
    "Nhà văn hóa ấp trở thành nơi sinh hoạt cộng đồng sôi nổi mỗi tối cuối tuần.",
    "Tinh thần tự học, tự rèn luyện là điều mỗi cán bộ trẻ cần giữ mãi.",
    "Mạng xã hội là không gian để lan tỏa những câu chuyện đẹp về quê hương.",
    "Sự đoàn kết trong chi bộ quyết định sức chiến đấu của tổ chức cơ sở đảng.",
]


def load() -> list[tuple[str, ...]]:
    """The contest, its judges and its two rounds; the log-ins of the organiser and two
    judges (the others, gk03–gk30 and ck01–ck05, take the same password)."""
    if Contest.objects.filter(title=TITLE).exists():
        return _logins()
    rng = random.Random(SEED)
    units = _entry_units()
    organiser = _organiser()
    contest = services.create_contest(
        acting_user=DEMO,
        unit=Unit.objects.get(code="TU-KG"),
        title=TITLE,
        opens=OPENS,
        closes=CLOSES,
        rounds=[services.RoundInput("Sơ khảo", 2), services.RoundInput("Chung khảo", 3)],
        criteria=[services.CriterionInput(n, w, m) for n, w, m in CRITERIA],
    )
    contest.created_by = organiser
    contest.save(update_fields=["created_by"])
    first, final = contest.rounds.order_by("number")
    judges = _judges(contest, first, final, units)
    entries = _entries(contest, units, organiser, rng)
    services.assign_round(acting_user=DEMO, contest=contest, round=first)
    merit = {e.pk: rng.gauss(0, 1) for e in entries}
    _score(first, judges, merit, rng)
    _close(contest, first, organiser)
    _advance(contest, first, final, organiser)
    _score(final, judges, merit, rng)
    _close(contest, final, organiser)
    _results(contest, final, organiser)
    return _logins()


def _logins() -> list[tuple[str, ...]]:
    return [
        (ORGANISER[0], PASSWORD, ORGANISER[2], f"{ORGANISER[3]} (Ban tổ chức cuộc thi)"),
        ("gk01", PASSWORD, "viewer", "giám khảo vòng Sơ khảo (gk01–gk30)"),
        ("ck01", PASSWORD, "viewer", "giám khảo vòng Chung khảo (ck01–ck05)"),
    ]


def _entry_units() -> list[Unit]:
    """Where entries come from, each with its weight: the communes most, then the
    district's agencies, a few from the district and provincial bodies."""
    codes = ["TU-KG", "HU-VT", "BTGHU-VT"]
    found = list(
        Unit.objects.filter(code__startswith="DU-VT-")
        | Unit.objects.filter(code__startswith="CB-VT-")
    )
    return [*Unit.objects.filter(code__in=codes), *sorted(found, key=lambda u: u.code)]


def _organiser() -> User:
    username, full_name, role, code = ORGANISER
    user = _users([(username, full_name)])[0]
    RoleAssignment.objects.get_or_create(user=user, unit=Unit.objects.get(code=code), role=role)
    return user


def _users(people: list[tuple[str, str]]) -> list[User]:
    """Demo users with the demo password, hashed once for all (the hasher is slow on
    purpose: 36 hashes would add half a minute)."""
    hashed = _hashed()
    found = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in people])}
    User.objects.bulk_create(
        User(username=u, full_name=n, email=f"{u}@{MAIL_DOMAIN}", password=hashed)
        for u, n in people
        if u not in found
    )
    found = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in people])}
    return [found[u] for u, _ in people]


@functools.cache
def _hashed() -> str:
    return make_password(PASSWORD)


def _judges(
    contest: Contest, first: Round, final: Round, units: list[Unit]
) -> dict[int, list[Judge]]:
    """gk01–gk30 judge round 1, viewers of a commune, an agency or the province (so that
    the assignment has conflicts to keep); ck01–ck05, of the provincial Propaganda Board
    (BTGTU-KG, the commendations' demo makes it), judge round 2: a board under the
    organiser reads the organiser's entries and the district's alike (decision 0052's
    rule keeps only a unit and its parent apart)."""
    rng = random.Random(SEED + 1)
    people = [(f"gk{n:02d}", _person(rng)) for n in range(1, FIRST_ROUND_JUDGES + 1)]
    people += [(f"ck{n:02d}", _person(rng)) for n in range(1, FINAL_JUDGES + 1)]
    users = _users(people)
    province = next(u for u in units if u.code == "TU-KG")
    below = [u for u in units if u.code.startswith(("DU-VT-", "CB-VT-"))]
    board = Unit.objects.get(code="BTGTU-KG")
    homes = [below[n % len(below)] for n in range(20)] + [province] * 10 + [board] * 5
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, unit=home, role="viewer")
        for user, home in zip(users, homes, strict=True)
    )
    made = Judge.objects.bulk_create(
        Judge(contest=contest, round=first if n < FIRST_ROUND_JUDGES else final, user=user)
        for n, user in enumerate(users)
    )
    return {
        first.pk: [j for j in made if j.round_id == first.pk],
        final.pk: [j for j in made if j.round_id == final.pk],
    }


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _entries(
    contest: Contest, units: list[Unit], organiser: User, rng: random.Random
) -> list[Entry]:
    """6.450 entries, each a small .docx of its own (its properties name the author: the
    judges' copy drops them), received over the contest's five months."""
    weights = [20 if u.code.startswith("DU-VT-") else 4 for u in units]
    days = (CLOSES - OPENS).days
    rows = []
    seen: set[str] = set()
    for number in range(1, ENTRIES + 1):
        author = _person(rng)
        title = f"{rng.choice(OPENINGS)} {rng.choice(SUBJECTS)}"
        while True:
            body = rng.sample(SENTENCES, 6)
            data = _docx(title, body, author)
            digest = hashlib.sha256(data).hexdigest()
            if digest not in seen:
                seen.add(digest)
                break
        path = _store(data, digest)
        received = dt.datetime.combine(
            OPENS + dt.timedelta(days=days * number // ENTRIES), dt.time(8 + number % 9)
        )
        rows.append(
            Entry(
                contest=contest,
                number=number,
                title=title,
                author_name=author,
                unit=rng.choices(units, weights)[0],
                file_name=f"{author}.docx",
                path=path,
                size=len(data),
                sha256=digest,
                received_at=timezone.make_aware(received),
                received_by=organiser,
            )
        )
        rows[-1]._history_date = rows[-1].received_at  # type: ignore[attr-defined]
    # Each with its "created" history row, as the service writes one (dated when received).
    return bulk_create_with_history(rows, Entry, batch_size=1000, default_user=organiser)


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body>{paragraphs}</w:body></w:document>"
)
CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/">'
    "<dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
    "</cp:coreProperties>"
)


def _docx(title: str, body: list[str], author: str) -> bytes:
    """The smallest .docx Word and python-docx open: four parts, its properties naming
    the author (as an office's Word writes them; the judges' copy drops them). Made by
    hand: python-docx's default document carries 30 kB of styles, and deflating them
    6.450 times took two minutes."""
    paragraphs = "".join(
        f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>" for text in [title, *body]
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", CONTENT_TYPES)
        target.writestr("_rels/.rels", RELATIONSHIPS)
        target.writestr("word/document.xml", DOCUMENT.format(paragraphs=paragraphs))
        target.writestr("docProps/core.xml", CORE.format(author=escape(author)))
    return out.getvalue()


def _store(data: bytes, digest: str) -> str:
    """Where the documents' blob store keeps a file (by digest), written at once: the
    store's own writer goes through a temporary file for concurrent uploads, which cost
    10 s over 6.450 files and which a demo loading alone does not need."""
    relative = f"{attachments.FOLDER}/{digest[:2]}/{digest}"
    target = Path(settings.MEDIA_ROOT) / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return relative


class Judging:
    """How one judge scores: a severity (points added to each criterion) and a spread."""

    def __init__(self, rng: random.Random) -> None:
        self.severity = rng.gauss(0, 0.6)
        self.spread = rng.uniform(0.7, 1.3)


IMPRESSION = 0.5
"""How far one reading's impression of an entry strays from its merit (in standard
deviations of merit): some 40 of 6.450 entries then split their two judges by more than
0053's threshold, as in the bench's simulated round."""


def _sheet(merit: float, judging: Judging, rng: random.Random) -> tuple[dict[str, str], Decimal]:
    values: dict[str, str] = {}
    total = Decimal(0)
    seen = merit + rng.gauss(0, IMPRESSION)
    for name, weight, top in CRITERIA:
        raw = 6.5 + judging.spread * 1.3 * seen + judging.severity + rng.gauss(0, 0.6)
        score = Decimal(min(max(round(raw * 4) / 4, 0), float(top))).quantize(Decimal("0.01"))
        values[name] = str(score.normalize())
        total += weight * score
    return values, total


def _score(round: Round, judges: dict[int, list[Judge]], merit: dict[int, float], rng) -> None:
    how = {j.pk: Judging(rng) for j in judges[round.pk]}
    users = {j.pk: j.user for j in judges[round.pk]}
    pairs = Assignment.objects.filter(round=round).values_list("entry_id", "judge_id")
    sheets = list(_sheets(round, pairs, how, merit, rng))
    for sheet in sheets:  # the history says which judge sent it, and when
        sheet._history_user = users[sheet.judge_id]  # type: ignore[attr-defined]
        sheet._history_date = sheet.modified  # type: ignore[attr-defined]
    bulk_create_with_history(sheets, Score, batch_size=2000)


SCORED = {1: dt.date(2022, 9, 10), 2: dt.date(2022, 10, 1)}
"""When each round's sheets were sent; each round closed five days later (made up)."""


def _close(contest: Contest, round: Round, organiser: User) -> None:
    closed = services.close_round(acting_user=organiser, contest=contest, round=round)
    day = SCORED[round.number] + dt.timedelta(days=5)
    closed.closed_at = timezone.make_aware(dt.datetime.combine(day, dt.time(17)))
    closed.save(update_fields=["closed_at"])
    round.closed_at = closed.closed_at


def _sheets(round, pairs, how, merit, rng) -> Iterator[Score]:
    modified = timezone.make_aware(dt.datetime.combine(SCORED[round.number], dt.time(16)))
    for entry_id, judge_id in pairs.iterator():
        values, total = _sheet(merit[entry_id], how[judge_id], rng)
        yield Score(
            round=round,
            entry_id=entry_id,
            judge_id=judge_id,
            values=values,
            total=total,
            modified=modified,
        )


def _advance(contest: Contest, first: Round, final: Round, organiser: User) -> None:
    """Round 2: the 150 best of round 1, advanced the day after it closed, then assigned
    three of the five final judges each by the service (decision 0061)."""
    services.advance_entries(acting_user=organiser, contest=contest, round=first, count=FINALISTS)
    assert first.closed_at is not None
    Advancement.objects.filter(round=final).update(created=first.closed_at + dt.timedelta(days=1))
    services.assign_round(acting_user=organiser, contest=contest, round=final)


def _results(contest: Contest, final: Round, organiser: User) -> None:
    """16 prizes down the final ranking and 21 forwarded, when the results service is
    there (decision 0056)."""
    try:
        from trienkhai.contests import results
    except ImportError:
        return
    results.set_prizes(
        acting_user=organiser,
        contest=contest,
        round=final,
        prizes=[results.PrizeInput(name, count) for name, count in PRIZES],
        forward_quota=FORWARDED,
    )
    results.draw_results(acting_user=organiser, contest=contest, round=final)
