"""What other apps may listen to when the register changes (notifications does).

Each is sent inside the transaction of the service that made the change, after the
rows are saved: a listener writes its own rows in the same transaction (they commit or
roll back with the change) and never calls the network there.
"""

from django.dispatch import Signal

task_assigned = Signal()
"""Sent by ``directives.assign``; ``assignment``: the saved Assignment, ``unit_ids``: the
assigned units (their ``AssignedUnit`` rows exist), ``acting_user``."""

document_received = Signal()
"""Sent by ``services.register_incoming`` (by hand, from an edXML package, or any other
path that registers an incoming document); ``document``: the saved incoming Document,
``acting_user``."""
