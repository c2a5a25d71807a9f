"""Postventa's built-in plugins; each registers through the ``postventa.plugins`` entry point."""
