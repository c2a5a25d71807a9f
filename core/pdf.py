"""PDF documents (warranty cards, fee notices, certificates) with fpdf2.

fpdf2 is pure Python (no system libraries to install) and its core fonts cover
Latin-1, which holds every Spanish letter and sign (á, ñ, ¿, ¡, º). Amounts are
written with the currency code (``1.234,56 EUR``) because the euro sign is not
in Latin-1.
"""
from __future__ import annotations

from fpdf import FPDF
from flask import Response


class Document(FPDF):
    """A4 page with the company header and a page-numbered footer."""

    def __init__(self, title: str, issuer: str, footer_text: str = ""):
        super().__init__(format="A4")
        self.doc_title = title
        self.issuer = issuer
        self.footer_text = footer_text
        self.set_title(title)
        self.set_author(issuer)
        self.set_auto_page_break(auto=True, margin=18)
        self.add_page()

    def header(self):
        self.set_font("Helvetica", "B", 10)
        self.cell(0, 6, latin1(self.issuer), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "B", 15)
        self.cell(0, 9, latin1(self.doc_title), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self):
        self.set_y(-14)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 6, latin1(f"{self.footer_text}  {self.page_no()}"), align="R")

    def heading(self, text: str) -> None:
        self.ln(2)
        self.set_font("Helvetica", "B", 11)
        self.cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def paragraph(self, text: str) -> None:
        self.set_font("Helvetica", "", 10)
        self.multi_cell(0, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def fact(self, label: str, value: str) -> None:
        self.set_font("Helvetica", "B", 10)
        self.cell(55, 6, latin1(label))
        self.set_font("Helvetica", "", 10)
        self.multi_cell(0, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")

    def table(self, headers: list[str], rows: list[list[str]], widths: list[int]) -> None:
        self.set_font("Helvetica", "B", 9)
        for header, width in zip(headers, widths):
            self.cell(width, 6, latin1(header), border=1)
        self.ln()
        self.set_font("Helvetica", "", 9)
        for row in rows:
            for value, width in zip(row, widths):
                self.cell(width, 6, latin1(str(value))[:60], border=1)
            self.ln()

    def response(self, filename: str) -> Response:
        return Response(bytes(self.output()), mimetype="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{filename}"'})


def latin1(text: str) -> str:
    """Text the core fonts can draw: Latin-1 as is, anything else replaced."""
    return str(text).replace("€", "EUR").encode("latin-1", "replace").decode("latin-1")
