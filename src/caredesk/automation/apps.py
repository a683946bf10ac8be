from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "caredesk.automation"
    label = "automation"
    verbose_name = "Automation: timers, outbox, webhooks"

    def ready(self) -> None:
        from caredesk.accounts import signals as accounts
        from caredesk.automation import incident_mail, maintenance_mail, receivers
        from caredesk.cases import signals as cases
        from caredesk.status import signals as status

        cases.events_appended.connect(receivers.on_events, dispatch_uid="automation-events")
        cases.clocks_stored.connect(receivers.on_clocks, dispatch_uid="automation-clocks")
        cases.clocks_recomputed.connect(
            receivers.on_recomputed, dispatch_uid="automation-recomputed"
        )
        accounts.training_completed.connect(
            receivers.on_training, dispatch_uid="automation-training"
        )
        status.reschedule_requested.connect(
            maintenance_mail.on_requested, dispatch_uid="automation-reschedule-requested"
        )
        status.reschedule_decided.connect(
            maintenance_mail.on_decided, dispatch_uid="automation-reschedule-decided"
        )
        status.maintenance_announced.connect(
            maintenance_mail.on_announced, dispatch_uid="automation-maintenance-announced"
        )
        status.incident_updated.connect(
            incident_mail.on_updated, dispatch_uid="automation-incident-updated"
        )
