"""Records <-> compact blobs, and what every part of the store shares:
the tenant key each record carries and the store's own error."""

from __future__ import annotations

import orjson

TENANT = "_tenant"


class StoreError(Exception):
    """The store was used wrongly (a bug in the caller, not bad input)."""


class UniqueViolation(Exception):
    """An insert or update would give two records of a tenant the same key."""

    def __init__(self, index: str):
        super().__init__(index)
        self.index = index


class Codec:
    """Records <-> blobs. A blob is orjson of [*values, shape]; a shape is the
    record's key tuple, registered once per collection and never forgotten
    (so any blob, from a snapshot too, always decodes)."""

    def __init__(self, name: str):
        self.name = name
        self.shapes: list[tuple[str, ...]] = []
        self._shape_ids: dict[tuple[str, ...], int] = {}
        #: (shape id, wanted keys) -> ((key, position in the blob), ...) of the keys that shape has
        self._projections: dict[tuple[int, tuple[str, ...]], tuple[tuple[str, int], ...]] = {}

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

    def decode_keys(self, blob: bytes, keys: tuple[str, ...]) -> dict:
        """Only `keys` of the record (those it has), in that order: a list
        that shows five keys of a fifty-key record builds five."""
        values = orjson.loads(blob)
        projection = self._projections.get((values[-1], keys))
        if projection is None:
            shape = self.shapes[values[-1]]
            projection = tuple((key, shape.index(key)) for key in keys if key in shape)
            self._projections[(values[-1], keys)] = projection
        return {key: values[position] for key, position in projection}
