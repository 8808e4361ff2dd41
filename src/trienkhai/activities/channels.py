"""The register of the organisation's own official channels (kênh thông tin chính thức:
websites, its own social-media pages, radio and loudspeakers) and the number of items
each published per period, as its managing unit counts them (issue 16 item 4;
docs/decisions/0041-pledges-and-channels.md).

The boundary, which is not negotiable: only the organisation's own channels and its own
counts, typed or imported by the managing unit. Nothing here opens a channel's address,
fetches, reads, collects or watches any content — the organisation's or anyone else's —
and no account of any platform is managed. An address is text written down.

Writes (keyword-only ``acting_user``, CHANGE on the managing unit, one transaction):
``register_channel``, ``change_channel``, ``record_post_counts`` (all rows or none),
``remove_channel``, ``remove_post_count`` (not while a sent report reads them: ``locks``).
Reads: VIEW on the unit. The figures are a ``FigureSource`` named "channels".
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy

from trienkhai.accounts import policy
from trienkhai.activities.locks import deleting
from trienkhai.activities.models import Channel, PostCount
from trienkhai.common.actors import Actor, user_of
from trienkhai.common.errors import BadInput, Conflict, NotFound
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.reporting import periods
from trienkhai.reporting.register_sources import RegisterSource, zeroes
from trienkhai.reporting.sources import Figure, Values
from trienkhai.vn.numbers import format_number, parse_number
from trienkhai.vn.text import nfc

LINKED = {Channel.Kind.WEBSITE, Channel.Kind.SOCIAL_PAGE}
"""Kinds whose address is a URL (http or https): checked for its form, never opened."""
MAX_POSTS = 1_000_000
"""More items than this in one period is a typing slip."""


def address_key(kind: str, address: str) -> str:
    """What makes two addresses of a linked channel the same: no scheme, no "www.", no
    final "/", lower case. Radio and other channels have none (two communes' radios may
    be written alike)."""
    if kind not in LINKED:
        return ""
    text = address.strip().lower()
    for scheme in ("https://", "http://"):
        text = text.removeprefix(scheme)
    return text.removeprefix("www.").rstrip("/")


def _audited(instance, acting_user: Actor):
    user = user_of(acting_user)
    if user is not None:
        instance._history_user = user
    return instance


def _check(kind: str, name: str, address: str, start: dt.date, end: dt.date | None) -> None:
    if kind not in Channel.Kind.values:
        raise BadInput(
            "invalid_kind",
            f"Loại kênh không hợp lệ / invalid kind: {kind!r} ({', '.join(Channel.Kind.values)})",
        )
    if not name:
        raise BadInput("missing_name", "Cần tên kênh / a name is required")
    if len(name) > 300:
        raise BadInput("too_long", "Tên dài quá 300 ký tự / the name is at most 300 characters")
    if len(address) > 500:
        raise BadInput(
            "too_long", "Địa chỉ dài quá 500 ký tự / the address is at most 500 characters"
        )
    if kind in LINKED:
        try:
            URLValidator(schemes=["http", "https"])(address)
        except ValidationError:
            raise BadInput(
                "invalid_address",
                f"Cần địa chỉ http(s) của trang / a website or page needs its http(s) "
                f"address: {address!r}",
            ) from None
    if end is not None and end < start:
        raise BadInput(
            "invalid_dates",
            "Ngày ngừng hoạt động trước ngày bắt đầu / the last active day is before the first",
        )


def _unit_lives(unit: Unit, start: dt.date) -> None:
    """A channel starts while its managing unit exists (it ends with the unit)."""
    if unit.last_day is not None and start > unit.last_day:
        raise BadInput(
            "unit_ended",
            f"{unit.code} đã kết thúc ngày {unit.last_day:%d/%m/%Y}, trước ngày bắt đầu của "
            f"kênh / {unit.code} ended on {unit.last_day.isoformat()}, before the channel began",
        )


def _unique(channel: Channel) -> None:
    if not channel.address_key:
        return
    other = Channel.objects.filter(address_key=channel.address_key).exclude(pk=channel.pk).first()
    if other is not None:
        raise Conflict(
            "duplicate_channel",
            f"Địa chỉ này đã có trong sổ (kênh {other.pk}) / this address is registered "
            f"already (channel {other.pk})",
        )


def register_channel(
    *,
    acting_user: Actor,
    unit: Unit,
    kind: str,
    name: str,
    address: str = "",
    active_from: dt.date,
    active_to: dt.date | None = None,
) -> Channel:
    """A new channel managed by ``unit``."""
    policy.require(acting_user, policy.Action.CHANGE, unit)
    name, address = nfc(name).strip(), address.strip()
    _check(kind, name, address, active_from, active_to)
    _unit_lives(unit, active_from)
    channel = Channel(
        unit=unit,
        kind=kind,
        name=name,
        address=address,
        address_key=address_key(kind, address),
        active_from=active_from,
        active_to=active_to,
        created_by=user_of(acting_user),
    )
    _unique(channel)
    try:
        with transaction.atomic():
            _audited(channel, acting_user).save()
    except IntegrityError:
        raise Conflict(
            "duplicate_channel", "Địa chỉ này đã có trong sổ / this address is registered already"
        ) from None
    return channel


def change_channel(*, acting_user: Actor, channel: Channel, **changes) -> Channel:
    """Change a channel's ``kind``, ``name``, ``address``, ``active_from`` or ``active_to``
    (None: still active). Its counts stay; one outside the new active days is refused."""
    policy.require(acting_user, policy.Action.CHANGE, channel.unit)
    allowed = {"kind", "name", "address", "active_from", "active_to"}
    unknown = set(changes) - allowed
    if unknown:
        raise BadInput("invalid_fields", f"Không sửa được / cannot change: {sorted(unknown)}")
    kind = changes.get("kind", channel.kind)
    name = nfc(changes.get("name", channel.name)).strip()
    address = changes.get("address", channel.address).strip()
    start = changes.get("active_from", channel.active_from)
    end = changes.get("active_to", channel.active_to)
    _check(kind, name, address, start, end)
    _unit_lives(channel.unit, start)
    outside = channel.post_counts.filter(Q(end__lt=start) | Q(start__gt=end or dt.date.max))
    if outside.exists():
        raise BadInput(
            "counts_outside",
            "Đã có số tin, bài ngoài thời gian hoạt động mới: "
            + ", ".join(outside.values_list("period", flat=True))
            + " / counts exist outside the new active days",
        )
    channel.kind, channel.name, channel.address = kind, name, address
    channel.address_key = address_key(kind, address)
    channel.active_from, channel.active_to = start, end
    channel.modified = timezone.now()
    _unique(channel)
    try:
        with transaction.atomic():
            _audited(channel, acting_user).save()
    except IntegrityError:
        raise Conflict(
            "duplicate_channel", "Địa chỉ này đã có trong sổ / this address is registered already"
        ) from None
    return channel


def remove_channel(*, acting_user: Actor, channel: Channel) -> None:
    """Delete a channel registered by mistake, with its counts, each deletion in its
    history (who, when). Refused (409 ``read_by_report``, ``locks``) while a submitted or
    approved report reads the channels or posts of its unit over its active days."""
    policy.require(acting_user, policy.Action.CHANGE, channel.unit)
    last = channel.last_day or timezone.localdate()
    with deleting("kênh", (ACTIVE, POSTS), channel.unit, channel.active_from, last):
        for count in channel.post_counts.all():
            _audited(count, acting_user).delete()
        _audited(channel, acting_user).delete()


def remove_post_count(*, acting_user: Actor, channel: Channel, period: str) -> None:
    """Delete a channel's count of ``period`` (its id, or as typed: 01/2020, 2020Q1),
    in its history. 404 when there is none; refused (409 ``read_by_report``) while a
    submitted or approved report reads the unit's posts over that period."""
    policy.require(acting_user, policy.Action.CHANGE, channel.unit)
    found = read_period(period)
    count = channel.post_counts.filter(period=found.id).first()
    if count is None:
        raise NotFound("số tin, bài của kỳ / the count of period", period)
    with deleting("số tin, bài", (POSTS,), channel.unit, count.start, count.end):
        _audited(count, acting_user).delete()


