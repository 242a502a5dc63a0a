"""Demonstration applications in each state of the acceptance review, made through the services.

The laboratory of the demo logins gets a draft extension (one document still missing), a
submitted extension waiting in the secretariat's queue, a reduction returned for more
information and an accepted change of address; the certification body of the logins gets a
submitted initial application under a certification programme it does not hold yet, which the
secretariat can accept with a pre-visit. Public holidays of the current year are entered so the
due dates skip them. Idempotent: a CAB that already has applications is left alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from accreditation.choices import AccreditationStatus
from accreditation.choices_applications import REQUIRED_DOCUMENTS, ApplicationType, checklist_for
from accreditation.demo.catalogues import CATALOGUES
from accreditation.models import Accreditation, Application, Cab, Holiday, Programme
from accreditation.scope_shapes import clean_attributes
from accreditation.services import applications as services
from core.errors import DomainError
from core.models import User

#: A one-page PDF, enough for the portal's checks (it looks at the file's signature).
DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

#: Fixed-date public holidays (国庆节, 劳动节, 元旦); the movable ones are entered by the secretariat.
HOLIDAYS = (((1, 1), "元旦"), ((5, 1), "劳动节"), *(((10, day), "国庆节") for day in range(1, 8)))


def ensure_holidays(year: int) -> int:
    created = 0
    for (month, day), name in HOLIDAYS:
        created += Holiday.objects.get_or_create(date=dt.date(year, month, day), defaults={"name": name})[1]
    return created


def _attach(application: Application, actor: User, kinds: tuple[str, ...]) -> None:
    for kind in kinds:
        services.application_attach_document(
            application=application,
            actor=actor,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.pdf", DEMO_PDF, content_type="application/pdf"),
        )


def _templates_for(programme: Programme, sample: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Catalogue items of the programme's shape: the catalogue ``sample`` came from, else any that fits."""

    def fits(attributes: dict[str, Any]) -> bool:
        try:
            return clean_attributes(programme.scope_shape, attributes) == attributes
        except DomainError:
            return False

    if sample is not None:
        plain = {k: v for k, v in sample.items() if k != "site"}
        for templates in CATALOGUES.values():
            if any(plain in (t.attributes, t.first_issue()) for t in templates):
                return [dict(t.attributes) for t in templates]
    return [dict(t.attributes) for templates in CATALOGUES.values() for t in templates if fits(t.attributes)]


def _new_items(accreditation: Accreditation, count: int) -> list[dict[str, Any]]:
    current = accreditation.current_scope
    taken = [item.attributes for item in current.items.all()] if current else []
    fresh = [a for a in _templates_for(accreditation.programme, taken[0] if taken else None) if a not in taken]
    return fresh[:count]


def seed_applications(*, lab: Cab, lab_admin: User, lab_user: User, cb: Cab, cb_admin: User, secretariat: User) -> int:
    """Create the demonstration applications; return how many were created."""
    ensure_holidays(dt.date.today().year)
    created = 0
    accreditation = Accreditation.objects.filter(cab=lab, status=AccreditationStatus.ACCREDITED).order_by("pk").first()
    if accreditation is not None and not lab.applications.exists():
        created += _lab_applications(accreditation, lab_admin, lab_user, secretariat)
    programme = (
        Programme.objects.filter(cab_kind=cb.kind, is_active=True)
        .exclude(accreditations__cab=cb)
        .order_by("code")
        .first()
    )
    if programme is not None and not cb.applications.exists():
        application = services.application_create(
            cab=cb, programme=programme, type=ApplicationType.INITIAL, actor=cb_admin, note="首次申请认可"
        )
        for attributes in _templates_for(programme, None)[:2]:
            services.application_add_item(application=application, actor=cb_admin, attributes=attributes)
        _attach(application, cb_admin, REQUIRED_DOCUMENTS[ApplicationType.INITIAL])
        services.application_submit(application=application, actor=cb_admin)
        created += 1
    return created


def _lab_applications(accreditation: Accreditation, admin: User, member: User, secretariat: User) -> int:
    lab, programme = accreditation.cab, accreditation.programme
    new_items = _new_items(accreditation, 3)

    draft = services.application_create(
        cab=lab, programme=programme, type=ApplicationType.EXTENSION, actor=member, note="拟扩项，能力验证报告整理中"
    )
    for attributes in new_items[:1]:
        services.application_add_item(application=draft, actor=member, attributes=attributes)
    _attach(draft, member, (REQUIRED_DOCUMENTS[ApplicationType.EXTENSION][0],))

    waiting = services.application_create(cab=lab, programme=programme, type=ApplicationType.EXTENSION, actor=admin)
    for attributes in new_items[1:3]:
        services.application_add_item(application=waiting, actor=admin, attributes=attributes)
    _attach(waiting, admin, REQUIRED_DOCUMENTS[ApplicationType.EXTENSION])
    services.application_submit(application=waiting, actor=admin)

    current = accreditation.current_scope
    reduction = services.application_create(cab=lab, programme=programme, type=ApplicationType.REDUCTION, actor=admin)
    first = current.items.order_by("position").first() if current else None
    if first is not None:
        services.application_add_item(application=reduction, actor=admin, key=str(first.key))
    _attach(reduction, admin, REQUIRED_DOCUMENTS[ApplicationType.REDUCTION])
    services.application_submit(application=reduction, actor=admin)
    services.application_return(
        application=reduction,
        actor=secretariat,
        reasons="请说明缩小范围的原因，并确认已通知相关客户。",
        checklist=["form_signed"],
    )

    change = services.application_create(
        cab=lab,
        programme=programme,
        type=ApplicationType.CHANGE,
        actor=admin,
        change_kinds=["address"],
        proposed_changes={"address": {"address_zh": "江苏省苏州市工业园区星湖街328号"}},
    )
    _attach(change, admin, REQUIRED_DOCUMENTS[ApplicationType.CHANGE])
    services.application_submit(application=change, actor=admin)
    services.application_accept(
        application=change,
        actor=secretariat,
        checklist=[key for key, _question in checklist_for(ApplicationType.CHANGE)],
    )
    return 4
