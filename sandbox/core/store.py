"""The sandbox's state: TinyDB, tenant-scoped, with O(1) keyed access.

Plain TinyDB rebuilds the whole table dict on every write and scans it on every
query, so its cost grows with the data. Here TinyDB stays the store (its
storage, its documents, its JSON file format) with three changes:

* `FastTable` applies TinyDB's own updaters to the stored dict in place instead
  of copying the table twice per write, so insert/update by id cost O(1).
* `Collection` keeps in-memory indexes beside each table, rebuilt on load:
  unique indexes (dict key -> id) for uniqueness checks and lookups, and
  ordered indexes (dict key -> ids in id order) for paging. Queries go
  through an index or not at all; nothing scans a table on the request path.
* `StateFile` persists (with --state-file) by appending each write to a log
  beside the JSON file instead of rewriting the file.

Every record belongs to a tenant (the credential that created it). Every read
and write names the tenant, and a record of another tenant is simply absent.
Ids grow with each insert, so id order is insertion order: pages list records
in id order, the same before and after a reset or a restart.

Records go in and come out as copies: what a caller holds never aliases what
is stored, so the store changes only through insert/update (logged, indexed).
`Store.transaction()` makes several writes one change: all of them or none.
One re-entrant lock guards the store: the server is one process, many threads.
"""

from __future__ import annotations

import json
import os
import pickle
import threading
import heapq
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
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


