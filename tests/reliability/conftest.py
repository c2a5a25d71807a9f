"""The reliability suite's shared, module-wide world (see ``world.py``)."""
from __future__ import annotations

import pytest

from .world import build_world, close_world


@pytest.fixture(scope="module")
def world(database_url, table_names, tmp_path_factory):
    """One seeded app for a whole test module; the tables are emptied after it."""
    built = build_world(database_url, tmp_path_factory.mktemp("uploads"))
    yield built
    close_world(built, database_url, table_names)
