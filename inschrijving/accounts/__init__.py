"""Accounts: staff users, their roles, login, and the audit trail of who did what."""
