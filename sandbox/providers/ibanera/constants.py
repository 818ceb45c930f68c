"""Ibanera's fixed values, and every choice the sandbox makes where the docs
are silent. [doc] = the public docs say so; [inferred] = our choice (also
marked `x-provenance: inferred` in the OpenAPI where it shows)."""

from sandbox.core.lifecycle import Lifecycle

# -- authentication (https://customer-api-docs.ibanera.com/getting-started/authentication-and-authorization)
TOKEN_TTL_SECONDS = 3600  # [doc] login example: "expiresIn": 3600
REFRESH_TOKEN_TTL_SECONDS = 86400  # [inferred] the OpenAPI block lists refreshTokenExpiresIn, no value
OTP_HEADER = "otp"  # [doc]
TOTP_DIGITS, TOTP_INTERVAL_SECONDS = 6, 30  # [doc] SHA-1, 6 digits, 30 s
TOTP_DRIFT_STEPS = 1  # [inferred] one step either side, as pyotp's valid_window=1
SANDBOX_OTP = "123456"  # [inferred] sandbox convention; --strict-otp turns it off
LOCK_AFTER_FAILURES = 5  # [inferred] "too many failed attempts"
LOCK_SECONDS = 600  # [doc] "locked for 10 minutes"
MANAGER_STATUSES = ("active", "not_verified", "suppressed")  # scenario values -> Account_* codes

# -- managees (https://customer-api-docs.ibanera.com/api-endpoints/managees)
SUPPORTED_CURRENCIES = frozenset({"USD"})  # [doc] "only USD is supported"
# [doc] alpha-3 country codes ("USA"); [inferred] any letter case ("usa"), as a case-insensitive lookup
# (SQL Server's default collation) would take it; stored upper case. The currency code likewise.
ISO3_PATTERN = r"^[A-Za-z]{3}$"
# [inferred] manageesReference is "a unique reference to identify the managee" for the manager's own side: the
# sandbox does not refuse a reused one. The create call's documented error table names every refusal (a missing,
# long or malformed field, an email already used, ...) and none for a reference, while the widget-user call's
# table does name "WidgetUserReference already used before": a reference that Ibanera checked would be there.
PROOF_OF_ADDRESS_TYPES = (  # [doc]
    "BankStatement", "CouncilBill", "CreditCardStatement", "LeaseAgreement", "LoanApplication",
    "MortgageApplication", "PhoneBill", "TaxReturn", "UtilityBill",
)
PROOF_OF_ADDRESS_MIME_TYPES = frozenset({"image/jpeg", "image/png"})  # [doc] "JPEG or PNG"
# The same, as far as a pattern can say it: base64 that begins with PNG's or JPEG's magic bytes.
PROOF_OF_ADDRESS_PATTERN = (r"^(iVBORw0KGgo[A-Za-z0-9+/]|/9j/)([A-Za-z0-9+/]{4})*"
                            r"([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")
