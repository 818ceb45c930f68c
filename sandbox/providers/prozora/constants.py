"""Every choice fintech-sandbox makes where the Prozora docs are silent
(reference: shared/reference/prozora-customers.md, marked [I] or [U] there).
Each is marked `x-provenance: inferred` in the OpenAPI; correct it here.

Choices that are rules rather than values, and where the code keeps them:

* errors.py: the error body `{"error": "<field>: <message>"}` and every
  message and status not in the docs' table (each condition says inferred);
  another counterparty's GUID is 403 `permission denied` whether it exists or
  not; a customer outside the counterparty or the caller's branch is 404.
* services/customers.py: a branch employee does not see customers without
  a branch; its creates go to its own branch by default and to no other; an
  added account holds the asset of the customer's first account; an
  account's `name` is the customer's name and surname; an IBAN is unique in
  the counterparty; `balance_allowed` has at most its asset's minor unit of
  decimal places.
* schemas.py: `asset_issuer` must be the issuer of `asset_code` (the
  counterparty's asset list plays the role of the segments' account types,
  SEG); text is printable, a query's numbers are ASCII digits, a phone
  number is a possible one (phonenumbers).
* routes/customers.py: each customer path is served with and without
  /api/v1 (SHORT_BASE).
* scenario.py: counterparties, assets, branches and employees come from the
  scenario (the docs' login flow and employee endpoints are not served).
"""

from __future__ import annotations

#: [I] every raw HTTP sample starts /api/v1/counterparty/{counterparty_guid} (CUST-AID, DE, EMP, BR, SEG)
BASE = "/api/v1/counterparty/<counterparty_guid>"
#: the GitBook OpenAPI blocks (CUST, the seed) show the same paths without /api/v1: each customer
#: endpoint is served there too, an alias (marked inferred: the blocks' server URL was not captured)
SHORT_BASE = "/counterparty/<counterparty_guid>"

#: [I] the list envelopes' item keys were not captured; `accounts` is the digital-entity list's key (DE)
CUSTOMERS_KEY = "customers"
ACCOUNTS_KEY = "accounts"

#: [U] defaults and bounds of offset/limit
DEFAULT_LIMIT = 20
MAX_LIMIT = 1000
MAX_OFFSET = 2**31 - 1
MAX_KYC_LEVEL = 2**63 - 1  # [inferred] Go's int64: a larger number does not unmarshal ("invalid value")

#: [U] `ordering` is an enum whose values were not captured: creation or last update, either way.
#: The default is creation order, oldest first (the reference's suggestion).
ORDERINGS = ("created_at_asc", "created_at_desc", "updated_at_asc", "updated_at_desc")
DEFAULT_ORDERING = "created_at_asc"

#: [U] status values are not documented. [I] These four, the ones every sandbox sample uses (the
#: default, the scenarios' and the examples'); any other is refused (400 `status: invalid value`)
STATUSES = ("active", "pending", "verified", "blocked")
DEFAULT_STATUS = "active"

#: [I] a phone number is a possible number (phonenumbers: its country's lengths) written in ASCII
#: digits, an optional leading +, spaces, hyphens, dots and parentheses; one without + is Ukrainian
#: (the environment's currency is the hryvnia, GLOS). Kept as sent.
PHONE_REGION = "UA"
PHONE_PATTERN = r"^\+?[0-9 ().-]+$"
MAX_PHONE = 32

#: [I] `is_disabled` on the list ("Include disabled") filters by equality when given; absent lists
#: disabled and enabled customers alike (a Go *bool filter: nil means no filter).

#: [I] `search_string` ("search by name or login"): case-insensitive substring of the name,
#: surname, paternal name or login.
SEARCH_FIELDS = ("name", "surname", "paternal_name", "login")

#: [I] logins are unique within a counterparty case-insensitively (a login is often an e-mail)

#: [I] an IBAN is stored compact (no spaces, upper case) and belongs to one account of the counterparty

#: [I] timestamps are RFC 3339 UTC with microseconds; query bounds are a date (YYYY-MM-DD, midnight
#: UTC) or an RFC 3339 date-time (offset required), OpenAPI's `date` / `date-time`, and are inclusive
TIMESTAMP_EXAMPLE = "2026-01-31T12:00:00.000000Z"

#: [I] money (balance_allowed) goes on the wire as a JSON number; the sandbox keeps at most this many
#: significant digits so that the number is exact in any JSON parser (IEEE doubles hold 15)
MAX_MONEY_DIGITS = 15
#: [I] and at most as many decimal places as its asset's minor unit (the balance asset if the customer
#: has one, else the asset of its first account): 0.001 UAH cannot exist (services/customers.py)

#: [I] an asset's minor unit, as ISO 4217 would give it (2 for UAH), unless the scenario says otherwise
DEFAULT_MINOR_UNIT = 2

#: [I] the account status flags "are not used currently" (CUST): a new account reports these
ACCOUNT_FLAGS = {"activated": True, "registered": True, "blocked": False}
#: the documented real example shows platform "" (CUST)
PLATFORM = ""

#: [I] longest accepted strings
MAX_TEXT = 256
MAX_SHORT = 64

#: [I] text is printable: a control character (NUL, ESC, a newline, ...) in any text the API takes
#: (body, query) is refused, `field: control characters are not allowed` (core.fields.no_control_characters)
