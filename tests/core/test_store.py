"""The store's contract, driven through its own API: order by id, copies in
and out, fixed ids and tenants, strict declarations, real errors for misuse,
transactions, and the state file."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sandbox.core import store as st
from tests.server import ROOT

A, B = "tenant-a", "tenant-b"
PEOPLE = (
    st.Index("email", ("email",), unique=True, normalize=str.casefold),
    st.Index("status", ("status",)),
)


def person(email: str, status: str = "new", **extra) -> dict:
    return {"email": email, "status": status, "address": {"city": "Hometown"}, "tags": ["first"], **extra}


def ids(page: st.Page) -> list[int]:
    return [record["id"] for record in page.items]


@pytest.fixture
def store():
    store = st.Store()
    yield store
    store.close()


@pytest.fixture
def people(store):
    return store.collection("people", PEOPLE)


def reopen(path) -> tuple[st.Store, st.Collection]:
    """A new process on the same state file (the old one is left as a crash leaves it)."""
    store = st.Store()
    people = store.collection("people", PEOPLE)
    store.persist_to(str(path))
    return store, people


def moved_record(people) -> None:
    """Ids 1 and 3 are "new", 2 "done"; then 1 moves to "done", beside the younger 2."""
    for email, status in [("one@x", "new"), ("two@x", "done"), ("three@x", "new")]:
        people.insert(A, person(email, status))
    people.update(A, 1, {"status": "done"})


# -- 1. order is id order, before and after a reset or a restart -----------------------
def test_a_record_moved_to_another_key_takes_the_place_of_its_id(people):
    moved_record(people)
    assert ids(people.page(A, "status", "done")) == [1, 2]
    assert ids(people.page(A, "status", "new")) == [3]


def test_pages_are_the_same_after_a_restore(store, people):
    moved_record(people)
    before = people.page(A, "status", "done")
    store.restore(store.snapshot())
    assert people.page(A, "status", "done") == before


def test_pages_are_the_same_after_a_restart(tmp_path, store, people):
    store.persist_to(str(tmp_path / "state.json"))
    moved_record(people)
    before = people.page(A, "status", "done")
    _, reopened = reopen(tmp_path / "state.json")
    assert reopened.page(A, "status", "done") == before


def test_a_file_with_ids_in_any_order_loads_in_id_order(tmp_path):
    state = tmp_path / "state.json"
    records = {str(i): {**person(f"p{i}@x"), "id": i, st.TENANT: A} for i in (10, 9, 2)}
    state.write_text(json.dumps({"people": records}))
    _store, people = reopen(state)
    assert ids(people.page(A)) == [2, 9, 10]
    assert people.insert(A, person("next@x")) == 11


# -- 2. records go in and come out as copies -------------------------------------------
READERS = {
    "get": lambda people: people.get(A, 1),
    "find": lambda people: people.find(A, "email", "one@x"),
    "page": lambda people: people.page(A).items[0],
    "page of keys": lambda people: people.page(A, keys=("email", "status", "address", "tags")).items[0],
    "first": lambda people: people.first(A),
    "update": lambda people: people.update(A, 1, {"status": "done"}),
}


@pytest.mark.parametrize("read", READERS.values(), ids=READERS.keys())
def test_a_record_handed_out_cannot_change_the_stored_one(people, read):
    people.insert(A, person("one@x"))
    stored = people.get(A, 1)
    record = read(people)
    record["address"]["city"] = "Elsewhere"
    record["tags"].append("second")
    record["email"] = "changed@x"
    assert people.get(A, 1) == {**stored, "status": record["status"]}
    assert people.get(A, 1)["address"] == {"city": "Hometown"} and people.get(A, 1)["tags"] == ["first"]


def test_a_page_of_keys_holds_those_of_each_record_in_the_order_asked(people):
    people.insert(A, person("one@x"))
    people.insert(A, person("two@x", "done", note="second shape"))
    people.insert(B, person("three@x"))
    page = people.page(A, keys=("note", "id", "email"))
    assert page.total == 2
    assert [list(record.items()) for record in page.items] == [
        [("id", 1), ("email", "one@x")],  # a record without a key leaves it out
        [("note", "second shape"), ("id", 2), ("email", "two@x")],
    ]
    assert people.page(A, "status", "done", keys=("email",)).items == [{"email": "two@x"}]


def test_a_page_of_keys_never_shows_the_tenant(people):
    people.insert(A, person("one@x"))
    with pytest.raises(st.StoreError, match="_tenant"):
        people.page(A, keys=("email", "_tenant"))


def test_insert_stores_a_copy_of_the_doc(people):
    doc = person("one@x")
    people.insert(A, doc)
    doc["address"]["city"] = "Elsewhere"
    doc["tags"].append("second")
    doc["status"] = "done"
    assert people.get(A, 1) == {**person("one@x"), "id": 1}


def test_update_stores_a_copy_of_the_changes(people):
    people.insert(A, person("one@x"))
    changes = {"address": {"city": "Newtown"}, "tags": ["moved"]}
    people.update(A, 1, changes)
    changes["address"]["city"] = "Elsewhere"
    changes["tags"].append("again")
    assert people.get(A, 1) == {**person("one@x"), "id": 1, "address": {"city": "Newtown"}, "tags": ["moved"]}


# -- 3. a record's tenant and id never change ------------------------------------------
@pytest.mark.parametrize("changes", [{st.TENANT: B}, {"id": 7}], ids=["tenant", "id"])
def test_update_refuses_to_change_the_tenant_or_the_id(people, changes):
    people.insert(A, person("one@x"))
    with pytest.raises(st.StoreError):
        people.update(A, 1, {**changes, "status": "done"})
    assert people.get(A, 1) == {**person("one@x"), "id": 1}
    assert people.get(B, 1) is None and people.get(A, 7) is None


def test_update_takes_back_a_record_with_its_own_id(people):
    people.insert(A, person("one@x"))
    record = people.get(A, 1)
    assert people.update(A, 1, {**record, "status": "done"}) == {**record, "status": "done"}


# -- 4. a collection is declared once --------------------------------------------------
def test_the_same_declaration_or_the_name_alone_returns_the_collection(store, people):
    assert store.collection("people", PEOPLE) is people
    assert store.collection("people", tuple(reversed(PEOPLE)), first_id=1) is people
    assert store.collection("people") is people


@pytest.mark.parametrize("declaration", [
    {"indexes": PEOPLE[:1]},
    {"indexes": (*PEOPLE, st.Index("city", ("city",)))},
    {"indexes": (st.Index("email", ("email",), unique=True), PEOPLE[1])},  # no normalize
    {"indexes": PEOPLE, "first_id": 1000},
], ids=["fewer-indexes", "more-indexes", "other-index", "other-first-id"])
def test_a_different_declaration_is_an_error(store, people, declaration):
    with pytest.raises(st.StoreError):
        store.collection("people", **declaration)
    assert store.collection("people") is people and people.indexes["email"] == PEOPLE[0]


# -- 5. misuse raises, even under python -O ----------------------------------------------
MISUSES = {
    "find-on-ordered-index": lambda people: people.find(A, "status", "new"),
    "page-on-unique-index": lambda people: people.page(A, "email", "one@x"),
    "unknown-index": lambda people: people.page(A, "city", "Hometown"),
    "too-few-values": lambda people: people.page(A, "status"),
    "too-many-values": lambda people: people.find(A, "email", "one@x", "two@x"),
}


@pytest.mark.parametrize("misuse", MISUSES.values(), ids=MISUSES.keys())
def test_misuse_raises_store_error(people, misuse):
    people.insert(A, person("one@x"))
    with pytest.raises(st.StoreError):
        misuse(people)


def test_misuse_raises_under_python_O():
    script = (
        "from sandbox.core.store import Index, Store\n"
        "people = Store().collection('people', (Index('status', ('status',)),))\n"
        "try:\n"
        "    people.find('a', 'status', 'new')\n"
        "except Exception as error:\n"
        "    print(type(error).__name__)\n"
    )
    result = subprocess.run([sys.executable, "-O", "-c", script], cwd=ROOT, capture_output=True, text=True,
                            timeout=30, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "StoreError\n", "")


def test_unique_violation_is_still_its_own_exception(people):
    people.insert(A, person("one@x"))
    with pytest.raises(st.UniqueViolation) as raised:
        people.insert(A, person("ONE@x"))
    assert raised.value.index == "email" and people.page(A).total == 1


# -- 6. transactions: all of it or none of it ------------------------------------------------
class Boom(Exception):
    pass


def test_a_transaction_that_raises_leaves_no_trace(store, people):
    people.insert(A, person("one@x"))
    people.insert(A, person("two@x", "done"))
    before = [people.page(A, "status", s) for s in ("new", "done")], people.get(A, 1)
    with pytest.raises(Boom), store.transaction():
        assert people.insert(A, person("three@x")) == 3
        people.update(A, 1, {"email": "uno@x", "status": "done"})
        raise Boom
    assert ([people.page(A, "status", s) for s in ("new", "done")], people.get(A, 1)) == before
    assert people.get(A, 3) is None and people.find(A, "email", "uno@x") is None
    assert people.find(A, "email", "one@x") == people.get(A, 1)
    # the id and the email the undone insert took are free again
    assert people.insert(A, person("three@x")) == 3


def test_a_transaction_that_ends_keeps_all_its_writes(store, people):
    with store.transaction():
        people.insert(A, person("one@x"))
        people.update(A, 1, {"status": "done"})
        people.insert(A, person("two@x"))
    assert ids(people.page(A, "status", "done")) == [1] and ids(people.page(A, "status", "new")) == [2]


def test_an_undone_move_puts_the_record_back_in_its_place(store, people):
    moved_record(people)
    before = [people.page(A, "status", s) for s in ("new", "done")]
    with pytest.raises(Boom), store.transaction():
        people.update(A, 1, {"status": "new"})
        people.update(A, 3, {"status": "done"})
        raise Boom
    assert [people.page(A, "status", s) for s in ("new", "done")] == before


def test_a_unique_violation_undoes_the_writes_before_it(store, people):
    people.insert(A, person("one@x"))
    with pytest.raises(st.UniqueViolation), store.transaction():
        people.insert(A, person("two@x"))
        people.insert(A, person("One@x"))
    assert ids(people.page(A)) == [1] and people.find(A, "email", "two@x") is None


def test_a_nested_transaction_joins_the_outer_one(store, people):
    with pytest.raises(Boom), store.transaction():
        people.insert(A, person("one@x"))
        with store.transaction():
            people.insert(A, person("two@x"))
        raise Boom
    assert people.page(A).total == 0


def test_an_exception_in_a_nested_transaction_undoes_its_own_writes(store, people):
    with store.transaction():
        people.insert(A, person("one@x"))
        with pytest.raises(Boom), store.transaction():
            people.insert(A, person("two@x"))
            raise Boom
    assert ids(people.page(A)) == [1]


def test_a_restore_inside_a_transaction_is_refused(store, people):
    snapshot = store.snapshot()
    people.insert(A, person("one@x"))
    with store.transaction(), pytest.raises(st.StoreError):
        store.restore(snapshot)
    assert ids(people.page(A)) == [1]


def test_a_rolled_back_transaction_never_reaches_the_state_file(tmp_path, store, people):
    store.persist_to(str(tmp_path / "state.json"))
    people.insert(A, person("one@x"))
    with pytest.raises(Boom), store.transaction():
        people.insert(A, person("two@x"))
        people.update(A, 1, {"status": "done"})
        raise Boom
    _, reopened = reopen(tmp_path / "state.json")
    assert reopened.page(A).items == [{**person("one@x"), "id": 1}]


def test_a_transaction_is_logged_when_the_outermost_one_ends(tmp_path, store, people):
    store.persist_to(str(tmp_path / "state.json"))
    log = tmp_path / "state.json.journal"
    with store.transaction():
        with store.transaction():
            people.insert(A, person("one@x"))
            people.insert(A, person("two@x"))
        assert not log.exists()
    assert len(log.read_text().splitlines()) == 1
    _, reopened = reopen(tmp_path / "state.json")
    assert ids(reopened.page(A)) == [1, 2]


def test_a_transaction_torn_by_a_crash_is_lost_whole(tmp_path, store, people):
    store.persist_to(str(tmp_path / "state.json"))
    people.insert(A, person("one@x"))
    with store.transaction():
        people.insert(A, person("two@x"))
        people.update(A, 1, {"status": "done"})
    log = tmp_path / "state.json.journal"
    text = log.read_text()
    log.write_text(text[:-20])  # the crash cut the transaction's line
    _, reopened = reopen(tmp_path / "state.json")
    assert reopened.page(A).items == [{**person("one@x"), "id": 1}]


# -- 7. the state file keeps its format ------------------------------------------------------
def test_a_state_file_of_the_existing_format_loads(tmp_path):
    state = tmp_path / "state.json"
    one = {**person("one@x"), "id": 1, st.TENANT: A}
    state.write_text(json.dumps({"people": {"1": one}}))
    lines = [["people", 2, {**person("two@x"), "id": 2, st.TENANT: A}], ["people", 1, {**one, "status": "done"}]]
    (tmp_path / "state.json.journal").write_text("".join(json.dumps(line) + "\n" for line in lines))
    assert st.StateFile(str(state)).load() == {"people": {"1": lines[1][2], "2": lines[0][2]}}
    _, people = reopen(state)
    assert [(r["id"], r["status"]) for r in people.page(A).items] == [(1, "done"), (2, "new")]


# -- 8. a reset is final, even if a crash follows -------------------------------------------
def test_a_reset_then_a_crash_does_not_bring_back_older_records(tmp_path, store, people):
    baseline = store.snapshot()
    store.persist_to(str(tmp_path / "state.json"))
    people.insert(A, person("one@x"))
    store.restore(baseline)
    _, reopened = reopen(tmp_path / "state.json")
    assert reopened.page(A).total == 0


# -- query: several indexes, alternatives, a predicate, an order --------------------------
@pytest.fixture
def crowd(people):
    """Ids 1..9 of A: "done" 1, 4, 7; "held" 2, 5, 8; "new" 3, 6, 9; rank 10 - id. B holds one "new"."""
    for n in range(1, 10):
        people.insert(A, person(f"p{n}@x", ("new", "done", "held")[n % 3], rank=10 - n))
    people.insert(B, person("b@x", "new"))
    return people


def test_query_without_match_pages_every_record_of_the_tenant_both_ways(crowd):
    assert ids(crowd.query(A, offset=2, limit=3)) == [3, 4, 5]
    page = crowd.query(A, descending=True, offset=1, limit=2)
    assert (ids(page), page.total) == ([8, 7], 9)


def test_query_alternatives_of_one_index_merge_in_id_order(crowd):
    page = crowd.query(A, {"status": [("new",), ("held",)]})
    assert (ids(page), page.total) == ([2, 3, 5, 6, 8, 9], 6)
    assert ids(crowd.query(A, {"status": [("new",), ("held",)]}, descending=True, limit=3)) == [9, 8, 6]


def test_query_intersects_indexes_unique_and_ordered(crowd):
    page = crowd.query(A, {"status": [("held",)], "email": [("P4@X",), ("p5@x",), ("nobody@x",)]})
    assert (ids(page), page.total) == ([5], 1)


def test_query_applies_where_and_order_before_paging(crowd):
    page = crowd.query(A, where=lambda doc: doc["rank"] > 3, order=lambda doc: doc["rank"], limit=2)
    assert (ids(page), page.total) == ([6, 5], 6)
    assert ids(crowd.query(A, order=lambda doc: doc["status"], descending=True, limit=4)) == [9, 6, 3, 8]


def test_query_sees_no_other_tenant_and_hands_out_copies(crowd):
    assert crowd.query(B, {"status": [("new",), ("done",)]}).total == 1
    assert crowd.query(A, {"email": [("b@x",)]}).total == 0
    crowd.query(A, limit=1).items[0]["tags"].append("changed")
    assert crowd.get(A, 1)["tags"] == ["first"]


def test_query_names_only_declared_indexes_with_their_arity(crowd):
    with pytest.raises(st.StoreError):
        crowd.query(A, {"nope": [("x",)]})
    with pytest.raises(st.StoreError):
        crowd.query(A, {"status": [("new", "extra")]})


# -- text index ----------------------------------------------------------------------------
NAMED = (st.Index("status", ("status",)), st.Index("words", ("name", "email"), text=True))


def test_a_text_index_finds_substrings_case_insensitively_and_follows_changes(store):
    named = store.collection("named", NAMED)
    ada = named.insert(A, person("ada@x", name="Ada Lovelace"))
    named.insert(A, person("alan@x", name="Alan Turing"))
    named.insert(B, person("ada@y", name="Ada Other"))  # another tenant: never found
    assert ids(named.query(A, search=("words", "LOVE"))) == [ada]
    assert named.query(A, search=("words", "a")).total == 2
    named.update(A, ada, {"name": "Ada King"})
    assert named.query(A, search=("words", "love")).total == 0
    assert ids(named.query(A, {"status": [("new",)]}, search=("words", "king"))) == [ada]


def test_a_text_index_is_undone_with_its_transaction_and_reset(store):
    named = store.collection("named", NAMED)
    baseline = store.snapshot()
    ada = named.insert(A, person("ada@x", name="Ada"))
    with pytest.raises(Boom), store.transaction():
        named.update(A, ada, {"name": "Grace"})
        raise Boom
    assert ids(named.query(A, search=("words", "ada"))) == [ada]
    assert named.query(A, search=("words", "grace")).total == 0
    store.restore(baseline)
    assert named.query(A, search=("words", "ada")).total == 0


def test_a_text_index_is_not_for_find_page_or_match(store):
    named = store.collection("named", NAMED)
    for misuse in (lambda: named.page(A, "words", "x"), lambda: named.find(A, "words", "x"),
                   lambda: named.query(A, {"words": [("x",)]}), lambda: named.query(A, search=("status", "x"))):
        with pytest.raises(st.StoreError):
            misuse()


# -- 6. one tenant's records back to a snapshot, the others' untouched ------------------------
def test_restore_tenant_brings_back_one_tenants_records_and_leaves_the_others(store, people):
    people.insert(A, person("kept@x", "new"))
    people.insert(B, person("bees@x", "new"))
    baseline = store.snapshot()
    people.update(A, 1, {"status": "done"})  # changed since the snapshot
    people.insert(A, person("added@x"))  # added since
    people.insert(B, person("bees2@x"))  # another tenant's, added since

    changed = store.restore_tenant(baseline, A, "peo")

    assert changed == 3  # two of A's dropped (the changed one and the added one), one brought back
    assert [(r["email"], r["status"]) for r in people.page(A).items] == [("kept@x", "new")]
    assert people.find(A, "email", "added@x") is None  # gone from the unique index too
    assert ids(people.page(A, "status", "done")) == [] and ids(people.page(A, "status", "new")) == [1]
    assert [r["email"] for r in people.page(B).items] == ["bees@x", "bees2@x"]  # B untouched
    assert people.insert(A, person("added@x")) == 5  # ids go on growing; the email is free again


def test_restore_tenant_only_touches_collections_under_the_prefix(store, people):
    others = store.collection("other.people", PEOPLE)
    baseline = store.snapshot()
    people.insert(A, person("a@x"))
    others.insert(A, person("a@x"))

    assert store.restore_tenant(baseline, A, "people") == 1
    assert people.count() == 0 and others.count() == 1
