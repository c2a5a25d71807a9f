"""Business logic of the spare-parts plugin, one module per subject; views and hooks call these."""
