"""Permission-matrix entries of the public certificate lookup (see ``tests/matrix.py``).

Everyone, signed in or not, may search and open a reported certificate; a draft is hidden (404)
from everyone, even the CB that reported it, since these are the public pages.
"""

from __future__ import annotations

from certification.choices import CertificateStatus
from tests.certification.lookup_helpers import certified
from tests.matrix import HIDE, OK, Case, World, api, everyone


def build(world: World) -> None:
    world.extra["lookup_certificate"] = certified(world.cab, "杭州鑫淼科技有限公司")
    world.extra["lookup_draft"] = certified(world.cab, "杭州鑫淼电子有限公司", status=CertificateStatus.DRAFT)


shown = lambda w: {"pk": w.extra["lookup_certificate"].pk}  # noqa: E731
draft = lambda w: {"pk": w.extra["lookup_draft"].pk}  # noqa: E731

ENTRIES: dict[str, list[Case]] = {
    "certification:lookup": [Case(everyone(OK), query=lambda w: {"q": "鑫淼"})],
    "certification:lookup_certificate": [Case(everyone(OK), kwargs=shown), Case(everyone(HIDE), kwargs=draft)],
    "certification_api:public-certificate-list": [api(everyone(OK), query=lambda w: {"q": "鑫淼"})],
    "certification_api:public-certificate-detail": [
        api(everyone(OK), kwargs=shown),
        api(everyone(HIDE), kwargs=draft),
    ],
}
