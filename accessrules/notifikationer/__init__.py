"""Notifications to case systems (SPEC 9): subscriptions, events recorded in the write's own
transaction, and their delivery by a separate worker (Procrastinate), signed as Standard
Webhooks and shaped as CloudEvents. The domain apps record events with `haendelser.registrer`;
`api/` is this wing's HTTP (the only part that imports the web framework)."""
