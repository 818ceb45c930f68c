"""Ibanera's state and business rules over the store, a module per domain
(auth: managers, login and tokens; managees: managees, accounts, widget
users, payins). Knows nothing of Flask; raises IbaneraError."""
