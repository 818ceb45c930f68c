"""Weavr's fixed values, and every choice the sandbox makes where the spec,
the docs and Weavr's own QA suite are silent. [spec] = Weavr's public OpenAPI;
[docs] = docs.weavr.io; [QA] = Weavr's public regression suite (2024);
[inferred] = our choice (marked `x-provenance: inferred` in the OpenAPI where
it shows)."""

from sandbox.core.lifecycle import Lifecycle

# -- transport -----------------------------------------------------------------------
API_KEY_HEADER = "api-key"  # [spec]
PROGRAMME_KEY_HEADER = "programme-key"  # [spec] the simulator's API_Secret_Key scheme
IDEMPOTENCY_HEADER = "idempotency-ref"  # [spec]
REQUEST_REF_HEADER = "request-ref"  # [spec] on every answer that declares it (we send it on all)
IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600  # [spec] "uniqueness is maintained for at least 24 hours"
# [inferred] the longest idempotency-ref taken: [QA] 8,000 characters answered 413, as a server whose request
# headers may total 8 KiB (Micronaut's default) answers; half of that leaves room for the other headers
IDEMPOTENCY_REF_MAX = 4096
INVALID_REQUEST_MESSAGE = "Invalid request"  # [QA] the message of a gateway 400
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1  # [spec] format: int64

# -- ids -------------------------------------------------------------------------------
# [inferred] Weavr ids are long digit strings; ours start high so they look alike.
FIRST_CONSUMER_ID = 110_000_000_000_000_000
FIRST_ACCOUNT_ID = 120_000_000_000_000_000
FIRST_TRANSACTION_ID = 130_000_000_000_000_000
FIRST_KYC_REFERENCE = 140_000_000_000_000_000

# -- consumers --------------------------------------------------------------------------
DEFAULT_FEE_GROUP = "DEFAULT"  # [QA] feeGroup when the request omits it
SANDBOX_VERIFICATION_CODE = "123456"  # [docs] the sandbox email/SMS code
# [spec] `format: email`, so RFC 5321's limits: a path of at most 254 characters, a local part of at most 64
EMAIL_MAX, EMAIL_LOCAL_MAX = 254, 64
EMAIL_CHANGE_BLOCK_SECONDS = 3600  # [inferred] QA saw TOO_FREQUENT_EMAIL_CHANGES "inside the blocking window"
# [inferred] frozen once KYC is approved [spec description + QA]: changing one is CONSUMER_VERIFIED
KYC_FROZEN_FIELDS = ("name", "surname", "email", "mobile", "dateOfBirth", "address")

# -- passwords and tokens -----------------------------------------------------------------
PASSWORD_MIN, PASSWORD_MAX = 8, 30  # [spec] for consumers and corporates
PASSWORD_SPECIALS = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ ")  # [inferred] "a special character"
TOKEN_IDLE_SECONDS = 300  # [spec] "valid for 5 minutes from last activity"
PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # [inferred] a sandbox needs no costly hash; keeps tests fast
TOKEN_AUTH, TOKEN_ACCESS = "AUTH", "ACCESS"  # [spec] TokenType

# -- KYC ---------------------------------------------------------------------------------
KYC_LEVELS = ("KYC_LEVEL_1", "KYC_LEVEL_2")  # [spec]
DEFAULT_KYC_LEVEL = "KYC_LEVEL_2"  # [QA] when kycLevel is omitted
NOT_STARTED, INITIATED, PENDING_REVIEW, APPROVED, REJECTED = (
    "NOT_STARTED", "INITIATED", "PENDING_REVIEW", "APPROVED", "REJECTED")  # [spec] KyiStatus
# [QA] NOT_STARTED -> INITIATED (POST /consumers/kyc) -> APPROVED (simulator). PENDING_REVIEW and
# REJECTED have no simulator call [QA: direct DB updates]; /_sandbox/weavr moves them. [inferred]
# REJECTED is final; APPROVED moves back to INITIATED only when a higher level starts (QA upgrade case).
KYC = Lifecycle.of("weavr.kyc", NOT_STARTED, {
    NOT_STARTED: (INITIATED, APPROVED),  # the simulator verifies with or without a start [QA]
    INITIATED: (INITIATED, PENDING_REVIEW, APPROVED, REJECTED),
    PENDING_REVIEW: (APPROVED, REJECTED),
    APPROVED: (INITIATED,),
    REJECTED: (),
})
SANDBOX_KYC_TARGETS = (PENDING_REVIEW, APPROVED, REJECTED)

