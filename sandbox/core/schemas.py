"""The base of every provider's request schema: marshmallow's messages
become the provider's codes, and the schema can tell which codes it may
answer (so each operation's OpenAPI lists exactly those).

A schema object is built once per endpoint and shared by every request;
what a validator needs from the state of this request (the caller's
existing emails, the scenario's countries) comes from `self.context`, set by
the route for the duration of one load (marshmallow 4 dropped
Schema.context for the same reason: instances are shared)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load

from sandbox.core.errors import ApiError, Condition, Problem
from sandbox.core.fastpath import LookCloser, compile_lane
from sandbox.core.fields import Msg

_load_context: ContextVar[Any] = ContextVar("sandbox_schema_context", default=None)

BODY, QUERY = "body", "query"


class ApiSchema(Schema):
    """Subclass once per provider and set:

    ERRORS         the provider's ApiError subclass (its catalogue)
    FALLBACK       the condition for any message not mapped otherwise
    MESSAGE_CODES  core/marshmallow message -> condition (required, blank, too_long, ...)
    RAISES         on a schema: conditions its own @validates methods raise

    A message that is already one of the provider's codes (a provider
    validator raised it) stands for that code."""

    ERRORS: ClassVar[type[ApiError]]
    FALLBACK: ClassVar[Condition]
    MESSAGE_CODES: ClassVar[Mapping[str, Condition]] = {}
    RAISES: ClassVar[tuple[Condition, ...]] = ()

    class Meta:
        unknown = RAISE  # an unknown field is an error; nothing is stored

    error_messages = {"unknown": Msg.UNKNOWN, "type": Msg.TYPE}

    @property
    def context(self) -> Any:
        """What this request's validation needs from the state (see module doc)."""
        return _load_context.get()

    def on_bind_field(self, field_name, field_obj):
        # Marshmallow's English messages -> their keys, which MESSAGE_CODES maps;
        # a message that is already a core message or a code stays.
        for f in _walk(field_obj):
            f.error_messages = {key: msg if msg in self.MESSAGE_CODES or self._is_code(msg) else key
                                for key, msg in f.error_messages.items()}

    # -- messages -> the provider's codes --------------------------------------------
    def resolve(self, message: str) -> Condition:
        mapped = self.MESSAGE_CODES.get(message)
        if mapped is not None:
            return mapped
        return self.ERRORS.catalogue.by_code(message) or self.FALLBACK

    def report_field(self, key: str) -> str | None:
        """How the provider names a request field in its errors."""
        return key

    def problems(self, messages: Mapping) -> list[Problem]:
        """One problem per field: its first failure (as validators that stop
        at the first failed rule report), with the rule it broke (for the
        journal and the log, not the provider's answer)."""
        found = []
        for key, value in messages.items():
            where, message = first_message(value)
            condition = self.resolve(message)
            field = None if key == "_schema" else self.report_field(key)
            found.append(Problem(condition, field, {"rule": rule_of(message, where, condition)}))
        return found

    #: whether loads take the fast lane (core.fastpath) when they can; tests turn it off to compare
    FAST_LANE: ClassVar[bool] = True

    def fast_lane(self):
        """This schema's lane (compiled on first use, then kept), or None."""
        lane = self.__dict__.get("_lane", False)
        if lane is False:
            lane = self._lane = compile_lane(self)
        return lane

    def _deserialize(self, data, *, error_store, many=False, partial=None, unknown=RAISE, index=None):
        """The fields of a valid request through the fast lane; anything else
        (and every refusal) through marshmallow's own loop. The schema's hooks
        run around either, as marshmallow runs them."""
        if not many and partial is None and self.FAST_LANE:
            lane = self.fast_lane()
            if lane is not None:
                try:
                    return lane(data, unknown)
                except LookCloser:
                    pass
        return super()._deserialize(data, error_store=error_store, many=many, partial=partial, unknown=unknown,
                                    index=index)

    def load_request(self, payload: Any, context: Any = None) -> dict:
        """Validate a request; any failure raises the provider's error with
        every field's problem."""
        token = _load_context.set(context)
        try:
            return self.load(payload)
        except ValidationError as exc:
            raise self.ERRORS(self.problems(exc.messages)) from None
        finally:
            _load_context.reset(token)

    def query_payload(self, args) -> dict:
        """A query string (a werkzeug MultiDict) as the dict to load: a key
        repeated for a List field gives all its values (`?ids=a&ids=b`); any
        other key repeated is ambiguous (`amount=10&amount=-5`), so it goes
        on as the list it is, which its field refuses as the wrong type."""
        lists = self.__dict__.get("_list_keys")
        if lists is None:  # settled once per schema
            lists = self._list_keys = frozenset(
                f.data_key or name for name, f in self.load_fields.items() if isinstance(f, fields.List))
        payload = {}
        for key in args:
            values = args.getlist(key)
            payload[key] = values if key in lists or len(values) > 1 else values[0]
        return payload

    def conditions(self, location: str = BODY) -> list[Condition]:
        """Every condition loading a request from `location` can answer."""
        messages = [Msg.UNKNOWN] if self.opts.unknown == RAISE else []
        if location == BODY:
            messages.append(Msg.TYPE)
        for f in self.load_fields.values():
            messages.extend(_field_messages(f, location))
        found: list[Condition] = []
        for c in [self.resolve(m) for m in messages] + list(self.RAISES):
            if c not in found:
                found.append(c)
        return found

    def _is_code(self, message) -> bool:
        return isinstance(message, str) and self.ERRORS.catalogue.by_code(message) is not None


