"""A query string reaches a query schema with every value of a repeated key
for its List fields (?ids=a&ids=b); a key repeated where one value is meant
(?amount=10&amount=-5) is ambiguous, and refused."""

from __future__ import annotations

import pytest
from marshmallow import fields
from werkzeug.datastructures import MultiDict

from sandbox.core.schemas import ApiSchema
from tests.toy.provider import BAD_FIELD, ToyError


class Query(ApiSchema):
    ERRORS = ToyError
    FALLBACK = BAD_FIELD
    ids = fields.List(fields.String())
    tags = fields.List(fields.String(), data_key="tag")
    page = fields.Integer()


def test_list_fields_get_every_value_and_a_single_value_is_itself():
    args = MultiDict([("ids", "a"), ("ids", "b"), ("tag", "x"), ("page", "2"), ("other", "o")])
    assert Query().query_payload(args) == {"ids": ["a", "b"], "tag": ["x"], "page": "2", "other": "o"}


def test_a_key_repeated_where_one_value_is_meant_is_refused_naming_it():
    query = Query()
    with pytest.raises(ToyError) as refused:
        query.load_request(query.query_payload(MultiDict([("page", "2"), ("page", "3")])))
    assert [(p.condition, p.field) for p in refused.value.problems] == [(BAD_FIELD, "page")]
