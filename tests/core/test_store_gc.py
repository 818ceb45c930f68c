"""A large collection costs the garbage collector nothing per request: a
unique index's map (tenant, value) -> id stays tracked and old, so an insert
after a full collection does not make it young again, where the next young
collections would walk every one of its entries (~3 ms at 100k records,
inside whichever request they fall in: the tails bench/flatness.py holds)."""

from __future__ import annotations

import gc

from sandbox.core import store as st
from tests.core.test_store import PEOPLE, person


def young() -> set[int]:
    return {id(o) for generation in (0, 1) for o in gc.get_objects(generation=generation)}


def test_an_insert_after_a_full_collection_leaves_the_unique_index_old():
    store = st.Store()
    try:
        people = store.collection("people", PEOPLE)
        for n in range(2000):
            people.insert("tenant-a", person(f"p{n}@example.com"))
        emails = people._maps["email"]
        gc.collect()
        people.insert("tenant-a", person("new@example.com"))
        assert people.find("tenant-a", "email", "NEW@example.com")["email"] == "new@example.com"
        assert gc.is_tracked(emails) and id(emails) not in young()
        restored = people.capture()  # a snapshot's maps, and those a reset brings back, keep it too
        people.bring_back(restored)
        gc.collect()
        people.insert("tenant-a", person("newer@example.com"))
        assert gc.is_tracked(people._maps["email"]) and id(people._maps["email"]) not in young()
    finally:
        store.close()
