"""Translation catalogs of core and of every plugin: update, compile, check.

Each package (``core`` and each ``plugins/<name>``) owns a ``translations/``
folder with an ``es`` and an ``en`` catalog of the single ``messages`` domain;
Flask-Babel merges them at run time. Source strings are English, so ``update``
fills the English catalog with the source text; the Spanish one is translated
by hand (``make i18n-update``, then edit ``es/LC_MESSAGES/messages.po``).

    python -m tools.i18n update [plugins/NAME]  # extract strings, merge into both catalogs
    python -m tools.i18n compile  # .po -> .mo (done by make install)
    python -m tools.i18n check    # list untranslated or stale messages; exit 1 if any
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("es", "en")
METHODS = [
    ("**/templates/**.html", "jinja2.ext:babel_extract"),
    ("**.py", "python"),
]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.do"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}


def packages() -> list[Path]:
    """Folders that own a catalog: core and every built-in plugin."""
    found = [ROOT / "core"]
    found += sorted(p for p in (ROOT / "plugins").iterdir() if (p / "plugin.toml").is_file())
    return found


def extract(package: Path) -> Catalog:
    template = Catalog(project="postventa")
    for filename, lineno, message, comments, context in extract_from_dir(
        package, METHODS, options_map=OPTIONS, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        if "/tests/" in filename:
            continue
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def po_path(package: Path, locale: str) -> Path:
    return package / "translations" / locale / "LC_MESSAGES" / "messages.po"


def load(path: Path, locale: str) -> Catalog:
    if path.exists():
        with path.open("rb") as handle:
            return read_po(handle, locale=locale)
    return Catalog(locale=locale, project="postventa")


def update(only: str | None = None) -> None:
    for package in packages():
        if only and package != (ROOT / only).resolve():
            continue
        template = extract(package)
        for locale in LOCALES:
            path = po_path(package, locale)
            catalog = load(path, locale)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            if locale == "en":
                for message in catalog:
                    if message.id and not _complete(message, catalog):
                        message.string = message.id if not message.pluralizable else tuple(
                            message.id[0] if i == 0 else message.id[1] for i in range(catalog.num_plurals)
                        )
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                write_po(handle, catalog, width=100, sort_output=True, omit_header=False)
        print(f"updated {package.relative_to(ROOT)}")


def compile_all() -> None:
    for package in packages():
        for locale in LOCALES:
            path = po_path(package, locale)
            if not path.exists():
                continue
            catalog = load(path, locale)
            with path.with_suffix(".mo").open("wb") as handle:
                write_mo(handle, catalog)


def _complete(message, catalog) -> bool:
    if message.pluralizable:
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        return len(strings) == catalog.num_plurals and all(strings)
    return bool(message.string)


def _key(message):
    """A message's identity: its singular text and its context (``pgettext``)."""
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return (message.context, msgid) if message.context else msgid


def problems(only: str | None = None) -> list[str]:
    """Untranslated, fuzzy or stale messages, one line each."""
    found = []
    for package in packages():
        if only and package != (ROOT / only).resolve():
            continue
        wanted = {_key(m) for m in extract(package) if m.id}
        for locale in LOCALES:
            path = po_path(package, locale)
            if not path.exists():
                if wanted:
                    found.append(f"{path.relative_to(ROOT)}: missing catalog")
                continue
            catalog = load(path, locale)
            have = {_key(message): message for message in catalog if message.id}
            for key in sorted(wanted, key=str):
                message = have.get(key)
                if message is None:
                    found.append(f"{path.relative_to(ROOT)}: not extracted yet: {key!r}")
                elif message.fuzzy or not _complete(message, catalog):
                    found.append(f"{path.relative_to(ROOT)}: untranslated: {key!r}")
    return found


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        update(argv[2] if len(argv) > 2 else None)
    elif command == "compile":
        compile_all()
    elif command == "check":
        lines = problems(argv[2] if len(argv) > 2 else None)
        print("\n".join(lines) or "every catalog is complete")
        return 1 if lines else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
