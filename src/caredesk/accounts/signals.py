"""What the accounts app tells listeners, inside the transaction of the change."""

from django.dispatch import Signal

# sender=Profile; kwargs: person (Profile), now
training_completed = Signal()
