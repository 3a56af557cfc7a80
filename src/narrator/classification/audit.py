"""``narrator classification check``: is each table whole, and how sure is each entry?

A table is checked for what would make a name wrong in print: a 款 or 项 whose parent is
missing, a code whose years contradict each other, a former name dated after the code ended.
It also counts the entries by how sure they are, so that the entries that rest on memory
alone can be listed and confirmed one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Finding
from ..resources import rules_dir
from ..loading.yamlload import load_yaml
from .reference import KINDS
from .table import SURENESS, SURENESS_NAMES, Classification, Entry, parse_table


@dataclass
class TableAudit:
    """One table's findings and its entries by sureness."""

    table: Classification
    findings: list[Finding] = field(default_factory=list)
    by_sureness: dict[str, list[Entry]] = field(default_factory=dict)

    def summary(self) -> str:
        """One line: the table, its size, its entries by sureness."""
        counts = "，".join(f"{SURENESS_NAMES[k]} {len(self.by_sureness.get(k, []))}" for k in SURENESS)
        return f"{self.table.path}: {self.table.title} {len(self.table.entries)} 条：{counts}"


def bundled_paths() -> list[Path]:
    """The tables narrator ships."""
    return [rules_dir() / "classification" / f"{kind}.yaml" for kind in KINDS]


def audit_table(path: Path) -> TableAudit:
    """Check one table file (bad structure raises, as when it is loaded for use)."""
    shown = _shown(path)
    table = parse_table(load_yaml(path, shown), shown)
    audit = TableAudit(table)
    for code, entry in table.entries.items():
        audit.by_sureness.setdefault(entry.sureness, []).append(entry)
        parent = code[:5] if len(code) == 7 else code[:3] if len(code) == 5 else None
        if parent and parent not in table.entries and table.kind != "edition":
            audit.findings.append(Finding(entry.location, "error", "missing-parent",
                                          f"科目 {code} {entry.name} 的上级科目 {parent} 不在表中"))
        if entry.since and entry.until and entry.since > entry.until:
            audit.findings.append(Finding(entry.location, "error", "bad-years",
                                          f"科目 {code} 的 from {entry.since} 晚于 until {entry.until}"))
        for last_year, old_name in entry.formerly:
            if entry.until and last_year >= entry.until:
                audit.findings.append(Finding(entry.location, "warning", "bad-years",
                                              f"科目 {code} 的旧名称“{old_name}”用到 {last_year} 年，"
                                              f"但科目 {entry.until} 年后已停用"))
            if old_name == entry.name:
                audit.findings.append(Finding(entry.location, "warning", "bad-years",
                                              f"科目 {code} 的旧名称与现名称相同：“{old_name}”"))
    return audit


def _shown(path: Path) -> str:
    """A bundled table as ``rules/classification/…``, any other file as given."""
    try:
        return str(Path(path).resolve().relative_to(rules_dir().parent))
    except ValueError:
        return str(path)


def memory_findings(audit: TableAudit) -> list[Finding]:
    """A note for each entry that rests on memory alone."""
    return [Finding(entry.location, "note", "memory-only",
                    f"{entry.code} {entry.name}：仅凭记忆录入，未经官方科目表或公开文档核对")
            for entry in audit.by_sureness.get("memory", [])]
