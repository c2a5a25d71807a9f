"""Spanish and English: both catalogs of core and of every plugin are complete."""
from __future__ import annotations

import pytest

from tools import i18n
from tests.conftest import ALL_PLUGINS


def packages_in_this_run():
    return [p for p in i18n.packages() if p.name == "core" or p.name in ALL_PLUGINS]


@pytest.mark.parametrize("package", packages_in_this_run(), ids=lambda p: p.name)
def test_catalogs_are_complete(package):
    problems = i18n.problems(str(package.relative_to(i18n.ROOT)))
    assert problems == [], "\n".join(problems[:20])


def test_spanish_has_all_its_plural_forms():
    from babel import Locale

    catalog = i18n.load(i18n.po_path(i18n.ROOT / "core", "es"), "es")
    assert catalog.num_plurals == len(Locale.parse("es").plural_form.rules) + 1
    plural = [m for m in catalog if m.id and m.pluralizable]
    assert plural and all(len(m.string) == catalog.num_plurals and all(m.string) for m in plural)
