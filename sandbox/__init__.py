"""fintech-sandbox: a local, stateful stand-in for fintech onboarding APIs."""

__version__ = "0.1.0"
