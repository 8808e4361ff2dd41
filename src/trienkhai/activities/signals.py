"""The tallies (decision 0055) follow events and attendances saved or deleted one at a
time: a check-in, an attendance taken back, an event created, a cascade. Signals, since
the tallies are a cache of the register; an attendance list written in bulk calls
``tallies.add_attendances`` itself (no signal is sent for it)."""

from django.db.models.signals import post_delete, post_save, pre_save

from trienkhai.activities import tallies
from trienkhai.activities.models import Attendance, Event

_COUNTED = ("organiser_id", "start", "kind")
_PRESENT = ("organiser_id", "date", "person_id", "audience")


def _event_before(sender, instance: Event, raw=False, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"organiser", "start", "kind"} & set(update_fields):
        return
    before = Event.objects.filter(pk=instance.pk).values_list(*_COUNTED).first()
    instance._tallied = before  # type: ignore[attr-defined]


def _event_saved(sender, instance: Event, created: bool, raw=False, **kwargs) -> None:
    if raw:
        return
    now = tuple(getattr(instance, name) for name in _COUNTED)
    before = getattr(instance, "_tallied", None)
    instance._tallied = None  # type: ignore[attr-defined]
    if created:
        tallies.add_events([now])
    elif before is not None and before != now:
        tallies.add_events([before], sign=-1)
        tallies.add_events([now])


def _event_deleted(sender, instance: Event, **kwargs) -> None:
    tallies.add_events([tuple(getattr(instance, name) for name in _COUNTED)], sign=-1)


def _attendance_before(sender, instance: Attendance, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    before = Attendance.objects.filter(pk=instance.pk).values_list(*_PRESENT).first()
    instance._tallied = before  # type: ignore[attr-defined]


def _attendance_saved(sender, instance: Attendance, created: bool, raw=False, **kwargs) -> None:
    if raw:
        return
    now = tuple(getattr(instance, name) for name in _PRESENT)
    before = getattr(instance, "_tallied", None)
    instance._tallied = None  # type: ignore[attr-defined]
    if created:
        tallies.add_attendances([now])
    elif before is not None and before != now:
        tallies.remove_attendance(*before)
        tallies.add_attendances([now])


def _attendance_deleted(sender, instance: Attendance, **kwargs) -> None:
    tallies.remove_attendance(*(getattr(instance, name) for name in _PRESENT))


def connect() -> None:
    uid = "activities.tallies"
    pre_save.connect(_event_before, sender=Event, dispatch_uid=f"{uid}.event_before")
    post_save.connect(_event_saved, sender=Event, dispatch_uid=f"{uid}.event_saved")
    post_delete.connect(_event_deleted, sender=Event, dispatch_uid=f"{uid}.event_deleted")
    pre_save.connect(_attendance_before, sender=Attendance, dispatch_uid=f"{uid}.att_before")
    post_save.connect(_attendance_saved, sender=Attendance, dispatch_uid=f"{uid}.att_saved")
    post_delete.connect(_attendance_deleted, sender=Attendance, dispatch_uid=f"{uid}.att_deleted")
