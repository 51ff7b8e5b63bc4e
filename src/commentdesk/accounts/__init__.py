"""Accounts: readers and staff, their roles, passwords, SSO identities and bearer tokens."""
