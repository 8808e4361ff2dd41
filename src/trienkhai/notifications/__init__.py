"""Notifications: in-app (the bell) and by e-mail through an outbox (decision 0038)."""
