"""E-mail: SMTP settings, the sender that empties the outbox, and the wording of times.

Messages are queued with ``scheduler.services.notifications`` in the transaction of
the change; ``scheduler.mail.sender`` delivers them (``sunshift mail send``).
"""
