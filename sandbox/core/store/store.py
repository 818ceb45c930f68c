"""The one state store of a sandbox process: its collections, transactions,
snapshots and restores, and persistence through a StateFile."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from tinydb import TinyDB
from tinydb.storages import MemoryStorage

from sandbox.core.store.codec import StoreError
from sandbox.core.store.collection import Collection, Index
from sandbox.core.store.state_file import StateFile


def _free_later(garbage: list) -> None:
    """Drop old state off the request path: freeing 100k records takes tens
    of milliseconds, so a background thread frees them in small batches."""
    def free():
        time.sleep(0.005)  # the reset's own answer goes out first
        for container in garbage:
            while container:
                for _ in range(min(len(container), 500)):
                    container.popitem()
                time.sleep(0)  # let request threads run between batches (~0.1 ms each)
        garbage.clear()

    threading.Thread(target=free, name="store-free", daemon=True).start()


@dataclass(frozen=True)
class Snapshot:
    """Everything stored at one moment, for restore(): each collection's
    tables and indexes (copies), and any table no collection declared."""

    collections: dict[str, tuple]
    loose: dict[str, dict]


class Store:
    """The one state store of a sandbox process, optionally persisted
    through a StateFile (see persist_to). The tables live in TinyDB's
    MemoryStorage ({collection name: {id: blob}})."""

    #: a restore frees old state inline below this many records, else in the background
    FREE_INLINE_BELOW = 1000

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.db: TinyDB = TinyDB(storage=MemoryStorage)
        self._collections: dict[str, Collection] = {}
        #: tables of a state file that no collection declares (kept, not served)
        self._loose: dict[str, dict] = {}
        self._state_file: StateFile | None = None
        # The open transaction's writes, oldest first: (collection, id, blob
        # before or None, next id before, record after). Only the thread
        # holding the lock can be inside a transaction.
        self._undo: list[tuple] | None = None

    def persist_to(self, path: str, resume: bool = True) -> None:
        """Persist the state to a TinyDB JSON file. A file that already holds
        state wins over what is in memory (the server resumes where it
        stopped) unless `resume` is False; an empty or new file takes what
        is in memory now."""
        with self.lock:
            self._outside_transaction("persist_to")
            state_file = StateFile(path)
            persisted = state_file.load() if resume else {}
            if any(persisted.values()):
                for name, collection in self._collections.items():
                    collection.load(persisted.get(name, {}))
                self._loose = {name: docs for name, docs in persisted.items() if name not in self._collections}
                self._publish()
            state_file.compact(self._tables())
            self._state_file = state_file

    def collection(self, name: str, indexes: tuple[Index, ...] | None = None,
                   first_id: int | None = None) -> Collection:
        """The collection `name`, declared on first use (no indexes, ids from 1
        by default). Naming it again, alone or with the same declaration,
        returns it; a different declaration is an error, not ignored."""
        with self.lock:
            existing = self._collections.get(name)
            if existing is None:
                collection = Collection(name, tuple(indexes or ()), 1 if first_id is None else first_id,
                                        self.lock, self._written)
                if name in self._loose:
                    collection.load(self._loose.pop(name))
                self._collections[name] = collection
                self._publish()
                return collection
            if indexes is not None and Collection.index_map(tuple(indexes)) != existing.indexes:
                raise StoreError(f"{name} is already declared with other indexes")
            if first_id is not None and first_id != existing.first_id:
                raise StoreError(f"{name} is already declared with first_id={existing.first_id}")
            return existing

    def counts(self) -> dict[str, int]:
        """How many records each collection holds."""
        with self.lock:
            return {name: c.count() for name, c in self._collections.items()}

    def tenants(self, prefix: str) -> set[str]:
        """The tenants holding records in the collections whose names start with `prefix` (a provider's)."""
        with self.lock:
            return set().union(*(c.tenants() for name, c in self._collections.items() if name.startswith(prefix)))

    def count(self) -> int:
        """How many records are stored, in every collection."""
        with self.lock:
            return sum(c.count() for c in self._collections.values())

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the store for a read-check-write sequence whose writes all
        happen or none do: an exception inside undoes them (newest first) and
        goes on. A nested transaction joins the outer one: an exception inside
        it undoes its own writes, and all are logged (with --state-file) only
        when the outermost one ends without an exception."""
        with self.lock:
            outermost = self._undo is None
            if outermost:
                self._undo = []
            mark = len(self._undo)
            try:
                yield
            except BaseException:
                while len(self._undo) > mark:
                    collection, doc_id, before, next_id, _ = self._undo.pop()
                    collection._revert(doc_id, before, next_id)
                if outermost:
                    self._undo = None
                raise
            if outermost:
                writes, self._undo = self._undo, None
                if self._state_file and writes:
                    self._state_file.append([(c.name, doc_id, after) for c, doc_id, _, _, after in writes])

    def snapshot(self) -> Snapshot:
        """Everything stored now, to hand back to restore(). Costs as much as
        what is stored: take it of a scenario, not of a full store."""
        with self.lock:
            return Snapshot({name: c.capture() for name, c in self._collections.items()},
                            {name: dict(docs) for name, docs in self._loose.items()})

    def restore(self, snapshot: Snapshot) -> None:
        """Replace everything stored with a snapshot. Costs as much as the
        snapshot, not as what is stored now (freed in the background)."""
        with self.lock:
            self._outside_transaction("restore")
            garbage, dropped = [], 0
            for name, collection in self._collections.items():
                dropped += collection.count()
                rows, maps = collection.bring_back(snapshot.collections.get(name))
                garbage += [rows, *maps.values()]
            self._loose = {name: dict(docs) for name, docs in snapshot.loose.items()}
            self._publish()
            if self._state_file:
                # Now, not at shutdown: the log still holds the writes from
                # before the reset, and a crash would replay them.
                self._state_file.compact(self._tables())
        if dropped >= self.FREE_INLINE_BELOW:
            _free_later(garbage)

    def export(self) -> dict:
        """Everything stored, decoded: {collection: {"next_id", "records": {id: record}}}
        (records with their tenant under "_tenant"), plus tables no collection declares."""
        with self.lock:
            return {
                "collections": {name: {"next_id": c.next_id, "records": c.dump()}
                                for name, c in self._collections.items()},
                "loose": {name: dict(docs) for name, docs in self._loose.items()},
            }

    def load_export(self, exported: dict) -> None:
        """Become exactly what export() returned: every collection checked
        first (StoreError, nothing changed), then replaced."""
        with self.lock:
            self._outside_transaction("load_export")
            tables = exported["collections"]
            unknown = set(tables) - set(self._collections)
            if unknown:
                raise StoreError(f"no such collections: {sorted(unknown)}")
            for name, table in tables.items():
                self._collections[name].check_loadable(table["records"])
            for name, collection in self._collections.items():
                table = tables.get(name, {"records": {}, "next_id": None})
                collection.load(table["records"], table["next_id"])
            self._loose = {name: dict(docs) for name, docs in exported.get("loose", {}).items()}
            self._publish()
            if self._state_file:
                self._state_file.compact(self._tables())

    def restore_tenant(self, snapshot: Snapshot, tenant: str, prefix: str) -> int:
        """One tenant's records, in every collection whose name starts with
        `prefix` (a provider's), back to the snapshot's; other tenants'
        untouched. Returns how many records were dropped or brought back."""
        with self.lock:
            self._outside_transaction("restore_tenant")
            changed = sum(c.restore_tenant(snapshot.collections.get(name), tenant)
                          for name, c in self._collections.items() if name.startswith(prefix))
            self._publish()
            if self._state_file and changed:
                # the journal cannot say "removed": write the state whole
                self._state_file.compact(self._tables())
            return changed

    def close(self) -> None:
        with self.lock:
            self._outside_transaction("close")
            if self._state_file:
                self._state_file.compact(self._tables())
                self._state_file = None

    # -- internals -------------------------------------------------------
    def _tables(self) -> dict:
        """Everything stored, as TinyDB's JSON file holds it."""
        return {**self._loose, **{name: c.dump() for name, c in self._collections.items()}}

    def _publish(self) -> None:
        """Keep TinyDB's storage pointing at the current tables."""
        self.db.storage.write({name: c._rows for name, c in self._collections.items()})

    def _outside_transaction(self, operation: str) -> None:
        if self._undo is not None:
            raise StoreError(f"{operation} inside a transaction could not be undone")

    def _written(self, collection: Collection, doc_id: int, before: bytes | None, next_id: int,
                 after: dict) -> None:
        """Called by collections after each write, under the lock."""
        if self._undo is not None:
            self._undo.append((collection, doc_id, before, next_id, after))
        elif self._state_file:
            self._state_file.append([(collection.name, doc_id, after)])
