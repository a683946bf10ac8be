"""Platform services, their planned maintenance windows and the organisations' subscriptions
(SPEC 5); incidents, advisories and the status page build on these."""
