"""README.md's fenced blocks, and the answers it shows after each command.

The rules the README test holds the README to (README.md's own words are in
"Every command here is tested"):

- A block is fenced with its language: `sh` and `python` are run, in order;
  `yaml`, `json` and `text` are shown only. A runnable block that cannot run
  in a test carries `<!-- not run: why -->` on the line above its fence.
- In an `sh` block, the comment lines right after a command are what it
  prints: `# X` starts a line of output, `#  Y` (two spaces or more) goes on
  with the same line (the README wraps long answers). `...` stands for any
  text; an answer that parses as JSON is compared as JSON. Two spaces and a
  parenthesis end an answer (`# {...}   (409)`: the rest is a note), and a
  comment that starts with `(` is a note, as is one after a blank line (a
  step's title) or at the end of a command line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

RUN = ("sh", "python")
SHOWN = ("yaml", "json", "text")
JOIN = "\x00"  # where the README wrapped a line of output: any white space there
NOTE = re.compile(r"\s{2,}\(.*\)$")
MARK = re.compile(r"^<!--\s*not run:\s*(.*?)\s*-->$")


@dataclass
class Block:
    line: int  # of the opening fence, 1-based
    lang: str
    text: str
    section: str
    not_run: str | None = None  # the reason given, or None: it runs
    answers: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"README.md:{self.line} ({self.section})"


def blocks(readme: Path) -> list[Block]:
    lines = readme.read_text(encoding="utf-8").splitlines()
    found, section, index = [], "", 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("#"):
            section = line.lstrip("#").strip()
        elif line.startswith("```"):
            lang, start = line[3:].strip(), index
            end = next(i for i in range(index + 1, len(lines)) if lines[i].startswith("```"))
            mark = MARK.match(lines[start - 1].strip()) if start else None
            block = Block(start + 1, lang, "\n".join(lines[start + 1:end]) + "\n", section,
                          not_run=mark[1] if mark else None)
            if mark and not mark[1]:
                block.not_run = ""  # a mark with no reason: the test says so
            found.append(block)
            index = end
        index += 1
    return found


def answers(script: str) -> list[str]:
    """The output an `sh` block shows, one item per line of output."""
    shown: list[str] = []
    after_command = after_answer = False
    for raw in script.splitlines():
        stripped = raw.strip()
        if not stripped:
            after_command = after_answer = False
            continue
        if not stripped.startswith("#"):
            after_command, after_answer = True, False
            continue
        comment = stripped[1:]
        if after_answer and comment.startswith("  "):
            shown[-1] += JOIN + comment.strip()
            continue
        if (after_command or after_answer) and comment.startswith(" ") and not comment.startswith(" ("):
            shown.append(comment[1:])
            after_command, after_answer = False, True
            continue
        after_command = after_answer = False
    return [NOTE.sub("", answer) for answer in shown]


def pattern(answer: str) -> re.Pattern:
    text = re.escape(answer.replace(JOIN, "\x01")).replace(re.escape("..."), ".*?")
    return re.compile(text.replace("\x01", r"\s*"), re.DOTALL)


def matches(answer: str, printed: str) -> bool:
    joined = answer.replace(JOIN, "")
    if "..." not in joined:
        try:
            return json.loads(joined) == json.loads(printed)
        except ValueError:
            pass
    return pattern(answer).fullmatch(printed) is not None
