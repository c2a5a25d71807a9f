"""The request class: htmx-aware, and free of NUL characters.

No person types a NUL character, PostgreSQL cannot store one in a text column
(the insert fails), and some browsers' and proxies' handling of it differs; so
form fields and query arguments arrive with NULs removed, before any view,
form or service sees them.
"""
from __future__ import annotations

from functools import cached_property

from htmx_flask.requests import HtmxAwareRequest
from werkzeug.datastructures import ImmutableMultiDict


def without_nul(values: ImmutableMultiDict) -> ImmutableMultiDict:
    if not any("\x00" in value for value in values.values()):
        return values
    return ImmutableMultiDict([(key.replace("\x00", ""), value.replace("\x00", "")) for key, value in values.items(multi=True)])


class PostventaRequest(HtmxAwareRequest):
    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = without_nul(self.__dict__["form"])

    @cached_property
    def args(self) -> ImmutableMultiDict:
        return without_nul(super().args)
