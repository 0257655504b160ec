"""Accounts: users (email login, roles), and later tokens and profiles."""
