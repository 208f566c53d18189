"""Staff accounts: logins, tokens, roles and region scopes."""
