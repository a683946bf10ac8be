from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StatusConfig(AppConfig):
    name = "caredesk.status"
    label = "status"
    verbose_name = "Services and maintenance"

    def ready(self) -> None:
        post_migrate.connect(_sync, sender=self)


def _sync(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """After every migrate, as Django creates permissions: the table follows the shipped
    catalogue. ``apps`` is the migrated state: without the table (migrated to zero),
    there is nothing to fill."""
    from caredesk.status.models import sync_services

    state = kwargs.get("apps")
    try:
        model = state.get_model("status", "Service") if state is not None else None
    except LookupError:
        return
    sync_services(model, using=using)
