"""Demonstration assessors on top of ``seed_demo``'s register, written through the services.

Twenty-five assessors (the demo login ``assessor`` among them) with qualifications under every
programme (at least two lead assessors each), approved competence codes covering every code the
published scopes need, training, a few conflicts of interest and unavailable periods, and a
few requests left waiting in the secretariat's approvals queue. Every item is looked for
before it is written, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accreditation.choices import Province, ScopeVersionStatus
from accreditation.models import Cab, Programme, ScopeItem
from assessors import services
from assessors.choices import ConflictKind, QualificationRole, QualificationStatus
from assessors.models import AssessorProfile, Competence, CompetenceCode, Qualification
from assessors.selectors import codes_for_scope_item
from core.dates import add_months
from core.models import AuditEvent, User
from core.roles import Role

#: The demo login ``assessor`` made by ``seed_demo`` comes first; the others cannot log in.
DEMO_ASSESSOR = "assessor"
SECRETARIAT = "secretariat"
NAMES = [
    "张志强",
    "李秀英",
    "王建华",
    "陈晓东",
    "刘海燕",
    "杨文静",
    "赵立新",
    "黄思远",
    "周雪梅",
    "吴国庆",
    "徐宇航",
    "孙佳怡",
    "马建军",
    "朱丽娟",
    "胡明",
    "郭平",
    "何涛",
    "林超",
    "罗华",
    "高敏",
    "郑勇",
    "梁静",
    "谢磊",
    "宋艳",
]
EMPLOYERS = (
    "中国计量科学研究院",
    "中国检验检疫科学研究院",
    "国家食品安全风险评估中心",
    "上海市质量监督检验技术研究院",
    "广东省计量科学研究院",
    "北京协和医院检验科",
    "中国质量认证中心",
    "江苏省产品质量监督检验研究院",
)
REGIONS = (Province.BEIJING, Province.SHANGHAI, Province.GUANGDONG, Province.JIANGSU, Province.ZHEJIANG)
PROGRAMMES = ("CL", "ML", "IB", "MS", "PRD", "PER", "PTP", "RMP", "BB", "VV", "GHG")
TRAINING = (
    ("ISO/IEC 17011:2017 认可机构要求 培训", "CNAS 评审员培训中心", Decimal("16")),
    ("远程评审技术与IAF MD 4 应用", "CNAS 评审员培训中心", Decimal("8")),
    ("测量不确定度评定与表示", "中国计量科学研究院", Decimal("24")),
    ("评审员行为规范与公正性要求", "CNAS 秘书处", Decimal("4")),
)


@dataclass
class AssessorReport:
    users_created: int = 0
    profiles_created: int = 0
    audit_events_written: int = 0

    @property
    def changed_anything(self) -> bool:
        return bool(self.users_created or self.profiles_created or self.audit_events_written)


def _ensure_assessor_user(username: str, full_name: str) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "email": f"{username}@portal.example"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if not user.groups.filter(name=Role.ASSESSOR.value).exists():
        user.groups.add(Group.objects.get(name=Role.ASSESSOR.value))
    return user, created


def _ensure_qualification(
    profile: AssessorProfile,
    secretariat: User,
    programme: Programme,
    role: str,
    valid_from: dt.date,
    *,
    approve: bool = True,
) -> None:
    if Qualification.objects.filter(assessor=profile, programme=programme, role=role).exists():
        return
    qualification = services.qualification_request(
        profile=profile,
        actor=profile.user,
        programme=programme,
        role=role,
        valid_from=valid_from,
        valid_until=add_months(valid_from, 60) - dt.timedelta(days=1),
    )
    if approve:
        services.qualification_approve(
            qualification=qualification, actor=secretariat, reason="经评审员评价委员会评定，资格予以确认。"
        )


def _ensure_competence(profile: AssessorProfile, secretariat: User, code: CompetenceCode, *, approve: bool) -> None:
    if Competence.objects.filter(assessor=profile, code=code).exists():
        return
    competence = services.competence_request(profile=profile, actor=profile.user, code=code)
    if approve:
        services.competence_approve(competence=competence, actor=secretariat)


def _codes_needed(programme: Programme) -> list[CompetenceCode]:
    """Every code that some published scope item of ``programme`` needs, in code-list order."""
    items = ScopeItem.objects.filter(
        version__status=ScopeVersionStatus.PUBLISHED, version__accreditation__programme=programme
    ).values_list("attributes", flat=True)
    needed: dict[int, CompetenceCode] = {}
    for attributes in items:
        for code in codes_for_scope_item(programme=programme, attributes=attributes):
            needed[code.pk] = code
    return sorted(needed.values(), key=lambda c: (c.position, c.code))


@transaction.atomic
def seed_demo_assessors(*, today: dt.date | None = None) -> AssessorReport:
    today = today or timezone.localdate()
    report = AssessorReport()
    events_before = AuditEvent.objects.count()
    secretariat = User.objects.get(username=SECRETARIAT)
    programmes = {p.code: p for p in Programme.objects.filter(code__in=PROGRAMMES)}

    users = [User.objects.get(username=DEMO_ASSESSOR)]
    for number, name in enumerate(NAMES, start=1):
        user, created = _ensure_assessor_user(f"assessor-{number:02d}", name)
        users.append(user)
        report.users_created += created
    profiles: list[AssessorProfile] = []
    for index, user in enumerate(users):
        existed = AssessorProfile.objects.filter(user=user).exists()
        profile = services.profile_get_or_create(user=user, actor=secretariat)
        report.profiles_created += not existed
        if not existed:
            services.profile_update(
                profile=profile,
                actor=secretariat,
                region=REGIONS[index % len(REGIONS)],
                languages="中文, English" if index % 3 else "中文",
                employer=EMPLOYERS[index % len(EMPLOYERS)],
                phone=f"010-6{index:03d}{index * 7 % 10000:04d}",
                cv=f"从事合格评定工作{8 + index % 12}年，熟悉相关认可准则与技术规范。",
            )
        profiles.append(profile)

    # The demo login leads teams for laboratories and management-system certification bodies.
    demo = profiles[0]
    started = add_months(today, -36)
    for code in ("CL", "MS"):
        _ensure_qualification(demo, secretariat, programmes[code], QualificationRole.LEAD_ASSESSOR, started)
    # Two lead assessors per programme, then assessors and technical experts; each a second programme too.
    roles = (QualificationRole.LEAD_ASSESSOR, QualificationRole.LEAD_ASSESSOR, QualificationRole.ASSESSOR)
    for index, profile in enumerate(profiles[1:]):
        main = programmes[PROGRAMMES[index % len(PROGRAMMES)]]
        role = roles[min(index // len(PROGRAMMES), len(roles) - 1)]
        since = add_months(today, -12 * (1 + index % 4))
        _ensure_qualification(profile, secretariat, main, role, since)
        second = programmes[PROGRAMMES[(index + 3) % len(PROGRAMMES)]]
        _ensure_qualification(profile, secretariat, second, QualificationRole.TECHNICAL_EXPERT, since)

    # Competence: every code a published scope needs, held by two assessors qualified there.
    for programme in programmes.values():
        qualified = [
            p
            for p in profiles
            if Qualification.objects.filter(
                assessor=p, programme=programme, status=QualificationStatus.APPROVED
            ).exists()
        ]
        if not qualified:
            continue
        for position, needed in enumerate(_codes_needed(programme)):
            for offset in (0, 1):
                holder = qualified[(position + offset) % len(qualified)]
                _ensure_competence(holder, secretariat, needed, approve=True)

    for index, profile in enumerate(profiles):
        for offset in range(1 + index % 3):
            title, provider, hours = TRAINING[(index + offset) % len(TRAINING)]
            if not profile.training_records.filter(title=title).exists():
                services.training_record_add(
                    profile=profile,
                    actor=profile.user,
                    title=title,
                    provider=provider,
                    date=today - dt.timedelta(days=90 + 97 * offset + index),
                    hours=hours,
                )

    # Conflicts with demo CABs: former employer, consultancy, training given, financial ties.
    cabs = list(Cab.objects.order_by("credit_code")[:4])
    kinds = list(ConflictKind)
    for index, cab in enumerate(cabs):
        profile = profiles[index + 2]
        if not profile.conflicts.filter(cab=cab).exists():
            services.conflict_declare(
                profile=profile,
                actor=profile.user,
                cab=cab,
                kind=kinds[index % len(kinds)],
                started_on=add_months(today, -48),
                ended_on=add_months(today, -12) if index % 2 else None,
                note="本人主动申报。",
            )

    for index in (1, 5, 9, 13):
        profile = profiles[index]
        start = today + dt.timedelta(days=10 + index * 3)
        if not profile.unavailabilities.exists():
            services.unavailability_add(
                profile=profile, actor=profile.user, start=start, end=start + dt.timedelta(days=6), reason="出国交流"
            )

    # Waiting in the approvals queue: a trainee request and a competence request.
    waiting = profiles[-1]
    _ensure_qualification(waiting, secretariat, programmes["CL"], QualificationRole.TRAINEE, today, approve=False)
    first_code = CompetenceCode.objects.filter(programme=programmes["MS"]).order_by("position").first()
    if first_code is not None:
        _ensure_competence(waiting, secretariat, first_code, approve=False)

    report.audit_events_written = AuditEvent.objects.count() - events_before
    return report