@dataclass(frozen=True)
class PostCountRow:
    """One count as typed: ``period`` (202001, 2020Q1, 2020S1, 2020, or 01/2020 for a
    month) and ``posts`` (a whole number, "1.234" as Vietnamese write it)."""

    period: str
    posts: str
    line: int = 0


def _problem(row: int, column: str, vi: str, en: str) -> dict:
    return {"row": row, "column": column, "problem": f"{vi} / {en}"}


def _overlaps(channel: Channel, period: periods.Period) -> bool:
    """Whether ``channel`` was active on some day of ``period`` (its managing unit's
    end ends it too: ``Channel.last_day``)."""
    last = channel.last_day
    return channel.active_from <= period.end and (last is None or period.start <= last)


def read_period(text: str) -> periods.Period:
    """A period id, or a month written mm/yyyy ("01/2020", "Tháng 01/2020" without the word)."""
    text = text.strip()
    if "/" in text:
        month, _, year = text.partition("/")
        if month.strip().isdigit() and year.strip().isdigit():
            text = f"{year.strip()}{int(month):02d}"
    return periods.parse(text)


def _posts(text: str) -> int | None:
    try:
        number = parse_number(text.strip())
    except (ValueError, InvalidOperation):
        return None
    if number != number.to_integral_value() or not 0 <= number <= MAX_POSTS:
        return None
    return int(number)


