"""Sunshift's web layer: ``web.app.create_service_app`` serves the pages of planners,
agents and HR (``web.ui``), the JSON API (``web.api``) and ``/healthz``."""
