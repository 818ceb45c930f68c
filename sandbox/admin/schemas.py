"""What the global controls take and answer."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from sandbox.admin.api import AdminSchema
from sandbox.admin.errors import INVALID_SCENARIO, INVALID_SNAPSHOT
from sandbox.core.runtime import SNAPSHOT_FORMAT, SNAPSHOT_VERSION


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ok"})
    version = fields.String(required=True)
    scenario = fields.String(required=True, metadata={"example": "default"})
    providers = fields.List(fields.String(), required=True)


class ResetSchema(Schema):
    status = fields.String(required=True, metadata={"example": "reset"})
    scenario = fields.String(required=True)
    tookMs = fields.Float(required=True)


class ScenarioSchema(Schema):
    name = fields.String(required=True, metadata={"example": "kyc-edge-cases"})
    path = fields.String(required=True, allow_none=True, metadata={
        "description": "The file it was read from; null for the default scenario, a body, or a snapshot's."})
    description = fields.String(required=True)
    sections = fields.Dict(required=True, metadata={"description": "Each provider's section as the file writes it."})
    records = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                          metadata={"description": "How many records each provider holds now."})


class LoadedScenarioSchema(ScenarioSchema):
    tookMs = fields.Float(required=True)


class ScenarioRefSchema(AdminSchema):
    """A scenario on the server: a file, or a shipped one by name."""

    FALLBACK = INVALID_SCENARIO
    path = fields.String(validate=validate.Length(min=1), metadata={"example": "scenarios/mine.yaml"})
    name = fields.String(validate=validate.Length(min=1), metadata={"example": "kyc-edge-cases"})

    @validates_schema
    def _one_of(self, data, **kwargs):
        if ("path" in data) == ("name" in data):
            raise ValidationError('send {"path": "<a scenario file on the server>"} or {"name": "<a shipped '
                                  'scenario>"}', "path")


class _TableSchema(Schema):
    next_id = fields.Integer(required=True, strict=True)
    records = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True)


class _ScenarioRefSchema(Schema):
    name = fields.String(required=True)
    text = fields.String(required=True)
    path = fields.String(required=True, allow_none=True)


class SnapshotSchema(AdminSchema):
    FALLBACK = INVALID_SNAPSHOT
    format = fields.String(required=True, validate=validate.Equal(SNAPSHOT_FORMAT))
    version = fields.Integer(required=True, strict=True, validate=validate.Equal(SNAPSHOT_VERSION))
    scenario = fields.Nested(_ScenarioRefSchema, required=True)
    seed = fields.Integer(required=True, strict=True)
    clockOffsetSeconds = fields.Float(required=True, validate=validate.Range(-1e9, 1e9))
    collections = fields.Dict(keys=fields.String(), values=fields.Nested(_TableSchema), required=True)
    loose = fields.Dict(keys=fields.String(), values=fields.Dict(), load_default=dict)


class RestoredSchema(Schema):
    status = fields.String(required=True, metadata={"example": "restored"})
    scenario = fields.String(required=True)
    records = fields.Integer(required=True)
