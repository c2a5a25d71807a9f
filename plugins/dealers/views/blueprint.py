"""The dealers plugin's one blueprint."""
from flask import Blueprint

bp = Blueprint("dealers", __name__, url_prefix="/dealers", template_folder="../templates")
