"""The dealer portal and the company's dealer pages."""
from flask import Blueprint

bp = Blueprint("dealers", __name__, url_prefix="/dealers", template_folder="templates")
