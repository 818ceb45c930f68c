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

from sandbox.core.store.codec import TENANT, StoreError, UniqueViolation
from sandbox.core.store.collection import Collection, Index, Page
from sandbox.core.store.state_file import StateFile
from sandbox.core.store.store import Snapshot, Store

__all__ = ["TENANT", "Collection", "Index", "Page", "Snapshot", "StateFile", "Store", "StoreError", "UniqueViolation"]
