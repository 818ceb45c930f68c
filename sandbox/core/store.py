"""The sandbox's state: TinyDB, tenant-scoped, with O(1) keyed access.

Plain TinyDB rebuilds the whole table dict on every write and scans it on every
query, so its cost grows with the data. Here TinyDB stays the store (its
storage, its documents, its JSON file format) with three changes:

* `FastTable` applies TinyDB's own updaters to the stored dict in place instead
  of copying the table twice per write, so insert/update by id cost O(1).
* `Collection` keeps in-memory indexes beside each table, rebuilt on load:
  unique indexes (dict key -> id) for uniqueness checks and lookups, and
  ordered indexes (dict key -> ids in insertion order) for paging. Queries go
  through an index or not at all; nothing scans a table on the request path.
* `Journal` persists (with --state-file) by appending each write to a log
  beside the JSON file instead of rewriting the file.

Every record belongs to a tenant (the credential that created it). Every read
and write names the tenant, and a record of another tenant is simply absent.
One re-entrant lock guards the store: the server is one process, many threads.
"""

from __future__ import annotations

import json
import os
import pickle
import threading
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Table

TENANT = "_tenant"


class _IntKeyView(MutableMapping):
    """TinyDB's updaters use int ids; its storages keep str keys. This view
    lets an updater work on the stored dict directly, one key at a time."""

    __slots__ = ("raw",)

    def __init__(self, raw: dict):
        self.raw = raw

    def __getitem__(self, doc_id):
        return self.raw[str(doc_id)]

    def __setitem__(self, doc_id, doc):
        self.raw[str(doc_id)] = doc

    def __delitem__(self, doc_id):
        del self.raw[str(doc_id)]

    def __contains__(self, doc_id):
        return str(doc_id) in self.raw

    def __iter__(self):
        return (int(k) for k in self.raw)

    def __len__(self):
        return len(self.raw)


class FastTable(Table):
    """A TinyDB table whose writes touch only the documents they change."""

    first_id = 1

    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        tables = self._storage.read() or {}
        raw = tables.setdefault(self.name, {})
        updater(_IntKeyView(raw))
        # Same dict object back: O(1) for MemoryStorage and CachingMiddleware.
        self._storage.write(tables)
        self.clear_cache()

    def _get_next_id(self) -> int:
        if self._next_id is None:
            self._next_id = max((int(k) for k in self._read_table()), default=self.first_id - 1) + 1
        next_id = self._next_id
        self._next_id += 1
        return next_id


class _TinyDB(TinyDB):
    table_class = FastTable


class UniqueViolation(Exception):
    """An insert or update would give two records of a tenant the same key."""

    def __init__(self, index: str):
        super().__init__(index)
        self.index = index


@dataclass(frozen=True)
class Index:
    """An index over some fields of a collection, always within one tenant.

    `fields=()` orders all of a tenant's records. A unique index skips records
    whose indexed value is None. `normalize` maps each string value before
    keying (e.g. str.casefold for case-insensitive uniqueness)."""

    name: str
    fields: tuple[str, ...] = ()
    unique: bool = False
    normalize: Callable[[Any], Any] | None = None

    def key(self, tenant: str, doc: dict) -> tuple | None:
        values = tuple(doc.get(f) for f in self.fields)
        if self.unique and any(v is None for v in values):
            return None
        if self.normalize:
            values = tuple(self.normalize(v) if isinstance(v, str) else v for v in values)
        return (tenant, *values)


@dataclass
class Page:
    items: list[dict]
    total: int


