"""Rows read by hand (``common.rows``): the instance the ORM would make, made cheaper
where nothing hooks into the making of a model, and the ORM's way where something does."""

from django.db.models.signals import post_init

from tests import factories as f
from trienkhai.common import rows
from trienkhai.orgs.models import Unit


def _read(code: str) -> Unit:
    found = rows.fetch(
        f"SELECT {rows.columns(Unit, 'u')} FROM {rows.table(Unit)} u"
        f" WHERE u.{rows.column(Unit, 'code')} = %s",
        [code],
    )
    return rows.instance(Unit, found[0])


def test_it_makes_the_instance_the_orm_makes(db):
    f.make_unit("X1", name="Xã một")
    read, orm = _read("X1"), Unit.objects.get(code="X1")
    assert type(read) is Unit
    for field in Unit._meta.concrete_fields:
        got, want = getattr(read, field.attname), getattr(orm, field.attname)
        assert (got, type(got)) == (want, type(want)), field.attname
    assert read._state.adding is False and read._state.db == orm._state.db
    assert read == orm and read.get_deferred_fields() == set()
    assert list(read.versions.all()) == list(orm.versions.all())  # relations work


def test_it_goes_the_orms_way_when_a_receiver_listens_to_post_init(db):
    """GIVEN a receiver of Unit's post_init WHEN a row is read by hand THEN the receiver
    hears of the instance, as it would of one from a queryset."""
    f.make_unit("X1", name="Xã một")
    heard = []

    def listen(sender, instance, **kwargs):
        heard.append(instance)

    post_init.connect(listen, sender=Unit)
    try:
        assert not rows._plain(Unit)
        read = _read("X1")
    finally:
        post_init.disconnect(listen, sender=Unit)
    assert heard == [read]
    assert rows._plain(Unit)  # the receiver gone: the short way again
