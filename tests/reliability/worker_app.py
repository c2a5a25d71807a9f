"""The app a ``flask --app tests.reliability.worker_app deadlines run`` subprocess serves.

It reads the database and plugin set from the environment (``DATABASE_URL``,
``POSTVENTA_PLUGINS``) and adds the reliability answer clock, as the test app does.
It runs on the system clock, after the frozen test clock's cases fell due.
"""
from __future__ import annotations

import os

from core import create_app

from .clocks import AnswerClock

app = create_app({
    "SQLALCHEMY_DATABASE_URI": os.environ["DATABASE_URL"],
    "POSTVENTA_PLUGINS": os.environ.get("POSTVENTA_PLUGINS", "none"),
    "POSTVENTA_EXTRA_HOOKS": [AnswerClock()],
    "SECRET_KEY": "worker",
})