class Collection:
    """One kind of record, tenant-scoped, backed by one TinyDB table."""

    def __init__(self, store: Store, name: str, indexes: tuple[Index, ...], first_id: int):
        self._store = store
        self.name = name
        self.indexes = {ix.name: ix for ix in indexes}
        if "all" not in self.indexes:
            self.indexes["all"] = Index("all")
        self.first_id = first_id
        self._maps: dict[str, dict] = {}
        self.attach()

    # -- lifecycle -------------------------------------------------------
    def attach(self) -> None:
        """(Re)bind to the store's table and rebuild the indexes from it."""
        table = self._store.db.table(self.name)
        table.first_id = self.first_id
        table._next_id = None
        self._table = table
        self._maps = {name: {} for name in self.indexes}
        for key, doc in table._read_table().items():
            self._index_add(int(key), doc)

    # -- writes ----------------------------------------------------------
    def insert(self, tenant: str, doc: dict) -> int:
        """Store `doc` for `tenant` and return its id (also set as doc['id'])."""
        with self._store.lock:
            record = {**doc, TENANT: tenant}
            self._check_unique(record, doc_id=None)
            doc_id = self._table._get_next_id()
            record["id"] = doc_id
            self._table._update_table(lambda t: t.__setitem__(doc_id, record))
            self._index_add(doc_id, record)
            self._store._written(self.name, doc_id, record)
            return doc_id

    def update(self, tenant: str, doc_id: int, changes: dict) -> dict | None:
        """Apply `changes` to the tenant's record; None if it has no such record."""
        with self._store.lock:
            current = self._raw(tenant, doc_id)
            if current is None:
                return None
            updated = {**current, **changes}
            self._check_unique(updated, doc_id=doc_id)
            self._table._update_table(lambda t: t.__setitem__(doc_id, updated))
            self._reindex(doc_id, current, updated)
            self._store._written(self.name, doc_id, updated)
            return _public(updated)

    # -- reads -----------------------------------------------------------
    def get(self, tenant: str, doc_id: int) -> dict | None:
        with self._store.lock:
            return _public(self._raw(tenant, doc_id))

    def find(self, tenant: str, index: str, *values) -> dict | None:
        """The tenant's record with these values in a unique index, or None."""
        ix = self.indexes[index]
        assert ix.unique, f"{index} is not a unique index"
        with self._store.lock:
            doc_id = self._maps[index].get(ix.key(tenant, dict(zip(ix.fields, values))))
            return None if doc_id is None else self.get(tenant, doc_id)

    def page(self, tenant: str, index: str = "all", *values, offset: int = 0, limit: int | None = None) -> Page:
        """A slice of the tenant's records under an ordered index, oldest first."""
        ix = self.indexes[index]
        assert not ix.unique, f"{index} is not an ordered index"
        with self._store.lock:
            ids = self._maps[index].get(ix.key(tenant, dict(zip(ix.fields, values))), [])
            end = None if limit is None else offset + limit
            table = self._table._read_table()
            items = [_public(table[str(i)]) for i in ids[offset:end]]
            return Page(items=items, total=len(ids))

    def first(self, tenant: str) -> dict | None:
        page = self.page(tenant, limit=1)
        return page.items[0] if page.items else None

    # -- internals -------------------------------------------------------
    def _raw(self, tenant: str, doc_id: int) -> dict | None:
        doc = self._table._read_table().get(str(doc_id))
        if doc is None or doc.get(TENANT) != tenant:
            return None
        return doc

    def _check_unique(self, record: dict, doc_id: int | None) -> None:
        for name, ix in self.indexes.items():
            if ix.unique:
                key = ix.key(record[TENANT], record)
                holder = self._maps[name].get(key) if key is not None else None
                if holder is not None and holder != doc_id:
                    raise UniqueViolation(name)

    def _index_add(self, doc_id: int, doc: dict) -> None:
        for name, ix in self.indexes.items():
            key = ix.key(doc[TENANT], doc)
            if ix.unique:
                if key is not None:
                    self._maps[name][key] = doc_id
            else:
                self._maps[name].setdefault(key, []).append(doc_id)

    def _reindex(self, doc_id: int, before: dict, after: dict) -> None:
        """Move a record between index keys; an unchanged key keeps its place."""
        for name, ix in self.indexes.items():
            old, new = ix.key(before[TENANT], before), ix.key(after[TENANT], after)
            if old == new:
                continue
            entries = self._maps[name]
            if ix.unique:
                if old is not None and entries.get(old) == doc_id:
                    del entries[old]
                if new is not None:
                    entries[new] = doc_id
            else:
                entries[old].remove(doc_id)  # O(len); indexed fields seldom change
                entries.setdefault(new, []).append(doc_id)


def _public(doc: dict | None) -> dict | None:
    """A copy of a stored record without the store's own bookkeeping."""
    if doc is None:
        return None
    return {k: v for k, v in doc.items() if k != TENANT}


class Journal:
    """Persistence beside the in-memory state: a TinyDB JSON file (the state
    at the last compaction) plus an append-only log of every write since.

    A write appends one line, O(1) whatever the size of the data, so the
    state file never stalls a request. The log is replayed on start (a torn
    last line from a crash is skipped) and folded into the JSON file on
    start, on reset and at shutdown."""

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
                        table, doc_id, doc = json.loads(line)
                    except ValueError:
                        break  # a line cut short by a crash ends the log
                    tables.setdefault(table, {})[str(doc_id)] = doc
        return tables

    def append(self, table: str, doc_id: int, doc: dict) -> None:
        if self._handle is None:
            self._handle = self.log.open("a", encoding="utf-8")
        self._handle.write(json.dumps([table, doc_id, doc], separators=(",", ":")) + "\n")
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


class Store:
    """The one state store of a sandbox process: TinyDB in memory, optionally
    persisted through a Journal (see persist_to)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.db: TinyDB = _TinyDB(storage=MemoryStorage)
        self._collections: dict[str, Collection] = {}
        self._journal: Journal | None = None

    def persist_to(self, path: str) -> None:
        """Persist the state to a TinyDB JSON file. A file that already holds
        state wins over what is in memory (the server resumes where it
        stopped); an empty or new file takes what is in memory now."""
        with self.lock:
            journal = Journal(path)
            persisted = journal.load()
            if any(persisted.values()):
                self._replace(persisted)
            journal.compact(self._tables())
            self._journal = journal

    def collection(self, name: str, indexes: tuple[Index, ...] = (), first_id: int = 1) -> Collection:
        with self.lock:
            if name not in self._collections:
                self._collections[name] = Collection(self, name, indexes, first_id)
            return self._collections[name]

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Hold the store for a read-check-write sequence."""
        with self.lock:
            yield

    def snapshot(self) -> bytes:
        """Everything stored, as bytes to hand back to restore()."""
        with self.lock:
            return pickle.dumps(self._tables(), protocol=pickle.HIGHEST_PROTOCOL)

    def restore(self, snapshot: bytes) -> None:
        """Replace everything stored with a snapshot and rebuild the indexes."""
        with self.lock:
            self._replace(pickle.loads(snapshot))
            if self._journal:
                self._journal.compact(self._tables())

    def close(self) -> None:
        with self.lock:
            if self._journal:
                self._journal.compact(self._tables())
                self._journal = None

    # -- internals -------------------------------------------------------
    def _tables(self) -> dict:
        return self.db.storage.read() or {}

    def _replace(self, tables: dict) -> None:
        self.db.storage.write(tables)
        self.db.clear_cache()
        for collection in self._collections.values():
            collection.attach()

    def _written(self, table: str, doc_id: int, doc: dict) -> None:
        """Called by collections after each write, under the lock."""
        if self._journal:
            self._journal.append(table, doc_id, doc)
