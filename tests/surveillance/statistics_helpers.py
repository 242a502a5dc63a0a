"""Rows for the statistics tests, written straight with the ORM: the figures only read them.

(Sanctions have no services yet; accreditations, assessments, complaints and uploads are made
directly too, so each test states exactly the facts it counts.)
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from accreditation.choices import AccreditationStatus, CabKind
from accreditation.choices_applications import ApplicationStatus, ApplicationType
from accreditation.models import Accreditation, Application, Cab
from assessors.choices import AssessmentKind, AssessmentStatus
from assessors.models import Assessment
from certification.choices import UploadFormat, UploadStatus
from certification.models import CertificateUpload
from core.models import User
from surveillance.choices import ComplaintChannel, ComplaintStatus, SanctionStatus
from surveillance.models import Complaint, Sanction, SanctionReason
from tests.accreditation.factories import CabFactory, programme

_serial = itertools.count(1)


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A moment in the portal's time zone (Asia/Shanghai)."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def body(name_zh: str, province: str = "11", kind: str = CabKind.LABORATORY, **fields: Any) -> Cab:
    fields.setdefault("name_en", "")
    return CabFactory.create(name_zh=name_zh, province=province, kind=kind, **fields)


def accreditation(
    cab: Cab,
    code: str,
    status: str = AccreditationStatus.ACCREDITED,
    *,
    granted_on: dt.date | None = dt.date(2024, 1, 15),
    cycle_start: dt.date | None = None,
    cycle_end: dt.date | None = None,
) -> Accreditation:
    if status == AccreditationStatus.APPLICANT:
        granted_on = None
    return Accreditation.objects.create(
        cab=cab,
        programme=programme(code),
        status=status,
        granted_on=granted_on,
        cycle_start=cycle_start or granted_on,
        cycle_end=cycle_end,
    )


def assessment(
    of: Accreditation,
    actor: User,
    *,
    ended_on: dt.date,
    kind: str = AssessmentKind.ON_SITE,
    status: str = AssessmentStatus.COMPLETED,
) -> Assessment:
    application = Application.objects.create(
        cab=of.cab,
        programme=of.programme,
        accreditation=of,
        type=ApplicationType.EXTENSION,
        status=ApplicationStatus.ACCEPTED,
        created_by=actor,
    )
    return Assessment.objects.create(
        application=application,
        kind=kind,
        planned_start=ended_on - dt.timedelta(days=2),
        planned_end=ended_on,
        status=status,
        created_by=actor,
    )


def reason(code: str, label_zh: str, label_en: str, position: int) -> SanctionReason:
    return SanctionReason.objects.create(code=code, label_zh=label_zh, label_en=label_en, position=position)


def sanction(
    on: Accreditation, actor: User, *, kind: str, decided_at: dt.datetime, why: SanctionReason | None
) -> Sanction:
    return Sanction.objects.create(
        accreditation=on,
        kind=kind,
        status=SanctionStatus.IN_FORCE,
        reason=why,
        details="统计测试",
        decided_by=actor,
        decided_at=decided_at,
        effective_on=timezone.localdate(decided_at),
    )


def complaint(
    kind: str,
    status: str = ComplaintStatus.RECEIVED,
    *,
    received_at: dt.datetime,
    outcome: str = "",
    acknowledge_due_on: dt.date | None = None,
    resolution_due_on: dt.date | None = None,
) -> Complaint:
    later = timezone.localdate() + dt.timedelta(days=30)
    return Complaint.objects.create(
        tracking_number=f"TS-STAT-{next(_serial):05d}",
        kind=kind,
        channel=ComplaintChannel.PUBLIC,
        status=status,
        subject="统计",
        description="统计测试",
        received_at=received_at,
        acknowledge_due_on=acknowledge_due_on or later,
        resolution_due_on=resolution_due_on or later,
        outcome=outcome,
    )


def upload(
    cb: Cab,
    actor: User,
    *,
    at_time: dt.datetime,
    applied: int,
    refused: int = 0,
    status: str = UploadStatus.DONE,
) -> CertificateUpload:
    made = CertificateUpload.objects.create(
        cb=cb,
        format=UploadFormat.API,
        status=status,
        total_rows=applied + refused,
        processed_rows=applied + refused,
        applied_rows=applied,
        error_rows=refused,
        uploaded_by=actor,
    )
    # ``created_at`` is set on insert; the test decides when the upload came in.
    CertificateUpload.objects.filter(pk=made.pk).update(created_at=at_time)
    return made
