from __future__ import annotations

import json
import os
from pathlib import Path


class StateFile:
    """Persistence beside the in-memory state: a TinyDB JSON file (the state
    at the last compaction) plus an append-only log, `<file>.journal`, of
    every write since.

    A write appends one line, O(1) whatever the size of the data, so the
    state file never stalls a request. A line is one write, `[table, id,
    record]`, or a transaction's writes, `[[table, id, record], ...]`, so a
    crash keeps all of a transaction or none of it. The log is replayed on
    start (a torn last line from a crash is skipped) and folded into the JSON
    file on start, on reset and at shutdown."""

    def __init__(self, path: str):
        self.base = Path(path)
        self.log = self.base.with_name(self.base.name + ".journal")
        self._handle = None

    def load(self) -> dict:
        """The persisted tables: the JSON file with the log replayed on top."""
        tables = json.loads(self.base.read_text(encoding="utf-8") or "{}") if self.base.exists() else {}
        if self.log.exists():
            with self.log.open(encoding="utf-8") as lines:
                for line in lines:
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        break  # a line cut short by a crash ends the log
                    for table, doc_id, doc in entry if isinstance(entry[0], list) else [entry]:
                        tables.setdefault(table, {})[str(doc_id)] = doc
        return tables

    def append(self, writes: list[tuple[str, int, dict]]) -> None:
        """Log writes (table, id, record) that stand or fall together, as one line."""
        if self._handle is None:
            self._handle = self.log.open("a", encoding="utf-8")
        entry = writes[0] if len(writes) == 1 else writes
        self._handle.write(json.dumps(entry, separators=(",", ":")) + "\n")
        self._handle.flush()  # to the OS: survives the process, not a power cut

    def compact(self, tables: dict) -> None:
        """Write the whole state as TinyDB's JSON file and empty the log."""
        self.close()
        scratch = self.base.with_name(self.base.name + ".tmp")
        scratch.write_text(json.dumps(tables), encoding="utf-8")
        os.replace(scratch, self.base)  # atomic: the old file or the new, never half
        self.log.unlink(missing_ok=True)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
