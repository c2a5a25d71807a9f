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


@pytest.mark.parametrize("plugin", ALL_PLUGINS)
def test_each_plugin_catalog_is_loaded_at_run_time(make_app, plugin):
    """Babel reads every enabled plugin's catalog: a plugin's own label shows in Spanish."""
    from flask_babel import force_locale, gettext

    from tools.i18n import load, po_path

    catalog = load(po_path(i18n.ROOT / "plugins" / plugin, "es"), "es")
    sample = next(m for m in catalog if m.id and isinstance(m.id, str) and m.string and m.string != m.id)
    app = make_app()
    with app.test_request_context(), force_locale("es"):
        assert gettext(sample.id) == sample.string
