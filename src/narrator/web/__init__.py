"""``narrator serve``: a local web page for clerks (draft) and reviewers (review).

The only part of narrator that imports the web framework (Starlette, served by uvicorn); the
pages call the library as the command line does (:mod:`narrator.workflow.draft`, :mod:`narrator.review`),
and never the command line itself.
"""

from __future__ import annotations

from .app import create_app, serve, serving

__all__ = ["create_app", "serve", "serving"]
