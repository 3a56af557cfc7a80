"""The shared wording vocabulary (``rules/wording/wording.yaml``): direction words, relation words and
list markers, used by explain (to find direction words) and lint (to key numbers)."""

from __future__ import annotations

import re
from functools import cache

from ..resources import rules_dir
from ..loading.yamlload import load_yaml


@cache
def wording() -> dict:
    """The vocabulary as written in ``rules/wording/wording.yaml``."""
    return load_yaml(rules_dir() / "wording" / "wording.yaml")


@cache
def direction_pattern() -> re.Pattern:
    """Any direction word of the vocabulary, longest first."""
    words = sorted({w for group in wording()["direction"].values() for w in group}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))