class StoreError(Exception):
    """The store was used wrongly (a bug in the caller, not bad input)."""


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
        self.indexes = self.index_map(indexes)
        self.first_id = first_id
        self._maps: dict[str, dict] = {}
        self.attach()

    @staticmethod
    def index_map(indexes: tuple[Index, ...]) -> dict[str, Index]:
        """The indexes by name, with "all" (every record of a tenant) always there."""
        by_name = {ix.name: ix for ix in indexes}
        if len(by_name) != len(indexes):
            raise StoreError(f"two indexes share a name: {[ix.name for ix in indexes]}")
        by_name.setdefault("all", Index("all"))
        return by_name

    # -- lifecycle -------------------------------------------------------
    def attach(self) -> None:
        """(Re)bind to the store's table and rebuild the indexes from it."""
        table = self._store.db.table(self.name)
        table.first_id = self.first_id
        table._next_id = None
        self._table = table
        self._maps = {name: {} for name in self.indexes}
        # In numeric id order (a loaded file may hold "10" before "9"), so
        # each ordered index is built by appending.
        for key, doc in sorted(table._read_table().items(), key=lambda item: int(item[0])):
            self._reindex(int(key), None, doc)

    # -- writes ----------------------------------------------------------
    def insert(self, tenant: str, doc: dict) -> int:
        """Store a copy of `doc` for `tenant`; return its id (also the record's "id")."""
        with self._store.lock:
            record = _copy(doc)
            record[TENANT] = tenant
            self._check_unique(record, doc_id=None)
            next_id = self._table._next_id
            doc_id = self._table._get_next_id()
            record["id"] = doc_id
            self._table._update_table(lambda t: t.__setitem__(doc_id, record))
            self._reindex(doc_id, None, record)
            self._store._written(self, doc_id, None, next_id, record)
            return doc_id

    def update(self, tenant: str, doc_id: int, changes: dict) -> dict | None:
        """Apply `changes` to the tenant's record; None if it has no such record.
        A record's id and tenant never change (`changes` may repeat them)."""
        if changes.get("id", doc_id) != doc_id or changes.get(TENANT, tenant) != tenant:
            raise StoreError(f"{self.name}: update cannot change a record's id or tenant")
        with self._store.lock:
            current = self._raw(tenant, doc_id)
            if current is None:
                return None
            # A new dict: the stored one is never changed in place, so it can
            # serve as the undo entry's "before".
            updated = {**current, **_copy(changes)}
            self._check_unique(updated, doc_id=doc_id)
            self._table._update_table(lambda t: t.__setitem__(doc_id, updated))
            self._reindex(doc_id, current, updated)
            self._store._written(self, doc_id, current, self._table._next_id, updated)
            return _public(updated)

    # -- reads -----------------------------------------------------------
    def get(self, tenant: str, doc_id: int) -> dict | None:
        with self._store.lock:
            return _public(self._raw(tenant, doc_id))

    def find(self, tenant: str, index: str, *values) -> dict | None:
        """The tenant's record with these values in a unique index, or None."""
        ix = self._index(index, values, unique=True)
        with self._store.lock:
            doc_id = self._maps[index].get(ix.key(tenant, dict(zip(ix.fields, values))))
            return None if doc_id is None else self.get(tenant, doc_id)

    def page(self, tenant: str, index: str = "all", *values, offset: int = 0, limit: int | None = None) -> Page:
        """A slice of the tenant's records under an ordered index, in id order (oldest first)."""
        ix = self._index(index, values, unique=False)
        with self._store.lock:
            ids = self._maps[index].get(ix.key(tenant, dict(zip(ix.fields, values))), [])
            end = None if limit is None else offset + limit
            table = self._table._read_table()
            items = [_public(table[str(i)]) for i in ids[offset:end]]
            return Page(items=items, total=len(ids))

    def query(self, tenant: str, match: Mapping[str, Iterable[tuple]] | None = None, *,
              where: Callable[[dict], bool] | None = None, order: Callable[[dict], Any] | None = None,
              descending: bool = False, offset: int = 0, limit: int | None = None) -> Page:
        """A page of the tenant's records that, for every index named in
        `match`, hold one of the given value tuples in it (unique or ordered
        index), and pass `where`; in id order (or by the `order` key, ties in
        id order), newest first with `descending`.

        The index with the fewest candidates drives; the other indexes are
        checked on each candidate by its key, so the cost is that of the
        smallest candidate set, not the collection. With one index and no
        `where`/`order`, a page costs its length, not its candidates'.
        `where` and `order` see the stored record and must not change it;
        only the returned page is copied."""
        with self._store.lock:
            sources = [self._candidates(tenant, name, alternatives) for name, alternatives in (match or {}).items()]
            if not sources:
                sources = [self._candidates(tenant, "all", [()])]
            driver = min(sources, key=lambda source: source[2])
            checks = [(self.indexes[name], keys) for name, keys, _, _ in sources if name != driver[0]]
            ids = _merged(driver[3], descending)
            end = None if limit is None else offset + limit
            table = self._table._read_table()
            if not checks and where is None and order is None:
                return Page([_public(table[str(i)]) for i in islice(ids, offset, end)], driver[2])
            # map/filter keep the walk in C: a full scan of 100k records stays well under 100 ms
            docs = map(table.__getitem__, map(str, ids))
            if checks:
                docs = (doc for doc in docs if all(ix.key(tenant, doc) in keys for ix, keys in checks))
            matched = list(docs if where is None else filter(where, docs))
            if order is not None:  # stable: equal keys keep id order, in the direction asked
                matched.sort(key=order, reverse=descending)
            return Page([_public(doc) for doc in matched[offset:end]], len(matched))

    def first(self, tenant: str) -> dict | None:
        page = self.page(tenant, limit=1)
        return page.items[0] if page.items else None

    # -- internals -------------------------------------------------------
    def _index(self, name: str, values: tuple, *, unique: bool) -> Index:
        """The index `name`, checked to be of the kind and arity the caller uses."""
        ix = self.indexes.get(name)
        if ix is None:
            raise StoreError(f"{self.name} has no index {name!r}")
        if ix.unique != unique:
            kind = "unique (use find)" if ix.unique else "ordered (use page)"
            raise StoreError(f"{self.name}.{name} is {kind}")
        if len(values) != len(ix.fields):
            raise StoreError(f"{self.name}.{name} takes {len(ix.fields)} value(s), got {len(values)}")
        return ix

    def _candidates(self, tenant: str, name: str, alternatives: Iterable[tuple]) -> tuple:
        """(index name, its keys for these value tuples, how many ids, their id lists)."""
        ix = self.indexes.get(name)
        if ix is None:
            raise StoreError(f"{self.name} has no index {name!r}")
        keys = set()
        for values in alternatives:
            self._index(name, tuple(values), unique=ix.unique)
            key = ix.key(tenant, dict(zip(ix.fields, values)))
            if key is not None:
                keys.add(key)
        entries = self._maps[name]
        if ix.unique:
            lists = [[entries[key]] for key in keys if key in entries]
        else:
            lists = [entries[key] for key in keys if key in entries]
        return name, keys, sum(map(len, lists)), lists

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

    def _reindex(self, doc_id: int, before: dict | None, after: dict | None) -> None:
        """Move a record between index keys (None: not stored). An unchanged
        key keeps its place; a new one takes the place its id gives it."""
        for name, ix in self.indexes.items():
            old = None if before is None else ix.key(before[TENANT], before)
            new = None if after is None else ix.key(after[TENANT], after)
            if old == new:
                continue
            entries = self._maps[name]
            if ix.unique:
                if old is not None and entries.get(old) == doc_id:
                    del entries[old]
                if new is not None:
                    entries[new] = doc_id
            else:
                if old is not None:
                    ids = entries[old]
                    del ids[bisect_left(ids, doc_id)]
                    if not ids:
                        del entries[old]
                if new is not None:
                    insort(entries.setdefault(new, []), doc_id)  # a new id: an append

    def _revert(self, doc_id: int, before: dict | None, next_id: int | None) -> None:
        """Put a record back as it was before a write (None: not there)."""
        current = self._table._read_table()[str(doc_id)]
        if before is None:
            self._table._update_table(lambda t: t.__delitem__(doc_id))
        else:
            self._table._update_table(lambda t: t.__setitem__(doc_id, before))
        self._reindex(doc_id, current, before)
        self._table._next_id = next_id