def record_post_counts(
    *, acting_user: Actor, channel: Channel, rows: Sequence[PostCountRow]
) -> int:
    """Record how many items ``channel`` published per period; the number of counts saved.

    A count of a period already recorded replaces it. Refused row by row, and then
    nothing is saved: a period that is not one, not begun yet or outside the channel's
    active days; a number that is not a whole number from 0; the same period twice; a
    period overlapping another count of the channel (a month and its quarter would count
    twice)."""
    policy.require(acting_user, policy.Action.CHANGE, channel.unit)
    if not rows:
        raise BadInput("empty_list", "Danh sách số tin, bài trống / the list of counts is empty")
    today = timezone.localdate()
    existing = {c.period: c for c in channel.post_counts.all()}
    problems: list[dict] = []
    checked: list[tuple[periods.Period, int, int]] = []
    seen: dict[str, int] = {}
    for place, row in enumerate(rows, start=1):
        number = row.line or place
        found: list[dict] = []
        period: periods.Period | None = None
        try:
            period = read_period(row.period)
        except BadInput:
            found.append(
                _problem(
                    number,
                    "period",
                    f"Kỳ không hợp lệ: {row.period!r} (202001, 01/2020, 2020Q1, 2020S1, 2020)",
                    f"invalid period: {row.period!r}",
                )
            )
        if period is not None:
            if period.start > today:
                found.append(
                    _problem(
                        number, "period", f"Kỳ {period.id} chưa đến", f"{period.id} has not begun"
                    )
                )
            elif not _overlaps(channel, period):
                found.append(
                    _problem(
                        number,
                        "period",
                        f"Kênh không hoạt động trong kỳ {period.id}",
                        f"the channel was not active in {period.id}",
                    )
                )
            earlier = seen.setdefault(period.id, number)
            if earlier != number:
                found.append(
                    _problem(
                        number,
                        "period",
                        f"Trùng kỳ với dòng {earlier}",
                        f"the same period as row {earlier}",
                    )
                )
            overlapping = [
                other_id
                for other_id, other in existing.items()
                if other_id != period.id and other.start <= period.end and period.start <= other.end
            ]
            if overlapping:
                found.append(
                    _problem(
                        number,
                        "period",
                        f"Kỳ {period.id} trùng thời gian với số đã nhập của kỳ "
                        + ", ".join(overlapping),
                        f"{period.id} overlaps the counts of " + ", ".join(overlapping),
                    )
                )
        posts = _posts(row.posts)
        if posts is None:
            found.append(
                _problem(
                    number,
                    "posts",
                    f"Số tin, bài phải là số nguyên từ 0 đến {format_number(MAX_POSTS)}",
                    f"the count must be a whole number from 0 to {MAX_POSTS:,}",
                )
            )
        if found:
            problems.extend(found)
        elif period is not None and posts is not None:
            checked.append((period, posts, number))
    # Periods of one list that overlap each other (a month and its quarter).
    for i, (period, _, number) in enumerate(checked):
        for before, _n, _line in checked[:i]:
            if before.start <= period.end and period.start <= before.end:
                problems.append(
                    _problem(
                        number,
                        "period",
                        f"Kỳ {period.id} và {before.id} trùng thời gian",
                        f"{period.id} and {before.id} overlap",
                    )
                )
    if problems:
        raise BadInput(
            "invalid_rows",
            f"Danh sách có {len(problems)} lỗi, chưa lưu gì / "
            f"{len(problems)} problems in the list, nothing saved",
            details=problems,
        )
    user = user_of(acting_user)
    now = timezone.now()
    try:
        with transaction.atomic():
            for period, posts, _ in checked:
                count = existing.get(period.id) or PostCount(
                    channel=channel, period=period.id, start=period.start, end=period.end
                )
                if count.pk is not None and count.posts == posts:
                    continue
                count.posts, count.modified, count.modified_by = posts, now, user
                _audited(count, acting_user).save()
    except IntegrityError:
        raise Conflict(
            "concurrent_list",
            "Một danh sách khác vừa được lưu cùng lúc, chưa lưu gì: hãy gửi lại / "
            "another list was saved at the same time, nothing saved: send it again",
        ) from None
    return len(checked)


