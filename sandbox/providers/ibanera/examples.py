"""The document's example of each operation: a request the server accepts on
the default scenario (fixtures/default.yaml) right after a reset, sent as
`EXAMPLE_MANAGER`, whose seeded managees the ids below name.

Values follow the docs' own examples where there is one (the create-managee
and simulate-deposit requests)."""

from __future__ import annotations

from sandbox.core.openapi import Example

#: the default scenario's manager whose records the examples use (its password and TOTP secret are there)
EXAMPLE_MANAGER = "manager3@example.com"
EXAMPLE_PASSWORD = "sandbox-password"
#: its seeded managees, in the order fixtures/default.yaml lists them (ids count from FIRST_MANAGEE_ID)
ACCEPTED_MANAGEE_ID = 14001  # Accepted, no widget user yet, one USD account
ACCEPTED_ACCOUNT_ID = 1001  # that managee's USD account
PENDING_MANAGEE_ID = 14002  # Pending

# A 1x1 PNG, base64 without a data: prefix, as the docs ask for.
PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgAAACAAFUok9dAAAAAElFTkSuQmCC"

LOGIN = Example(body={"username": EXAMPLE_MANAGER, "password": EXAMPLE_PASSWORD, "otp": "123456"})

#: the docs' create-managee example (its email was blanked there), with every documented field
CREATE_MANAGEE = Example(body={
    "emailAddress": "alan.nameson@example.com", "manageesReference": "34233rqcpomrkvr3g56",
    "fiatCurrencyCode": "USD", "fullName": "Alan Nameson", "firstGivenName": "Alan", "lastSurname": "Nameson",
    "addressLine1": "House Name", "addressLine2": None, "townCity": "Hometown", "stateProvince": "Ohio",
    "postcode": "12345-1234", "addressCountryISO": "USA", "phoneNumber": "+447729594017",
    "dateOfBirth": "1994-01-02", "taxNumber": "200000025", "nationalityISO": "USA", "occupation": "Worker",
    "sourceFundsTypes": ["Salary", "Savings", "Loans"], "otherSourceOfFunds": None,
    "estimatedNetWorth": 100000, "estimatedGrossAnnualIncome": 80000, "otherBanks": ["Bank1", "Bank2"],
    "bActivelyEmployed": True, "employedCompanyName": "ABC Company", "employedJobTitle": "Software Engineer",
    "purposeOfOpeningAccountTypes": ["DigitalAsset"], "monthlyTurnover": 50000,
    "anticipatedTransactionActivity": 2000, "purchaseCryptoMonthlyVolume": 2, "purchaseCryptoAverageAmount": 500,
    "purchaseCryptoTotalAmountPerMonth": 1000, "sellingCryptoMonthlyVolume": 1, "sellingCryptoAverageAmount": 400,
    "sellingCryptoTotalAmountPerMonth": 400, "totalMonthlyVolume": 3, "totalAverageAmount": 466.67,
    "totalMonthlyAmount": 1400, "btcTradingPercentage": 50, "ethTradingPercentage": 30,
    "usdcTradingPercentage": 10, "otherCoinsTradingPercentage": 10, "bIrsTax": True, "bForeignAccountTax": True,
    "bNotCriminal": True, "bAccurateInfo": True, "proofOfAddressFile": PNG_BASE64,
    "proofOfAddressType": "UtilityBill",
})

PAGE = Example(query={"PageNumber": 1, "PageSize": 10})

LIST_ACCOUNTS = Example(query={"ManageesId": ACCEPTED_MANAGEE_ID, "Asset": "USD", "PageNumber": 1, "PageSize": 10})

CREATE_WIDGET_USER = Example(body={"manageesId": ACCEPTED_MANAGEE_ID, "widgetUserReference": "TestWidgetUser1"})

#: the docs' simulate-deposit example, into the seeded account
SIMULATE_PAYIN = Example(body={"DestinationAccountId": ACCEPTED_ACCOUNT_ID, "TransferType": "ACH", "Amount": 5,
                               "Name": "Customer Name", "Reference": "1234567890"})

SET_VERIFICATION = Example(body={"status": "Accepted"}, path={"managees_id": PENDING_MANAGEE_ID})

