"""Request bodies the tests send, valid unless a test changes them."""

from __future__ import annotations

import base64
import struct
import zlib


def png_bytes() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


# The start of a JFIF JPEG: magic bytes are what the sandbox checks.
JPEG_BYTES = bytes.fromhex("ffd8ffe000104a46494600010101004800480000ffdb004300") + b"\x00" * 64 + b"\xff\xd9"


def managee(**overrides) -> dict:
    """The docs' example request, completed with every documented field."""
    body = {
        "emailAddress": "alan.nameson@example.com",
        "manageesReference": "34233rqcpomrkvr3g56",
        "fiatCurrencyCode": "USD",
        "fullName": "Alan Nameson",
        "firstGivenName": "Alan",
        "lastSurname": "Nameson",
        "townCity": "Hometown",
        "addressCountryISO": "USA",
        "addressLine1": "House Name",
        "stateProvince": "Ohio",
        "postcode": "12345-1234",
        "phoneNumber": "+447729594017",
        "dateOfBirth": "1994-01-02",
        "taxNumber": "200000025",
        "nationalityISO": "USA",
        "occupation": "Worker",
        "SourceFundsTypes": ["Salary", "Savings", "Loans"],
        "OtherSourceOfFunds": None,
        "EstimatedNetWorth": 100000,
        "EstimatedGrossAnnualIncome": 80000,
        "OtherBanks": ["Bank1", "Bank2"],
        "bActivelyEmployed": True,
        "EmployedCompanyName": "ABC Company",
        "EmployedJobTitle": "Software Engineer",
        "PurposeOfOpeningAccountTypes": ["DigitalAsset"],
        "MonthlyTurnover": 50000,
        "AnticipatedTransactionActivity": 2000,
        "purchaseCryptoMonthlyVolume": 2,
        "purchaseCryptoAverageAmount": 500,
        "purchaseCryptoTotalAmountPerMonth": 1000,
        "sellingCryptoMonthlyVolume": 1,
        "sellingCryptoAverageAmount": 400,
        "sellingCryptoTotalAmountPerMonth": 400,
        "totalMonthlyVolume": 3,
        "totalAverageAmount": 466.67,
        "totalMonthlyAmount": 1400,
        "BtcTradingPercentage": 50,
        "EthTradingPercentage": 30,
        "UsdcTradingPercentage": 10,
        "OtherCoinsTradingPercentage": 10,
        "bIrsTax": True,
        "bForeignAccountTax": True,
        "bNotCriminal": True,
        "bAccurateInfo": True,
        "proofOfAddressFile": base64.b64encode(png_bytes()).decode(),
        "proofOfAddressType": "UtilityBill",
    }
    body.update(overrides)
    return body
