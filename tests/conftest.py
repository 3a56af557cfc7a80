"""Shared test helpers: the repository root and the bench generator of figures files."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))  # figuresgen: deterministic, valid generated figures files
