"""JSON API and dashboard over a store: ``create_app(db_path)`` and ``serve(db_path)``."""

from .app import create_app, serve

__all__ = ["create_app", "serve"]