def _merged(lists: list[list[int]], descending: bool) -> Iterator[int]:
    """Ascending id lists as one id order (the lists of distinct keys of one
    index never share an id), lazily."""
    if len(lists) == 1:
        return reversed(lists[0]) if descending else iter(lists[0])
    if descending:
        return heapq.merge(*(reversed(ids) for ids in lists), reverse=True)
    return heapq.merge(*lists)


_SCALARS = {str, int, float, bool, type(None)}


def _copy(value):
    """A JSON-like value with dicts and lists of its own: plain ones, even from
    subclasses or tuples (as JSON would make them). Scalars are immutable, so
    shared. A fraction of copy.deepcopy's cost: records are copied in and
    out on every call."""
    if isinstance(value, dict):
        copy = dict(value)
        for key, item in copy.items():
            if type(item) not in _SCALARS:  # exact types: the fast path for most values
                copy[key] = _copy(item)
        return copy
    if isinstance(value, (list, tuple)):
        return [item if type(item) in _SCALARS else _copy(item) for item in value]
    return value


def _public(doc: dict | None) -> dict | None:
    """A copy of a stored record without the store's own bookkeeping."""
    if doc is None:
        return None
    public = _copy(doc)
    del public[TENANT]
    return public


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


class Store:
    """The one state store of a sandbox process: TinyDB in memory, optionally
    persisted through a StateFile (see persist_to)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.db: TinyDB = _TinyDB(storage=MemoryStorage)
        self._collections: dict[str, Collection] = {}
        self._state_file: StateFile | None = None
        # The open transaction's writes, oldest first: (collection, id,
        # record before or None, next-id counter before, record after).
        # Only the thread holding the lock can be inside a transaction.
        self._undo: list[tuple] | None = None

    def persist_to(self, path: str) -> None:
        """Persist the state to a TinyDB JSON file. A file that already holds
        state wins over what is in memory (the server resumes where it
        stopped); an empty or new file takes what is in memory now."""
        with self.lock:
            self._outside_transaction("persist_to")
            state_file = StateFile(path)
            persisted = state_file.load()
            if any(persisted.values()):
                self._replace(persisted)
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
                collection = Collection(self, name, tuple(indexes or ()), 1 if first_id is None else first_id)
                self._collections[name] = collection
                return collection
            if indexes is not None and Collection.index_map(tuple(indexes)) != existing.indexes:
                raise StoreError(f"{name} is already declared with other indexes")
            if first_id is not None and first_id != existing.first_id:
                raise StoreError(f"{name} is already declared with first_id={existing.first_id}")
            return existing

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

    def snapshot(self) -> bytes:
        """Everything stored, as bytes to hand back to restore()."""
        with self.lock:
            return pickle.dumps(self._tables(), protocol=pickle.HIGHEST_PROTOCOL)

    def restore(self, snapshot: bytes) -> None:
        """Replace everything stored with a snapshot and rebuild the indexes."""
        with self.lock:
            self._outside_transaction("restore")
            self._replace(pickle.loads(snapshot))
            if self._state_file:
                # Now, not at shutdown: the log still holds the writes from
                # before the reset, and a crash would replay them.
                self._state_file.compact(self._tables())

    def close(self) -> None:
        with self.lock:
            self._outside_transaction("close")
            if self._state_file:
                self._state_file.compact(self._tables())
                self._state_file = None

    # -- internals -------------------------------------------------------
    def _tables(self) -> dict:
        return self.db.storage.read() or {}

    def _replace(self, tables: dict) -> None:
        self.db.storage.write(tables)
        self.db.clear_cache()
        for collection in self._collections.values():
            collection.attach()

    def _outside_transaction(self, operation: str) -> None:
        if self._undo is not None:
            raise StoreError(f"{operation} inside a transaction could not be undone")

    def _written(self, collection: Collection, doc_id: int, before: dict | None, next_id: int | None,
                 after: dict) -> None:
        """Called by collections after each write, under the lock."""
        if self._undo is not None:
            self._undo.append((collection, doc_id, before, next_id, after))
        elif self._state_file:
            self._state_file.append([(collection.name, doc_id, after)])
