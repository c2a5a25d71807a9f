"""People and access: organisations, users, roles, permissions, scoping."""
