"""``python -m scheduler`` is the ``sunshift`` command."""

from scheduler.cli import main

main()
