"""unit-parent: a unit said to belong to a department that does not run units of its kind.

“我单位为洛阳市财政局所属公益二类事业单位” in the budget of a senior high school: a school belongs
to the education bureau. The unit's kind is told by the end of its name in the title (中学, 医院
…); ``kinds`` maps those endings to the words its parent department's name holds (中学: [教育,
教体]). A stated parent (“为/是…所属”, “隶属于…”) whose name holds none of them is reported. A
unit whose name ends otherwise, or a text that names no parent, is not judged; nor is a parent that
is a whole area's government (``general``: 管理委员会 of a new district, …), which may run any unit.
"""

from __future__ import annotations

from typing import Any

from ...errors import Finding
from ..document import title_line, title_text
from ...caches.regexcache import regex
from .unitname import unit_of

_PARENT = regex(r"(?:为|是|隶属于?|归属于?)(?P<parent>[\u4e00-\u9fff]{2,16}?(?:局|委员会|委|厅))"
                r"(?:所属|下属|直属|管理|主管|的)")


def run(rule: Any, context: Any) -> list[Finding]:
    """Parents stated for the unit that do not run units of its kind."""
    kinds = {str(k): [str(w) for w in v] for k, v in (rule.params.get("kinds") or {}).items()}
    general = tuple(str(w) for w in rule.params.get("general") or ())
    doc = context.doc
    unit = unit_of(title_text(doc), list(kinds), ["部门", "单位", "预算", "决算", "收支", "公开", "情况", "说明"])
    ending = next((k for k in sorted(kinds, key=len, reverse=True) if unit.endswith(k)), "")
    if not ending:
        return []
    findings = []
    title_number = title_line(doc)
    for line in doc.lines:
        if line.number == title_number:
            continue
        for match in _PARENT.finditer(line.text):
            parent = match.group("parent")
            if not any(word in parent for word in kinds[ending]) and not (general and parent.endswith(general)):
                findings.append(context.finding(rule, line.start + match.start("parent"), found=parent, unit=unit,
                                                expected="、".join(kinds[ending])))
    return findings
