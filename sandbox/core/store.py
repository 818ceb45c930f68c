"""The sandbox's state: tenant-scoped collections with O(1) keyed access,
persisted (with --state-file) in TinyDB's JSON file format.

* Records are kept compact: each is one immutable blob, the orjson encoding
  of its values, with its keys kept once per collection ("shapes"). A blob
  costs a fraction of a dict of Python objects, is invisible to the garbage
  collector (so a full collection does not grow with the data), and every
  read decodes a fresh copy, so what a caller holds never aliases what is
  stored: the store changes only through insert/update (logged, indexed).
  Records are JSON values; anything else is refused with StoreError.
* `Collection` keeps in-memory indexes beside each table: unique indexes
  (key -> id) for uniqueness checks and lookups, and ordered indexes (key ->
  ids in id order) for paging. Queries go through an index or not at all.
* `Store.transaction()` makes several writes one change: all of them or none.
* `snapshot()` / `restore()`: a restore swaps in copies of the snapshot's
  tables and indexes (as large as the scenario, not as the data) and frees
  the old state on a background thread, so reset does not grow with what
  tests stored.
* `StateFile` persists by appending each write to a log beside the JSON file.

Every record belongs to a tenant (the credential that created it). Every read
and write names the tenant, and a record of another tenant is simply absent.
Ids grow with each insert, so id order is insertion order: pages list records
in id order, the same before and after a reset or a restart.
One re-entrant lock guards the store: the server is one process, many threads.
"""

from __future__ import annotations

import heapq
import json
import os
import threading
import time
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import MemoryStorage

