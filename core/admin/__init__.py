"""Administration pages: users, roles, organisations, plugins (the Apps page), audit log."""
