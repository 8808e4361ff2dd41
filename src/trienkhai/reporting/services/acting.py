"""Who acts: the user a history row records, the user a value records (none for a
system actor)."""

from trienkhai.common.actors import Actor, user_of


def _audited(instance, acting_user: Actor):
    user = user_of(acting_user)
    if user is not None:
        instance._history_user = user
    return instance


def _user(acting_user: Actor):
    return user_of(acting_user)