TENANT = "_tenant"


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
    keying (e.g. str.casefold for case-insensitive uniqueness).

    A `text` index keeps each record's fields as one casefolded text, for
    `query(search=...)`: a substring search that reads these texts, not the
    records (a scan of 100k records then costs milliseconds, not a decode of
    each)."""

    name: str
    fields: tuple[str, ...] = ()
    unique: bool = False
    normalize: Callable[[Any], Any] | None = None
    text: bool = False

    def __post_init__(self):
        if self.text and (self.unique or not self.fields):
            raise StoreError(f"text index {self.name} names its fields and is not unique")

    def text_of(self, doc: dict) -> str:
        return "\x1f".join(str(doc.get(f) or "").casefold() for f in self.fields)

    def key(self, tenant: str, doc: dict) -> tuple | None:
        fields = self.fields
        if len(fields) == 1:  # the common case, on every write: no generator, no tuple walk
            value = doc.get(fields[0])
            if value is None and self.unique:
                return None
            if self.normalize is not None and isinstance(value, str):
                value = self.normalize(value)
            return (tenant, value)
        values = tuple(doc.get(f) for f in fields)
        if self.unique and any(v is None for v in values):
            return None
        if self.normalize:
            values = tuple(self.normalize(v) if isinstance(v, str) else v for v in values)
        return (tenant, *values)


@dataclass
class Page:
    items: list[dict]
    total: int


class _Codec:
    """Records <-> blobs. A blob is orjson of [*values, shape]; a shape is the
    record's key tuple, registered once per collection and never forgotten
    (so any blob, from a snapshot too, always decodes)."""

    def __init__(self, name: str):
        self.name = name
        self.shapes: list[tuple[str, ...]] = []
        self._shape_ids: dict[tuple[str, ...], int] = {}

    def encode(self, record: dict) -> bytes:
        keys = tuple(record)
        shape = self._shape_ids.get(keys)
        if shape is None:
            shape = self._shape_ids[keys] = len(self.shapes)
            self.shapes.append(keys)
        try:
            # orjson's own bytes keep an ~8 KiB buffer each: keep an exact copy.
            return memoryview(orjson.dumps([*record.values(), shape])).tobytes()
        except TypeError as exc:
            raise StoreError(f"{self.name}: a record holds JSON values only ({exc})") from None

    def decode(self, blob: bytes) -> dict:
        values = orjson.loads(blob)
        return dict(zip(self.shapes[values.pop()], values))


class Collection:
    """One kind of record, tenant-scoped: a table of blobs and its indexes."""

    def __init__(self, store: Store, name: str, indexes: tuple[Index, ...], first_id: int):
        self._store = store
        self.name = name
        self.indexes = self.index_map(indexes)
        self.first_id = first_id
        self._codec = _Codec(name)
        self._rows: dict[int, bytes] = {}
        self._maps: dict[str, dict] = {name: {} for name in self.indexes}
        self._next_id = first_id

    @staticmethod
    def index_map(indexes: tuple[Index, ...]) -> dict[str, Index]:
        """The indexes by name, with "all" (every record of a tenant) always there."""
        by_name = {ix.name: ix for ix in indexes}
        if len(by_name) != len(indexes):
            raise StoreError(f"two indexes share a name: {[ix.name for ix in indexes]}")
        by_name.setdefault("all", Index("all"))
        return by_name

    # -- lifecycle -------------------------------------------------------
    def load(self, docs: dict[str, dict], next_id: int | None = None) -> None:
        """Replace the records with these (a state file's table: str id -> record)
        and rebuild the indexes, in numeric id order. Ids go on from
        `next_id` (by default: after the largest)."""
        self._rows, self._maps = {}, {name: {} for name in self.indexes}
        for doc_id, doc in sorted(((int(k), v) for k, v in docs.items()), key=lambda item: item[0]):
            self._rows[doc_id] = self._codec.encode(doc)
            self._reindex(doc_id, None, doc)
        self._next_id = max(max(self._rows, default=self.first_id - 1) + 1, next_id or 0)

    def dump(self) -> dict[str, dict]:
        """The records as a state file's table."""
        return {str(doc_id): self._codec.decode(blob) for doc_id, blob in self._rows.items()}

    @property
    def next_id(self) -> int:
        return self._next_id

    def check_loadable(self, docs: dict[str, dict]) -> None:
        """Raise StoreError unless load(docs) would give a consistent table:
        ids that are integers and match the record's "id", a tenant on each
        record, JSON values only, and no two records of a tenant sharing a
        unique key."""
        seen: dict[str, set] = {name: set() for name, ix in self.indexes.items() if ix.unique}
        for key, doc in docs.items():
            if not isinstance(doc, dict) or not isinstance(doc.get(TENANT), str) or str(doc.get("id")) != str(key) \
                    or type(doc.get("id")) is not int:
                raise StoreError(f"{self.name}/{key}: a record is an object with its own integer id and a tenant")
            self._codec.encode(doc)
            for name in seen:
                ix_key = self.indexes[name].key(doc[TENANT], doc)
                if ix_key is not None and ix_key in seen[name]:
                    raise StoreError(f"{self.name}/{key}: {name} is not unique")
                seen[name].add(ix_key)

    def restore_tenant(self, captured: tuple | None, tenant: str) -> int:
        """Put one tenant's records back to what capture() held, leaving every
        other tenant's as they are; ids keep growing (another tenant may hold
        newer ones). Costs the tenant's records, not the collection's.
        Returns how many records were dropped or brought back."""
        current = list(self._maps["all"].get((tenant,), ()))
        for doc_id in current:
            self._reindex(doc_id, self._codec.decode(self._rows.pop(doc_id)), None)
        rows, maps = (captured[0], captured[1]) if captured is not None else ({}, {})
        kept = list(maps.get("all", {}).get((tenant,), ()))
        for doc_id in kept:
            self._rows[doc_id] = rows[doc_id]
            self._reindex(doc_id, None, self._codec.decode(rows[doc_id]))
        return len(current) + len(kept)

    def capture(self) -> tuple:
        """What restore() needs to bring this collection back (copies)."""
        return dict(self._rows), _copy_maps(self._maps), self._next_id

    def bring_back(self, captured: tuple | None) -> tuple:
        """Become what capture() returned (or empty); returns the old state,
        for the caller to free."""
        old = (self._rows, self._maps)
        if captured is None:
            self._rows, self._maps, self._next_id = {}, {name: {} for name in self.indexes}, self.first_id
        else:
            rows, maps, next_id = captured
            self._rows, self._maps, self._next_id = dict(rows), _copy_maps(maps), next_id
        return old

    def count(self) -> int:
        return len(self._rows)

    # -- writes ----------------------------------------------------------
    def insert(self, tenant: str, doc: dict) -> int:
        """Store `doc` for `tenant`; return its id (also the record's "id")."""
        with self._store.lock:
            record = {**doc, TENANT: tenant}
            self._check_unique(record, doc_id=None)
            doc_id = self._next_id
            record["id"] = doc_id
            blob = self._codec.encode(record)
            self._rows[doc_id] = blob
            self._next_id += 1
            self._reindex(doc_id, None, record)
            self._store._written(self, doc_id, None, doc_id, record)
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
            updated = {**current, **changes}
            self._check_unique(updated, doc_id=doc_id)
            blob = self._codec.encode(updated)
            before = self._rows[doc_id]
            self._rows[doc_id] = blob
            self._reindex(doc_id, current, updated)
            self._store._written(self, doc_id, before, self._next_id, updated)
            return self._public(blob)

    # -- reads -----------------------------------------------------------
    def get(self, tenant: str, doc_id: int) -> dict | None:
        with self._store.lock:
            record = self._raw(tenant, doc_id)
        if record is not None:
            del record[TENANT]
        return record

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
            ids = self._maps[index].get(ix.key(tenant, dict(zip(ix.fields, values))), ())
            end = None if limit is None else offset + limit
            blobs = [self._rows[i] for i in ids[offset:end]]
            total = len(ids)
        return Page(items=[self._public(b) for b in blobs], total=total)

    def query(self, tenant: str, match: Mapping[str, Iterable[tuple]] | None = None, *,
              search: tuple[str, str] | None = None,
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
        `search=(text index, needle)` keeps the candidates whose text holds
        the needle (casefolded), before any record is decoded. `where` and
        `order` see a decoded copy of each remaining candidate."""
        with self._store.lock:
            sources = [self._candidates(tenant, name, alternatives) for name, alternatives in (match or {}).items()]
            if not sources:
                sources = [self._candidates(tenant, "all", [()])]
            driver = min(sources, key=lambda source: source[2])
            checks = [(self.indexes[name], keys) for name, keys, _, _ in sources if name != driver[0]]
            ids = _merged(driver[3], descending)
            end = None if limit is None else offset + limit
            if search is not None:
                texts, needle = self._text_index(search[0]), search[1].casefold()
                ids = filter(lambda i: needle in texts[i], ids)
                if not checks and where is None and order is None:
                    ids = list(ids)
                    driver = (driver[0], driver[1], len(ids), driver[3])
                    ids = iter(ids)
            if not checks and where is None and order is None:
                blobs = [self._rows[i] for i in islice(ids, offset, end)]
                return Page([self._public(b) for b in blobs], driver[2])
            # map/filter keep the walk in C as far as they can
            docs = map(self._codec.decode, map(self._rows.__getitem__, ids))
            if checks:
                docs = (doc for doc in docs if all(ix.key(tenant, doc) in keys for ix, keys in checks))
            matched = list(docs if where is None else filter(where, docs))
        if order is not None:  # stable: equal keys keep id order, in the direction asked
            matched.sort(key=order, reverse=descending)
        page = matched[offset:end]
        for doc in page:
            del doc[TENANT]
        return Page(page, len(matched))

    def first(self, tenant: str) -> dict | None:
        page = self.page(tenant, limit=1)
        return page.items[0] if page.items else None

    # -- internals -------------------------------------------------------
    def _public(self, blob: bytes) -> dict:
        """A fresh copy of a stored record without the store's own bookkeeping."""
        record = self._codec.decode(blob)
        del record[TENANT]
        return record

    def _index(self, name: str, values: tuple, *, unique: bool) -> Index:
        """The index `name`, checked to be of the kind and arity the caller uses."""
        ix = self.indexes.get(name)
        if ix is None or ix.text:
            raise StoreError(f"{self.name} has no index {name!r} to find or page by")
        if ix.unique != unique:
            kind = "unique (use find)" if ix.unique else "ordered (use page)"
            raise StoreError(f"{self.name}.{name} is {kind}")
        if len(values) != len(ix.fields):
            raise StoreError(f"{self.name}.{name} takes {len(ix.fields)} value(s), got {len(values)}")
        return ix

    def _text_index(self, name: str) -> dict[int, str]:
        ix = self.indexes.get(name)
        if ix is None or not ix.text:
            raise StoreError(f"{self.name} has no text index {name!r}")
        return self._maps[name]

    def _candidates(self, tenant: str, name: str, alternatives: Iterable[tuple]) -> tuple:
        """(index name, its keys for these value tuples, how many ids, their id lists)."""
        ix = self.indexes.get(name)
        if ix is None or ix.text:
            raise StoreError(f"{self.name} has no index {name!r} to match")
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
        blob = self._rows.get(doc_id) if type(doc_id) is int else None
        if blob is None:
            return None
        record = self._codec.decode(blob)
        return record if record[TENANT] == tenant else None

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
            entries = self._maps[name]
            if ix.text:  # id -> text, not key -> ids
                if after is None:
                    entries.pop(doc_id, None)
                else:
                    entries[doc_id] = ix.text_of(after)
                continue
            old = None if before is None else ix.key(before[TENANT], before)
            new = None if after is None else ix.key(after[TENANT], after)
            if old == new:
                continue
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

    def _revert(self, doc_id: int, before: bytes | None, next_id: int) -> None:
        """Put a record back as it was before a write (None: not there)."""
        current = self._codec.decode(self._rows[doc_id])
        if before is None:
            del self._rows[doc_id]
        else:
            self._rows[doc_id] = before
        self._reindex(doc_id, current, None if before is None else self._codec.decode(before))
        self._next_id = next_id


def _merged(lists: list[list[int]], descending: bool) -> Iterator[int]:
    """Ascending id lists as one id order (the lists of distinct keys of one
    index never share an id), lazily."""
    if len(lists) == 1:
        return reversed(lists[0]) if descending else iter(lists[0])
    if descending:
        return heapq.merge(*(reversed(ids) for ids in lists), reverse=True)
    return heapq.merge(*lists)


def _copy_maps(maps: dict[str, dict]) -> dict[str, dict]:
    """Index maps of our own: ordered indexes hold lists, which change in place."""
    return {name: {key: (list(ids) if isinstance(ids, list) else ids) for key, ids in entries.items()}
            for name, entries in maps.items()}


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
                collection = Collection(self, name, tuple(indexes or ()), 1 if first_id is None else first_id)
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
