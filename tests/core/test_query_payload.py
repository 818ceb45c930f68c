"""A query string reaches a query schema with every value of a repeated key
for its List fields (?ids=a&ids=b), and the first value for the others."""

from __future__ import annotations

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


def test_list_fields_get_every_value_others_the_first():
    args = MultiDict([("ids", "a"), ("ids", "b"), ("tag", "x"), ("page", "2"), ("page", "3"), ("other", "o")])
    assert Query().query_payload(args) == {"ids": ["a", "b"], "tag": ["x"], "page": "2", "other": "o"}
