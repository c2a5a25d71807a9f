"""The dealer portal and the company's dealer pages: one blueprint, a module per area."""
from .blueprint import bp
from . import claims, dealers, notices, sales, tasks  # noqa: E402,F401  (register the routes)

__all__ = ["bp"]
