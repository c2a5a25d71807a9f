"""Every hook in the contract is documented for plugin authors and has a test of its own
(the practice of datasette's tests/test_docs.py)."""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from core import hookspecs

ROOT = Path(__file__).resolve().parents[2]
HOOKS = sorted(name for name, obj in vars(hookspecs).items() if name.startswith("postventa_") and inspect.isfunction(obj))


def test_there_are_hooks():
    assert len(HOOKS) >= 10


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_docstring(hook):
    doc = inspect.getdoc(getattr(hookspecs, hook)) or ""
    assert ":return:" in doc, f"{hook} must document what it returns"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented_in_the_plugin_guide(hook):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    guide = readme.split("## Writing a plugin", 1)[-1]
    assert re.search(rf"`{hook}\(", guide), f"{hook} is missing from README's plugin author's guide"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_test_of_its_own(hook):
    """Some test other than this file names the hook (it calls or implements it)."""
    tests = [p for p in (ROOT / "tests").rglob("test_*.py") if p.name != "test_hooks_documented.py"]
    assert any(hook in p.read_text(encoding="utf-8") for p in tests), f"no test exercises {hook}"
