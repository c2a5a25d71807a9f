"""Reports for the company's staff: consumption per part and month (with a chart) and the reorder list."""
from __future__ import annotations

from flask import request
from flask_babel import gettext

from core.auth.permissions import requires
from core.policies import policy
from core.web import csv_response, render_page

from ..charts import bar_chart
from ..services import reports
from . import bp


@bp.route("/reports", endpoint="reports")
@requires("inventory.reports.view")
def reports_index():
    months = reports.last_months(policy("inventory_parts.consumption_months"))
    data = reports.consumption(months)
    return render_page("inventory_parts/reports.html", months=months, data=data,
                       chart=bar_chart(data["totals"], gettext("Parts issued per month")),
                       reorder=reports.below_reorder_point())


@bp.route("/reports/consumption.csv")
@requires("inventory.reports.view")
def consumption_export():
    months = reports.last_months(policy("inventory_parts.consumption_months"))
    data = reports.consumption(months, request.args.get("part", type=int))
    return csv_response("consumption.csv", ["part_number", "part", *months, "total"], (
        [row["part"].number, row["part"].name, *row["months"], row["total"]] for row in data["rows"]
    ))


@bp.route("/reports/reorder.csv")
@requires("inventory.reports.view")
def reorder_export():
    return csv_response("below-reorder-point.csv", ["part_number", "part", "reorder_point", "on_hand", "reserved",
                                                    "shortfall"], (
        [r["part"].number, r["part"].name, r["part"].reorder_point, r["on_hand"], r["reserved"], r["shortfall"]]
        for r in reports.below_reorder_point()
    ))
