"""All-or-nothing CSV imports with a row-by-row error report.

A plugin gives :func:`import_csv` the uploaded bytes, the columns it needs and
a function that turns one row into records (raising ``RowError`` or
:class:`core.errors.BusinessRuleError` to refuse it). It must check a row fully
(uniqueness too, against the database and the rows before it) before it adds
anything to the session, so a refused row leaves no half-built record behind
for the next row to trip over. Every row is checked;
if any row fails, nothing is kept and the report lists each failing row with
its reason; otherwise everything is committed at once. The page shows upload
progress with htmx (``templates/_import.html``).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Callable

from flask_babel import gettext

from core.errors import BusinessRuleError
from core.extensions import db


class RowError(ValueError):
    """One row cannot be imported; the message says why."""


@dataclass
class ImportReport:
    total: int = 0
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)

    @property
    def ok(self) -> bool:
        return not self.errors and self.total > 0


def read_rows(data: bytes, required: list[str]) -> list[dict]:
    """Decode (UTF-8, with or without BOM; ``,`` or ``;``) and check the header."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BusinessRuleError(gettext("The file is not UTF-8 text."), field="file")
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [column for column in required if column not in header]
    if missing:
        raise BusinessRuleError(gettext("Missing columns: %(columns)s", columns=", ".join(missing)), field="file")
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


def import_csv(data: bytes, required: list[str], import_row: Callable[[dict], object]) -> ImportReport:
    """Import every row or none. The caller's session is committed only on success."""
    rows = read_rows(data, required)
    report = ImportReport(total=len(rows))
    if not rows:
        raise BusinessRuleError(gettext("The file has no rows."), field="file")
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        try:
            import_row(row)
        except (RowError, BusinessRuleError, ValueError) as error:
            report.errors.append((line, getattr(error, "message", None) or str(error)))
    if report.errors:
        db.session.rollback()
    else:
        db.session.commit()
        report.imported = len(rows)
    return report
