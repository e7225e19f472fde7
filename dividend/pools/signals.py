"""Hooks of the token workflows for the higher `audit` app, which records them (pools sits below
the audit log, so it announces what happened and the audit app writes it down, in the same
transaction: the receivers run synchronously inside the workflow's `atomic` block)."""

from django.dispatch import Signal

# Sent with actor, token (an ApiToken just issued).
token_issued = Signal()
# Sent with actor, token (an ApiToken just revoked), reason (a short sentence).
token_revoked = Signal()
