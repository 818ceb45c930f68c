"""P100 Partner API, User Operations module: one declaration per endpoint, a
module per domain (users: onboarding, KYC, POA, account management; money:
history, exchange, SEPA, crypto, internal transfers; cards: the suspended
virtual-card module). Paths are as documented or inferred, under /p100; the
sandbox's own controls (controls.py) are under /_sandbox/p100."""

from sandbox.providers.p100.routes import cards, controls, money, users  # noqa: F401 (declare the routes)
