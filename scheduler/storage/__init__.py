"""Durable storage: SQLAlchemy models, sessions, migrations and the scenario/roster store.

See docs/storage.md. Callers own transactions (``unit_of_work``); nothing here commits.
"""
