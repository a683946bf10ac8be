"""What the status app tells listeners, inside the transaction of the change."""

from django.dispatch import Signal

# sender=Reschedule; kwargs: reschedule (Reschedule, requested or decided), now
reschedule_requested = Signal()
reschedule_decided = Signal()
# sender=MaintenanceWindow; kwargs: window (MaintenanceWindow, with its services), now
maintenance_announced = Signal()
# sender=Incident; kwargs: incident (Incident, with its services), update (IncidentUpdate), now
incident_updated = Signal()
