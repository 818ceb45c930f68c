"""What the global controls take and answer."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from sandbox.admin.api import AdminSchema
from sandbox.admin.errors import INVALID_CLOCK, INVALID_SCENARIO, INVALID_SNAPSHOT
from sandbox.core.clock import BadDuration, parse_duration
from sandbox.core.fields import StrictBoolean
from sandbox.core.runtime import SNAPSHOT_FORMAT, SNAPSHOT_VERSION
from sandbox.core.webhooks import SETTLE_SECONDS


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


class ShippedSchema(Schema):
    name = fields.String(required=True, metadata={"example": "kyc-edge-cases"})
    description = fields.String(required=True)


class ShippedListSchema(Schema):
    scenarios = fields.List(fields.Nested(ShippedSchema), required=True)


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
    clockFrozen = fields.Boolean(load_default=False)
    collections = fields.Dict(keys=fields.String(), values=fields.Nested(_TableSchema), required=True)
    loose = fields.Dict(keys=fields.String(), values=fields.Dict(), load_default=dict)


class ClockSchema(Schema):
    now = fields.String(required=True, metadata={"description": "Sandbox time, ISO-8601 UTC.",
                                                  "example": "2027-01-01T00:10:00.000Z"})
    frozen = fields.Boolean(required=True, metadata={"description": "Whether time stands still until moved."})


class MovedClockSchema(ClockSchema):
    ran = fields.Integer(required=True, metadata={"description": "How many queued transitions came due and ran."})
    settled = fields.Boolean(metadata={"description": "With settle: whether every due delivery was attempted in "
                                                      "time (false: some still wait, e.g. a receiver that is slow "
                                                      "to answer)."})


class MoveClockSchema(AdminSchema):
    """Any of: freeze (or unfreeze), set, advance; applied in that order."""

    FALLBACK = INVALID_CLOCK
    freeze = StrictBoolean(metadata={"description": "true: time stands still; false: it passes again."})
    set = fields.AwareDateTime(metadata={"description": "Sandbox time becomes this moment (with its zone).",
                                         "example": "2027-01-01T00:00:00Z"})
    advance = fields.String(validate=validate.Length(max=64), metadata={
        "description": "An ISO-8601 duration to move forward by.", "example": "PT10M"})
    settle = StrictBoolean(metadata={"description": f"true: answer once every webhook delivery now due has been "
                                                   f"attempted (at most {SETTLE_SECONDS:g} s), so that a read of "
                                                   f"the outbox or of your receiver right after sees them."})

    @validates_schema
    def _something(self, data, **kwargs):
        if not data:
            raise ValidationError('send {"advance": "PT10M"}, {"set": "2027-01-01T00:00:00Z"} or {"freeze": true}')
        if "advance" in data:
            try:
                parse_duration(data["advance"])
            except BadDuration as exc:
                raise ValidationError(str(exc), "advance") from None


class MagicSchema(Schema):
    provider = fields.String(required=True)
    field = fields.String(required=True, metadata={"description": "Where the value goes in the request."})
    value = fields.String(required=True)
    effect = fields.String(required=True)


class MagicListSchema(Schema):
    magic = fields.List(fields.Nested(MagicSchema), required=True)


class RestoredSchema(Schema):
    status = fields.String(required=True, metadata={"example": "restored"})
    scenario = fields.String(required=True)
    records = fields.Integer(required=True)