# -- instruments and fees -------------------------------------------------------------------
INSTRUMENT_TYPES = ("managed_cards", "managed_accounts")  # [spec]
# A fee charge: COMPLETED in the charging request [QA]; held (the `fee` outcome set to after or manual), it is
# INITIALISED (the spec's sample state) until it completes. [spec] ChargeFee.state also lists REJECTED, FAILED,
# PENDING, SCHEDULED and CANCELLED, which nothing served reaches.
CHARGE_INITIALISED, CHARGE_COMPLETED = "INITIALISED", "COMPLETED"
CHARGE_FEE_STATES = (CHARGE_INITIALISED, CHARGE_COMPLETED)
# [inferred] the spec's ChargeFee requires `destination` but never defines it: we name the
# innovator's revenue account, where the docs say fees are deposited.
FEE_DESTINATION = {"type": "revenue_account"}
DEPOSIT_CODES = ("COMPLETED", "DENIED_ACCOUNT_NOT_FOUND", "DENIED_AMOUNT_NOT_POSITIVE",
                 "DENIED_CURRENCY_NOT_ACCOUNT_CURRENCY", "DENIED_ACCOUNT_INACTIVE", "DENIED_INVALID_TX_ID",
                 "DENIED_OTHER", "DENIED_ACCOUNT_NOT_UPGRADED_TO_IBAN")  # [spec]
PAYMENT_NETWORKS = ("SEPA", "FASTER_PAYMENTS", "SWIFT", "BACS", "CHAPS", "RIX")  # [spec]
IBAN_COUNTRY = {"EUR": "DE", "GBP": "GB"}  # [inferred] where an account's IBAN is issued; else LT
DEFAULT_IBAN_COUNTRY = "LT"
BANK_CODES = {"GB": "NWBK601613", "DE": "10010010", "LT": "70440"}  # [inferred] GB: bank code + sort code
# [inferred] Only successes are remembered under an idempotency-ref: a refused request may be retried.
# [inferred] A consumer's mobile countryCode must be a country calling code; the number itself is not checked.
# [inferred] The KYC reference is derived from the consumer and the level, so a restart answers the same one.

# -- scenario defaults (when a scenario's weavr: section omits them) -------------------------------
DEFAULT_CURRENCIES = ("EUR", "GBP", "USD")  # [inferred] Weavr's account currencies
# [inferred] the EEA and GB
DEFAULT_COUNTRIES = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU", "IE",
                     "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK")

# -- enums of the consumer --------------------------------------------------------------------
OCCUPATIONS = (  # [spec] Occupation
    "ACCOUNTING", "AUDIT", "FINANCE", "PUBLIC_SECTOR_ADMINISTRATION", "ART_ENTERTAINMENT", "AUTO_AVIATION",
    "BANKING_LENDING", "BUSINESS_CONSULTANCY_LEGAL", "CONSTRUCTION_REPAIR", "EDUCATION_PROFESSIONAL_SERVICES",
    "INFORMATIONAL_TECHNOLOGIES", "TOBACCO_ALCOHOL", "GAMING_GAMBLING", "MEDICAL_SERVICES", "MANUFACTURING",
    "PR_MARKETING", "PRECIOUS_GOODS_JEWELRY", "NON_GOVERNMENTAL_ORGANIZATION", "INSURANCE_SECURITY",
    "RETAIL_WHOLESALE", "TRAVEL_TOURISM", "FREELANCER", "STUDENT", "UNEMPLOYED", "RETIRED", "OTHER")
SOURCES_OF_FUNDS = (  # [spec] ConsumerSourceOfFunds
    "PERSONAL_SAVINGS", "FAMILY_SAVINGS", "LABOUR_CONTRACT", "CIVIL_CONTRACT", "RENT",
    "FUNDS_FROM_OTHER_AUXILIARY_SOURCES", "SALE_OF_MOVABLE_ASSETS", "SALE_OF_REAL_ESTATE",
    "ORDINARY_BUSINESS_ACTIVITY", "DIVIDENDS", "LOAN_FROM_FINANCIAL_INSTITUTIONS_CREDIT_UNIONS",
    "LOAN_FROM_THIRD_PARTIES", "INHERITANCE", "SALE_OF_COMPANY_SHARES_BUSINESS", "OTHER")

# -- patterns [spec] -----------------------------------------------------------------------------
DIGITS = r"^[0-9]+$"
TAG = r"^[a-zA-Z0-9_-]+$"
LOCALE = r"^[a-z]{2}(-[A-Z]{2})?$"
BRAND = r"^[a-zA-Z0-9]+$"
COUNTRY = r"^[A-Z]+$"
CURRENCY = r"^[A-Z]*$"
POST_CODE = r"^[A-Za-z0-9 -]*$"
MOBILE_COUNTRY_CODE = r"^\+[0-9]+$"
MOBILE_NUMBER = r"^[0-9]{1,12}$"
UPDATE_NAME = r"^[^0-9~!@#$%^*()_+={}\|:;,<>/?]*$"
VERIFICATION_CODE = r"^[0-9]{6}$"
