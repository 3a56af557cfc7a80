"""narrator's modules in either layout, for benches that run older revisions (``--base``).

The code is grouped by stage (``narrator.compute.engine``); revisions before that kept a flat row
(``narrator.engine``). ``pick("compute.engine", "Engine")`` takes the names from whichever exists.
"""

from __future__ import annotations

import importlib
from typing import Any


def pick(path: str, *names: str) -> tuple[Any, ...]:
    """The attributes ``names`` of ``narrator.<path>``, or of ``narrator.<last part>`` in an older layout."""
    try:
        module = importlib.import_module(f"narrator.{path}")
    except ImportError:
        module = importlib.import_module("narrator." + path.rsplit(".", 1)[-1])
    return tuple(getattr(module, name) for name in names)