class CaseInsensitiveKeys:
    """Mixin: binds incoming keys to fields whatever their case
    ("EmailAddress", "emailaddress" and "emailAddress" are one field), as
    .NET model binding does. Unknown keys stay as sent, to be reported."""

    @pre_load
    def _match_key_case(self, data, **kwargs):
        if not isinstance(data, Mapping):
            return data
        canonical = self.__dict__.get("_canonical_keys")
        if canonical is None:
            canonical = {(f.data_key or name).casefold(): f.data_key or name for name, f in self.load_fields.items()}
            # the keys that bind to themselves: a body spelled only with them binds as sent (set first: another
            # request thread reads it once it sees _canonical_keys)
            self._spelled = frozenset(key for key in canonical.values() if canonical[key.casefold()] == key)
            self._canonical_keys = canonical
        if type(data) is dict and self._spelled.issuperset(data):
            return dict(data)
        return {canonical.get(str(k).casefold(), k): v for k, v in data.items()}


def _walk(field_obj: fields.Field) -> Iterator[fields.Field]:
    yield field_obj
    inner = getattr(field_obj, "inner", None)
    if inner is not None:
        yield from _walk(inner)


def _field_messages(field_obj: fields.Field, location: str) -> list[str]:
    messages = []
    for f in _walk(field_obj):
        for key, message in f.error_messages.items():
            if key == "required" and not f.required:
                continue
            if key == "null" and (location != BODY or f.allow_none):
                continue
            messages.append(message)
        for validator in f.validators:
            error = getattr(validator, "error", None)
            messages.extend([error] if isinstance(error, str) else getattr(validator, "raises_messages", ()))
        if isinstance(f, fields.Nested) and isinstance(f.schema, ApiSchema):
            messages.extend(m for sub in f.schema.load_fields.values() for m in _field_messages(sub, location))
    return messages


#: core's message keys, in words (the rule a refused field broke)
RULES = {"required": "is required", "null": "may not be null", "invalid": "is not a valid value of its type",
         "blank": "may not be blank", "too_long": "is longer than allowed", "pattern": "does not match its pattern",
         "empty": "may not be empty", "duplicate": "holds the same item twice", "unknown": "is not a field of "
         "this request", "type": "is not a JSON object", "control": "holds a control character",
         "bad_id": "is not an id in range", "invalid_uuid": "is not a UUID"}


def rule_of(message: str, where: str, condition: Condition) -> str:
    """The rule behind a message, in words: core's, the validator's own text, or the condition's."""
    words = RULES.get(message) or (condition.when if message == condition.code else message)
    return f"{where}: {words}" if where else words


def first_message(messages, path: tuple[str, ...] = ()) -> tuple[str, str]:
    """marshmallow's first message in nested messages, and the dotted path to
    it ("" at the top)."""
    if isinstance(messages, str):
        return ".".join(path), messages
    if isinstance(messages, Mapping):
        key, value = next(iter(messages.items()))
        return first_message(value, (*path, str(key)))
    return first_message(messages[0], path)
