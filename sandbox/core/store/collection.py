"""One kind of record, tenant-scoped: a table of blobs and its indexes
(unique: key -> id; ordered: key -> ids in id order; text: id -> text)."""

from __future__ import annotations

import heapq
import threading
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sandbox.core.store.codec import TENANT, Codec, StoreError, UniqueViolation


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


class Collection:
    """One kind of record, tenant-scoped: a table of blobs and its indexes."""

    def __init__(self, name: str, indexes: tuple[Index, ...], first_id: int, lock: threading.RLock,
                 written: Callable[[Collection, int, bytes | None, int, dict], None]):
        self._lock = lock
        #: told of each write, under the lock (the store logs it, or keeps it to undo)
        self._written = written
        self.name = name
        self.indexes = self.index_map(indexes)
        self.first_id = first_id
        self._codec = Codec(name)
        self._rows: dict[int, bytes] = {}
        self._maps: dict[str, dict] = self._empty_maps()
        self._next_id = first_id

    def _empty_maps(self) -> dict[str, dict]:
        """Each index's map, empty. A unique index's map holds (tenant, value) -> id: only
        atomic values once the collector has untracked its key tuples, so a full collection
        untracks the map itself, and the next insert of a new key tuple tracks it again as a
        young object: the next two young collections then walk every entry (~3 ms at 100k
        records, inside whichever request they fall in). An entry that stays tracked (a list
        under a key of its own, which no lookup can name) keeps the map tracked and old:
        only full collections walk it."""
        return {name: ({_KEEP_TRACKED: []} if ix.unique and not ix.text else {}) for name, ix in self.indexes.items()}

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
        self._rows, self._maps = {}, self._empty_maps()
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
            for name, keys in seen.items():
                ix_key = self.indexes[name].key(doc[TENANT], doc)
                if ix_key is not None and ix_key in keys:
                    raise StoreError(f"{self.name}/{key}: {name} is not unique")
                keys.add(ix_key)

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
            self._rows, self._maps, self._next_id = {}, self._empty_maps(), self.first_id
        else:
            rows, maps, next_id = captured
            self._rows, self._maps, self._next_id = dict(rows), _copy_maps(maps), next_id
        return old

    def count(self) -> int:
        return len(self._rows)

    def tenants(self) -> set[str]:
        """The tenants that hold at least one record here."""
        with self._lock:
            return {key[0] for key in self._maps["all"]}

    # -- writes ----------------------------------------------------------
    def insert(self, tenant: str, doc: dict) -> int:
        """Store `doc` for `tenant`; return its id (also the record's "id")."""
        with self._lock:
            record = {**doc, TENANT: tenant}
            self._check_unique(record, doc_id=None)
            doc_id = self._next_id
            record["id"] = doc_id
            blob = self._codec.encode(record)
            self._rows[doc_id] = blob
            self._next_id += 1
            self._reindex(doc_id, None, record)
            self._written(self, doc_id, None, doc_id, record)
            return doc_id

    def update(self, tenant: str, doc_id: int, changes: dict) -> dict | None:
        """Apply `changes` to the tenant's record; None if it has no such record.
        A record's id and tenant never change (`changes` may repeat them)."""
        if changes.get("id", doc_id) != doc_id or changes.get(TENANT, tenant) != tenant:
            raise StoreError(f"{self.name}: update cannot change a record's id or tenant")
        with self._lock:
            current = self._raw(tenant, doc_id)
            if current is None:
                return None
            updated = {**current, **changes}
            self._check_unique(updated, doc_id=doc_id)
            blob = self._codec.encode(updated)
            before = self._rows[doc_id]
            self._rows[doc_id] = blob
            self._reindex(doc_id, current, updated)
            self._written(self, doc_id, before, self._next_id, updated)
            return self._public(blob)

    # -- reads -----------------------------------------------------------
    def get(self, tenant: str, doc_id: int) -> dict | None:
        with self._lock:
            record = self._raw(tenant, doc_id)
        if record is not None:
            del record[TENANT]
        return record

    def find(self, tenant: str, index: str, *values) -> dict | None:
        """The tenant's record with these values in a unique index, or None."""
        ix = self._index(index, values, unique=True)
        with self._lock:
            doc_id = self._maps[index].get(ix.key(tenant, dict(zip(ix.fields, values))))
            return None if doc_id is None else self.get(tenant, doc_id)

    def page(self, tenant: str, index: str = "all", *values, offset: int = 0, limit: int | None = None,
             keys: tuple[str, ...] | None = None) -> Page:
        """A slice of the tenant's records under an ordered index, in id order
        (oldest first); with `keys`, each record holds only those of them it has."""
        ix = self._index(index, values, unique=False)
        with self._lock:
            ids = self._maps[index].get(ix.key(tenant, dict(zip(ix.fields, values))), ())
            end = None if limit is None else offset + limit
            blobs = [self._rows[i] for i in ids[offset:end]]
            total = len(ids)
        if keys is not None:
            if TENANT in keys:
                raise StoreError(f"{self.name}: {TENANT} is the store's own, not a record's key")
            return Page(items=[self._codec.decode_keys(b, keys) for b in blobs], total=total)
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
        with self._lock:
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


#: the key of a unique index map's entry that keeps the map tracked by the collector (see Collection._empty_maps)
_KEEP_TRACKED = object()


def _copy_maps(maps: dict[str, dict]) -> dict[str, dict]:
    """Index maps of our own: ordered indexes hold lists, which change in place."""
    return {name: {key: (list(ids) if isinstance(ids, list) else ids) for key, ids in entries.items()}
            for name, entries in maps.items()}
