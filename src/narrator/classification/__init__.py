"""Classification data: codes and names of the 支出功能分类 and 支出经济分类, by year.

- :mod:`.table` reads one table file (entries with sources, years, former names);
- :mod:`.reference` combines the bundled tables with an official edition a user brought;
- :mod:`.naming` gives a figures file's codes their names (the department's own first) and
  reports names that differ from the reference;
- :mod:`.edition` imports an official list (.xlsx/.csv); :mod:`.audit` checks the tables.
"""

from __future__ import annotations

from functools import cache

from ..resources import rules_dir
from ..loading.yamlload import load_yaml
from .reference import KINDS, editions_in_use, kind_of, load_classification, reference_entry
from .table import LEVELS, Classification, Entry, Source

__all__ = ["KINDS", "LEVELS", "Classification", "Entry", "Source", "editions_in_use", "kind_of",
           "load_classification", "load_vocabulary", "reference_entry"]


@cache
def load_vocabulary() -> dict:
    """Keys and official names of fund sources, 三公 parts and other fixed budget items."""
    return load_yaml(rules_dir() / "classification" / "budget-items.yaml")
