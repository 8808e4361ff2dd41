"""Who acts: the user a history row records, the user a value records."""


def _audited(instance, acting_user):
    if acting_user is not None and getattr(acting_user, "is_authenticated", False):
        instance._history_user = acting_user
    return instance


def _user(acting_user):
    return acting_user if getattr(acting_user, "is_authenticated", False) else None
