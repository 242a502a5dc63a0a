"""Signals the register sends after a change commits, for higher apps to react to.

The register sits at the bottom of the app order and never imports the apps above it. When
one of them must react to a register change (certification issues a new accreditation
certificate when a scope is published; surveillance re-plans a cycle when an accreditation's
status changes), it connects a receiver to one of these signals in its ``AppConfig.ready``.

Every signal is sent from ``transaction.on_commit``: receivers see committed data, and a
rolled-back change sends nothing. Receivers should enqueue a Celery task rather than do slow
work inline.

``accreditation_status_changed(sender=Accreditation, accreditation_id, old_status, new_status, actor_id)``
``scope_version_published(sender=ScopeVersion, scope_version_id, accreditation_id, actor_id)``
"""

from django.dispatch import Signal

accreditation_status_changed = Signal()
scope_version_published = Signal()
