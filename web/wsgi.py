"""The WSGI application for a server of your choice (gunicorn, uWSGI, mod_wsgi):

    gunicorn --workers 2 --threads 8 --bind 127.0.0.1:8000 web.wsgi:application

Configured like ``sunshift serve`` (``DATABASE_URL``, ``SUNSHIFT_*``, see
docs/operations.md), with the job watch on; migrate first with ``sunshift db upgrade``.
"""

from __future__ import annotations

from web.app import create_service_app

application = create_service_app(watch_jobs=True)
