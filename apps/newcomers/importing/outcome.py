"""What an import reports: refusals of the whole file, problems per line, and the counts."""

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from apps.newcomers.importing.messages import REFUSALS, problem_message, refusal_message


class ImportRefused(Exception):
    """The file as a whole cannot be imported: a code from `messages.REFUSALS` and its parameters, kept as
    such on the run (a worker's refusal is read later, maybe in another language). `message` is the text
    in the active language, safe to show the user."""

    def __init__(self, code: str, **params: Any):
        if code not in REFUSALS:
            raise ValueError(code)
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        return refusal_message(self.code, self.params)


ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in one line: a code from `messages.MESSAGES` and its parameters, written out only when
    read (`message`), so it follows the reader's language. It never holds a personal value (it ends up in
    logs and CSVs)."""

    line: int
    column: str
    code: str
    level: str = ERROR
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return problem_message(self.code, self.params)

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


class Change(NamedTuple):
    """A known newcomer whose details the file changed, so the coordinator can be told which.

    A tuple (line, newcomer_id, fields) that also has those names.
    """

    line: int
    newcomer_id: int
    fields: list[str]


@dataclass(slots=True)
class ImportOutcome:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == WARNING]

    @property
    def error_count(self) -> int:
        return sum(1 for p in self.problems if p.level == ERROR)

    @property
    def warning_count(self) -> int:
        return sum(1 for p in self.problems if p.level == WARNING)
