"""User-facing errors and findings, each with a location.

Every problem narrator reports to a person — bad input, a broken rule, a finding of a check —
is printed the same way: ``path:line:col: 级别 规则 消息``. The CLI catches :class:`NarratorError`
(and only it); everything else is a bug and may show a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LEVEL_NAMES = {"error": "错误", "warning": "警告", "note": "提示"}
LEVEL_ORDER = {"note": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Location:
    """A place in a file; line and column are 1-based, 0 when unknown.

    ``page`` is the 1-based page of a paged document (PDF), 0 otherwise; with a page the line is
    counted within that page and the place prints as ``path:page:line:col``.
    """

    path: str
    line: int = 0
    column: int = 0
    page: int = 0

    def __str__(self) -> str:
        if self.page:
            return f"{self.path}:{self.page}:{self.line}:{self.column}"
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Finding:
    """One problem: where, how bad, which rule, and what to do about it (in Chinese)."""

    location: Location
    level: str
    rule: str
    message: str
    #: the figure the finding is about (``functional[2].prior``), when it is about one; kept as a
    #: field so that nobody has to parse it back out of the message
    figure: str = field(default="", compare=False)
    #: the rule (of a rule set) that needed that figure, when one did
    needed_by: str = field(default="", compare=False)

    def format(self) -> str:
        """The one-line form ``path:line:col: 级别 规则 消息``."""
        return f"{self.location}: {LEVEL_NAMES[self.level]} {self.rule} {self.message}"

    def to_dict(self) -> dict:
        """A JSON-ready form of the finding."""
        result = {"path": self.location.path}
        if self.location.page:
            result["page"] = self.location.page
        return result | {
            "line": self.location.line,
            "column": self.location.column,
            "level": self.level,
            "rule": self.rule,
            "message": self.message,
        } | ({"figure": self.figure} if self.figure else {})


@dataclass
class NarratorError(Exception):
    """The one base class of errors caused by the user's input (exit code 2).

    It carries one or more findings so that a bad file is reported whole, not one
    problem per run.
    """

    findings: list[Finding] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(f.format() for f in self.findings)

    @classmethod
    def at(cls, location: Location, rule: str, message: str) -> "NarratorError":
        """An error with a single finding."""
        return cls([Finding(location, "error", rule, message)])


class FiguresError(NarratorError):
    """The figures file cannot be read or does not fit the schema."""


class RuleError(NarratorError):
    """A rule set is malformed, or a rule cannot be evaluated on these figures."""


class TemplateError(NarratorError):
    """A format's templates are malformed or ask for a figure that is not there."""


class FormatError(NarratorError):
    """A document format is unknown or its settings are malformed."""
