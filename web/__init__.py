"""The Flask web edge: ``create_app`` mounts every plugin's blueprint under
``/c/<company>/<plugin>/``, scoped to the companies that installed it."""

from web.app import create_app, db_session

__all__ = ["create_app", "db_session"]
