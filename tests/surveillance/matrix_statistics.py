"""Permission-matrix entries of the statistics dashboard, its downloads and its API (see ``tests/matrix.py``).

The figures are for the accreditation body's staff: the secretariat and decision makers read
them; any other signed-in user gets 403 (the page says who may use it; there is no object to
hide), the public is sent to log in (401 from the API).
"""

from __future__ import annotations

from tests.matrix import DENY, OK, Case, api, signed_in

STAFF = signed_in(DENY, secretariat=OK, decision_maker=OK)

ENTRIES: dict[str, list[Case]] = {
    "surveillance:statistics": [Case(STAFF), Case(STAFF, query=lambda w: {"year": "2025", "programme": "CL"})],
    "surveillance:statistics_export": [
        Case(STAFF, kwargs=lambda w: {"table": "bodies_by_status", "file_format": "csv"}),
        Case(STAFF, kwargs=lambda w: {"table": "uploads_per_cb", "file_format": "xlsx"}),
        Case(STAFF, kwargs=lambda w: {"table": "all", "file_format": "xlsx"}),
    ],
    "surveillance_api:statistics": [api(STAFF), api(STAFF, query=lambda w: {"year": "2025"})],
}