# Reads -------------------------------------------------------------------------------


def as_dict(channel: Channel, *, with_counts: bool = False) -> dict:
    found = {
        "id": channel.pk,
        "unit": channel.unit.code,
        "kind": channel.kind,
        "name": channel.name,
        "address": channel.address,
        "active_from": channel.active_from,
        "active_to": channel.active_to,
    }
    if with_counts:
        found["counts"] = [
            {"period": c.period, "start": c.start, "end": c.end, "posts": c.posts}
            for c in channel.post_counts.all()
        ]
    return found


def of_subtree(unit: Unit, day: dt.date | None = None) -> list[Channel]:
    """The channels managed in ``unit``'s subtree on ``day`` (today), active or not."""
    day = unit.reference_date(day)
    subtree = [u for u, _ in queries.descendant_ids(unit.pk, day)]
    return list(Channel.objects.filter(unit_id__among=subtree).select_related("unit"))


def posts_within(channel_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[int, int]:
    """channel id → the items counted for the periods lying wholly within ``start``–``end``
    (as the figure ``act_posts_published`` reads them); channels without any: absent."""
    found = (
        PostCount.objects.filter(channel_id__in=channel_ids, start__gte=start, end__lte=end)
        .values("channel_id")
        .annotate(n=Sum("posts"))
        .values_list("channel_id", "n")
    )
    return {channel: int(n) for channel, n in found}


def count_years(unit: Unit) -> list[int]:
    """The years of the counts of the channels managed in ``unit``'s subtree, latest
    first: the years a page offers."""
    subtree = [u for u, _ in queries.descendant_ids(unit.pk, unit.reference_date())]
    days = PostCount.objects.filter(channel__unit_id__among=subtree).dates("start", "year")
    return sorted({day.year for day in days}, reverse=True)


# Figures (decision 0039's seam) ------------------------------------------------------

ACTIVE = "act_channels_active"
POSTS = "act_posts_published"

FIGURES = (
    Figure(
        ACTIVE,
        "Số kênh thông tin chính thức đang hoạt động (cuối kỳ)",
        "Official channels active (at the period's end)",
        "kênh",
    ),
    Figure(POSTS, "Số tin, bài đã đăng trên kênh chính thức", "Items published", "tin, bài"),
)


def subtrees_figures(
    codes: Sequence[str],
    subtrees: Mapping[int, Sequence[int]],
    start: dt.date,
    end: dt.date,
    options: Mapping[str, Sequence[str]] | None = None,
) -> Values:
    """(code, option, key) → the figure over the channels managed by the units of each
    subtree (key → unit ids); every asked key is answered (an option: 0)."""
    options = options or {}
    result = zeroes(codes, subtrees, options)
    everyone = sorted({u for units in subtrees.values() for u in units})
    per_unit: dict[str, dict[int, int]] = {ACTIVE: {}, POSTS: {}}
    if ACTIVE in codes:
        active = (
            Channel.objects.filter(unit_id__among=everyone, active_from__lte=end)
            .filter(Q(active_to__isnull=True) | Q(active_to__gte=end))
            # Its managing unit still there on the day (Channel.last_day): a unit that
            # ended and was carried onto its successor brings its posts, not its channels.
            .filter(Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gt=end))
            .values("unit_id")
            .annotate(n=Count("id"))
            .values_list("unit_id", "n")
        )
        per_unit[ACTIVE] = dict(active)
    if POSTS in codes:
        posts = (
            PostCount.objects.filter(
                channel__unit_id__among=everyone, start__gte=start, end__lte=end
            )
            .values("channel__unit_id")
            .annotate(n=Sum("posts"))
            .values_list("channel__unit_id", "n")
        )
        per_unit[POSTS] = dict(posts)
    for key, units in subtrees.items():
        for code in (ACTIVE, POSTS):
            if code in codes:
                result[(code, "", key)] = Decimal(sum(per_unit[code].get(u, 0) for u in units))
    return result


SOURCE = RegisterSource(
    name="channels",
    figures=FIGURES,
    note=gettext_lazy("Đếm từ sổ kênh thông tin chính thức"),
    count=subtrees_figures,
)
"""Counts the channels managed in a subtree (on ``day``) that are active on the
span's last day, and the items counted for the periods that lie wholly within the
span (a year's count is not split into its months)."""
