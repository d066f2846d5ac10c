"""The curls of the README and docs/*.md, as a reader would paste them: each `sh` block's
commands (a command ends where its quotes close and no `\\` continues it), every command aimed
at the service (`http://127.0.0.1:8000`) with the status the line after it documents
(`# 204`, `# 200 {...}`), and the block's shell variable assignments (`A="Authorization: ..."`)
that the commands use."""

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

BASE = "http://127.0.0.1:8000"
BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
STATUS = re.compile(r"^#\s*(\d{3})\b")


@dataclass(frozen=True)
class Curl:
    source: str  # file:line
    command: str
    status: int | None  # None: no status documented after it
    assignments: tuple[str, ...]  # the assignments above it in its file


def _is_assignment(command: str) -> bool:
    """Only variable assignments (`A="..."; O1='...'`), not a command run with an environment
    prefix (`DEBUG=1 .venv/bin/python manage.py ...`), which a test must not run."""
    try:
        words = shlex.split(command, comments=True)
    except ValueError:
        return False
    return bool(words) and all(ASSIGNMENT.match(word.rstrip(";")) for word in words)


def _complete(text: str) -> bool:
    if text.endswith("\\"):
        return False
    try:
        shlex.split(text)
    except ValueError:  # an open quote: the command goes on
        return False
    return True


def _commands(block: str) -> list[tuple[int, str]]:
    """(first line's offset in the block, command), comments as their own commands."""
    found, current, first = [], [], 0
    for number, line in enumerate(block.splitlines()):
        if not current:
            first = number
            if not line.strip() or line.lstrip().startswith("#"):
                found.append((number, line.strip()))
                continue
        current.append(line)
        if _complete("\n".join(current)):
            found.append((first, "\n".join(current)))
            current = []
    return found


def extract(path: Path, root: Path) -> list[Curl]:
    text = path.read_text()
    curls, assignments = [], []
    for match in BLOCK.finditer(text):
        block_line = text[: match.start(1)].count("\n") + 1
        commands = _commands(match.group(1))
        for index, (offset, command) in enumerate(commands):
            if _is_assignment(command) and "curl " not in command and "…" not in command:
                assignments.append(command)
            if "curl " not in command or BASE not in command:
                continue
            following = commands[index + 1][1] if index + 1 < len(commands) else ""
            documented = STATUS.match(following)
            curls.append(
                Curl(
                    source=f"{path.relative_to(root)}:{block_line + offset}",
                    command=command,
                    status=int(documented.group(1)) if documented else None,
                    assignments=tuple(assignments),
                )
            )
    return curls
