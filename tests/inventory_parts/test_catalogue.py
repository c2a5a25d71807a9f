"""The catalogue's CSV import: all or nothing, with a row-by-row report."""
from __future__ import annotations

from core.extensions import db
from plugins.inventory_parts.models import Part
from plugins.inventory_parts.services import catalogue

from .helpers import part

HEADER = "number;name;kind;unit;cost_price;list_price;service_life_months;fits\n"


def test_import_keeps_every_row_when_all_are_good(inv_app):
    data = (HEADER + "CR-1;Correa de transmisión;three_guarantee;ud;12,50;25,00;24;CX-5|Cosechadoras\n"
            "FI-2;Filtro de aceite;wear;ud;3;7,5;;CX-5\n").encode()
    report = catalogue.import_catalogue(data)
    assert report.ok and report.imported == 2
    imported = db.session.query(Part).filter_by(number="CR-1").one()
    assert imported.fits_list == ["CX-5", "Cosechadoras"] and imported.service_life_months == 24


def test_import_refuses_the_whole_file_and_reports_each_bad_row(inv_app):
    part(number="EXISTE")
    data = (HEADER + "OK-1;Buena;wear;ud;1;2;;\n"
            "EXISTE;Repetida;wear;ud;1;2;;\n"
            "MAL-3;Tipo raro;gadget;ud;1;2;;\n"
            "MAL-4;Precio malo;wear;ud;abc;2;;\n").encode()
    report = catalogue.import_catalogue(data)
    assert not report.ok
    assert [line for line, _ in report.errors] == [3, 4, 5]
    assert db.session.query(Part).count() == 1  # OK-1 was not kept either


def test_import_names_missing_columns(inv_app):
    import pytest

    from core.errors import BusinessRuleError

    with pytest.raises(BusinessRuleError) as refused:
        catalogue.import_catalogue(b"number;name\nA;B\n")
    assert "cost_price" in refused.value.message