# [inferred] the docs lost the value column; the example uses Salary, Savings, Loans.
SOURCE_FUNDS_TYPES = ("Salary", "Savings", "Loans", "SelfEmployed", "Inheritance", "Investments", "Other")
# [inferred] from the surviving descriptions; the example uses DigitalAsset.
PURPOSE_OF_OPENING_ACCOUNT_TYPES = ("DigitalAsset", "CryptoLoans", "PeerToPeerTransfer", "CreditOrDebitServices")
TRADING_PERCENTAGE_FIELDS = (
    "btcTradingPercentage", "ethTradingPercentage", "usdcTradingPercentage", "otherCoinsTradingPercentage",
)
VERIFICATION_STATUSES = ("Pending", "Accepted", "Rejected")  # [doc]
DECIDED_STATUSES = ("Accepted", "Rejected")
# [doc] Rejected is final (KYC-updated callback); [inferred] Accepted is final too.
VERIFICATION = Lifecycle.of("verification", "Pending", {"Pending": DECIDED_STATUSES, "Accepted": (), "Rejected": ()})
# [inferred] the real link format is unknown; a reserved .example host makes it plainly fake.
JUMIO_LINK = "https://ibanera-sandbox.jumio.example/web/v4/app?locale=en&authorizationToken={token}"
# [doc] some nationalities and address countries are "not supported"; [inferred] which: this list, the
# scenario's default when it lists none (the docs name none)
DEFAULT_SUPPORTED_COUNTRIES = (
    "USA", "CAN", "GBR", "IRL", "DEU", "FRA", "ESP", "ITA", "NLD", "BEL", "PRT", "AUT", "CHE", "SWE", "NOR",
    "DNK", "FIN", "POL", "AUS", "NZL", "SGP", "JPN", "MEX", "BRA", "ARE",
)
# [inferred] a scenario's managees' KYC profile (address, birth date, employer, ...) is the sandbox's own filler,
# drawn from these with a seeded random (names come from the scenario's full_name, else Faker): not Faker's, whose
# import alone (~0.13 s) start-up with the default scenario would pay. Birth dates: SEED_BORN_FROM + 0..21,900 days.
SEED_STREETS = ("Main Street", "Oak Avenue", "Maple Drive", "Cedar Lane", "Pine Road", "Elm Court", "Lake View")
SEED_PLACES = (("Springfield", "Illinois"), ("Portland", "Oregon"), ("Austin", "Texas"), ("Madison", "Wisconsin"),
               ("Denver", "Colorado"), ("Raleigh", "North Carolina"), ("Albany", "New York"))
SEED_OCCUPATIONS = ("Accountant", "Teacher", "Software engineer", "Nurse", "Architect", "Pharmacist", "Electrician")
SEED_COMPANIES = ("Northwind Traders", "Contoso Ltd", "Acme Corporation", "Globex Inc", "Initech", "Fabrikam")
SEED_BORN_FROM, SEED_BORN_SPAN_DAYS = "1946-01-01", 21_900

# [inferred] employedCompanyName and employedJobTitle are listed with no required marker (every other field but
# addressLine2 is taken as required): the sandbox requires them only when bActivelyEmployed is true, since a
# managee who is not employed has no employer to name.
EMPLOYER_FIELDS = ("employedCompanyName", "employedJobTitle")

# -- paging [doc: PageNumber default 1, PageSize default 10 on the accounts list]
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 1000  # [inferred]

# -- accounts [doc: shapes in the accounts list example]
ACCOUNT_ASSET = "USD"
ROUTING_NUMBER_DIGITS, ACCOUNT_NUMBER_DIGITS = 9, 12

# -- simulations (https://customer-api-docs.ibanera.com/api-endpoints/simulated-testing)
TRANSFER_TYPES = ("ACH", "WIRE", "SWIFT")  # [doc]
MAX_PAYIN = 1_000_000_000  # [inferred] guards against absurd amounts
MONEY_PLACES = 2  # [inferred] USD cents: an amount with more decimal places is Invalid
# [inferred] who a simulated deposit comes from (FIAT_DEPOSIT_RECEIVED's SenderDetails): the documented
# example's routing and account numbers, and a name that says it is simulated
SIMULATED_SENDER = {"RoutingNumber": "011000000", "AccountNumber": "0123456789", "Name": "Simulated Sender",
                    "AddressLine1": "1 Sandbox Street", "AddressLine2": None, "AddressLine3": None}
IMAD_TRANSFER_TYPES = ("WIRE",)  # [inferred] an IMAD numbers a Fedwire transfer: ACH and SWIFT carry none
IMAD_DIGITS = 22  # [doc] the example's Imad: 22 digits

# -- ids [inferred] start near the documented examples (manageesId 14083, account 1055)
FIRST_MANAGER_ID, FIRST_MANAGEE_ID, FIRST_ACCOUNT_ID = 11001, 14001, 1001
FIRST_TRANSACTION_ID = 13001  # [inferred] near the FIAT_DEPOSIT_RECEIVED example's TransactionsId 13470
# [doc] a personal managee has exactly one CustomerUser (MANAGEE_JUMIO_COMPLETED's ManageeCustomerUsersId);
# [inferred] the sandbox numbers it manageesId + this, a range of its own
CUSTOMER_USER_ID_OFFSET = 100_000
MAX_ID = 2**31 - 1  # [inferred] ids are .NET ints; a larger one is Invalid_Format (body) or Invalid (query)
