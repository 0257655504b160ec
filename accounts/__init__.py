"""Accounts: users (e-mail login, roles, verification), API tokens, profiles, the
audit log and throttles."""
