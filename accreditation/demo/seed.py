"""Play the demonstration register through the services, as the demo secretariat user.

Every body's history (``bodies.BODIES``) becomes a list of dated steps: register the CAB,
open the application, publish the first scope issue and grant, extend, revise or reduce the
scope, suspend, withdraw... The steps of all new bodies run in date order, so accreditation
numbers follow the grant dates. Every step is a service call, so the audit trail holds the
whole story. (Services stamp events and status changes with the time they run; the dates
of the story are kept where the services take one: grant dates and scope issue dates.)

Idempotent: a body is recognised by its credit code, which is derived from a fixed seed,
and a body that exists is left alone; users, memberships and grants are only added when
missing. A second run therefore writes nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from accreditation.choices import AccreditationStatus, ScopeVersionStatus
from accreditation.demo import people
from accreditation.demo.applications import seed_applications
from accreditation.demo.bodies import (
    ASSESSED_BODY,
    BODIES,
    CERTIFICATION_BODY_FOR_LOGINS,
    LAB_FOR_LOGINS,
    Body,
    Plan,
    Story,
)
from accreditation.demo.catalogues import CATALOGUES, ItemTemplate
from accreditation.demo.identifiers import make_credit_code
from accreditation.demo.places import CITIES, make_address
from accreditation.models import (
    Accreditation,
    Cab,
    CabMembership,
    CabUserObjectPermission,
    Programme,
    ScopeItem,
    ScopeVersion,
)
from accreditation.scope_shapes import fields_of
from accreditation.services import accreditations as accreditation_services
from accreditation.services import cabs as cab_services
from accreditation.services import members as member_services
from accreditation.services import scopes as scope_services
from core.dates import add_months
from core.models import AuditEvent, User
from core.roles import Role
from core.two_factor import REQUIRED_ROLES, ensure_demo_device

#: Fixed, so every run derives the same bodies, codes and histories.
RANDOM_SEED = 17011
#: One memorable password for every demo login; it passes the configured validators.
DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - published on purpose: demo data only


@dataclass(frozen=True)
class DemoUser:
    key: str
    username: str
    full_name: str
    role: Role | None
    label: str

    @property
    def email(self) -> str:
        return f"{self.username}@portal.example"


DEMO_USERS = (
    DemoUser("secretariat", "secretariat", "王晓琳", Role.SECRETARIAT, "secretariat"),
    DemoUser("decision_maker", "decider", "陈立平", Role.DECISION_MAKER, "decision maker"),
    DemoUser("assessor", "assessor", "刘建国", Role.ASSESSOR, "assessor"),
    DemoUser("lab_admin", "lab-admin", "周敏", None, "CAB admin (laboratory)"),
    DemoUser("lab_user", "lab-user", "吴磊", None, "CAB user (laboratory)"),
    DemoUser("cb_admin", "cb-admin", "赵雪梅", None, "CAB admin (certification body)"),
)

#: How long before today an accreditation with this story was first granted, in months.
#: Live accreditations stay inside their first 72-month cycle (there is no renewal to play);
#: those granted six to eight years ago ended: withdrawn, cancelled or expired.
GRANTED_MONTHS_AGO: dict[Story, tuple[int, int]] = {
    Story.ACCREDITED: (3, 68),
    Story.EXTENDED: (14, 68),
    Story.REVISED: (26, 68),
    Story.HISTORY: (40, 68),
    Story.REDUCED: (14, 68),
    Story.SUSPENDED: (12, 60),
    Story.PARTIALLY_SUSPENDED: (20, 60),
    Story.WITHDRAWN: (30, 95),
    Story.CANCELLED: (30, 95),
    Story.EXPIRED: (74, 95),
}
#: Scope changes after the first issue, in order.
SCOPE_CHANGES: dict[Story, tuple[str, ...]] = {
    Story.EXTENDED: ("extend",),
    Story.REVISED: ("extend", "revise"),
    Story.HISTORY: ("extend", "revise", "reduce"),
    Story.REDUCED: ("reduce",),
    Story.PARTIALLY_SUSPENDED: ("extend",),
}


@dataclass(frozen=True)
class Login:
    role: str
    username: str
    password: str
    try_this: str


@dataclass
class SeedReport:
    cabs_created: int = 0
    accreditations_created: int = 0
    scope_issues_published: int = 0
    audit_events_written: int = 0
    users_created: int = 0
    logins: list[Login] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.cabs_created or self.audit_events_written or self.users_created)


def body_rng(body: Body, purpose: str = "") -> random.Random:
    """A generator of its own for each body, so one body's data does not depend on the others."""
    return random.Random(f"{RANDOM_SEED}:{body.key}:{purpose}")  # noqa: S311 - demo data, not secrets


def demo_credit_code(body: Body) -> str:
    city = CITIES[body.city]
    return make_credit_code(
        body_rng(body, "credit-code"), registration=body.registration, region=city.districts[0].region
    )


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


@dataclass
class _BodyState:
    body: Body
    cab: Cab | None = None


@dataclass
class _AccreditationState:
    body: _BodyState
    plan: Plan
    programme: Programme
    templates: tuple[ItemTemplate, ...]
    #: Template indexes whose items carry the body's second site.
    sited: frozenset[int]
    accreditation: Accreditation | None = None
    #: Template indexes in the current scope, in scope order.
    in_scope: list[int] = field(default_factory=list)
    #: Scope item key -> template index (keys survive from one issue to the next).
    template_of_key: dict[str, int] = field(default_factory=dict)

    @property
    def revises(self) -> bool:
        return "revise" in SCOPE_CHANGES.get(self.plan.story, ())

    def attributes(self, index: int, *, first_issue: bool) -> dict[str, object]:
        template = self.templates[index]
        values: dict[str, object] = dict(template.first_issue() if first_issue else template.attributes)
        if index in self.sited:
            values["site"] = self.body.body.second_site
        return values

    def unused(self) -> list[int]:
        return [i for i in range(len(self.templates)) if i not in self.in_scope]

    def require(self) -> Accreditation:
        if self.accreditation is None:
            raise RuntimeError(f"{self.plan} was not opened before its later steps")
        return self.accreditation


@dataclass(order=True)
class _Step:
    day: dt.date
    seq: int
    action: Callable[[], object] = field(compare=False)


class _Seeder:
    def __init__(self, actor: User, today: dt.date) -> None:
        self.actor = actor
        self.today = today
        self.steps: list[_Step] = []
        self._seq = itertools.count()
        self.programmes = {p.code: p for p in Programme.objects.all()}

    # --- planning -------------------------------------------------------------------------

    def plan_body(self, body: Body) -> None:
        rng = body_rng(body)
        state = _BodyState(body)
        timelines = [self._plan_accreditation(state, plan, rng) for plan in body.plans]
        registered = min(day for timeline in timelines for day, _ in timeline) - _days(rng.randint(3, 20))
        self._at(registered, partial(self._register_cab, state, rng))
        for timeline in timelines:
            for day, action in timeline:
                self._at(day, action)

    def _at(self, day: dt.date, action: Callable[[], object]) -> None:
        self.steps.append(_Step(day, next(self._seq), action))

    def _plan_accreditation(
        self, body: _BodyState, plan: Plan, rng: random.Random
    ) -> list[tuple[dt.date, Callable[[], object]]]:
        programme = self.programmes[plan.programme]
        templates = CATALOGUES[plan.catalogue]
        has_site = any(f.name == "site" for f in fields_of(programme.scope_shape))
        sited = frozenset(i for i in range(len(templates)) if body.body.second_site and has_site and rng.random() < 0.3)
        state = _AccreditationState(body, plan, programme, templates, sited)
        changes = SCOPE_CHANGES.get(plan.story, ())
        additions = [rng.randint(1, 3) if change == "extend" else 1 if change == "revise" else 0 for change in changes]
        initial = self._initial_items(state, rng, room=len(templates) - sum(additions))
        steps: list[tuple[dt.date, Callable[[], object]]] = []

        if plan.story == Story.APPLICANT:
            opened = self.today - _days(rng.randint(10, 150))
            steps.append((opened, partial(self._open, state)))
            steps.append((opened + _days(rng.randint(1, 7)), partial(self._draft_application, state, initial)))
            return steps

        low, high = GRANTED_MONTHS_AGO[plan.story]
        granted = self.today - _days(rng.randint(low * 30, high * 30))
        cycle_end = add_months(granted, programme.certificate_validity_months) - _days(1)
        steps.append((granted - _days(rng.randint(90, 240)), partial(self._open, state)))
        steps.append((granted, partial(self._grant, state, initial, granted)))

        window_start, window_end = granted + _days(180), self.today - _days(45)
        span = (window_end - window_start).days
        day = granted
        for number, (change, count) in enumerate(zip(changes, additions, strict=True), start=1):
            target = window_start + _days(span * number // (len(changes) + 1) + rng.randint(-20, 20))
            day = max(target, day + _days(30))
            if change == "extend":
                steps.append((day, partial(self._extend, state, rng, count, day)))
            elif change == "revise":
                steps.append((day, partial(self._revise, state, rng, day)))
            else:
                steps.append((day, partial(self._reduce, state, rng, day)))

        if plan.story == Story.SUSPENDED:
            steps.append((self.today - _days(rng.randint(10, 100)), partial(self._suspend, state, rng)))
        elif plan.story == Story.PARTIALLY_SUSPENDED:
            steps.append(
                (max(day + _days(10), self.today - _days(rng.randint(5, 25))), partial(self._suspend_part, state, rng))
            )
        elif plan.story == Story.WITHDRAWN:
            latest = min(self.today, cycle_end) - _days(200)
            suspended = granted + _days(rng.randint(365, max(366, (latest - granted).days)))
            steps.append((suspended, partial(self._suspend, state, rng)))
            steps.append((suspended + _days(rng.randint(90, 180)), partial(self._withdraw, state, rng)))
        elif plan.story == Story.CANCELLED:
            cancelled = granted + _days(rng.randint(365, (min(self.today, cycle_end) - granted).days))
            steps.append((cancelled, partial(self._cancel, state)))
        elif plan.story == Story.EXPIRED:
            steps.append((cycle_end + _days(1), partial(self._expire, state)))
        return steps

    def _initial_items(self, state: _AccreditationState, rng: random.Random, *, room: int) -> list[int]:
        count = max(2, min(rng.randint(5, 8), room))
        candidates = list(range(len(state.templates)))
        chosen: list[int] = []
        if state.revises:
            # A revision needs an item whose method (or sectors) it can bring up to date.
            revisable = [i for i in candidates if state.templates[i].initial]
            if revisable:
                chosen.append(rng.choice(revisable))
        rest = [i for i in candidates if i not in chosen]
        chosen += rng.sample(rest, min(len(rest), count - len(chosen)))
        return sorted(chosen)

    # --- steps ----------------------------------------------------------------------------

    def _register_cab(self, state: _BodyState, rng: random.Random) -> None:
        body = state.body
        city = CITIES[body.city]
        address = make_address(rng, body.city, district_index=0)
        cab = cab_services.cab_create(
            actor=self.actor,
            reason=people.CAB_CREATED_REASON,
            name_zh=body.name_zh,
            name_en=body.name_en,
            credit_code=demo_credit_code(body),
            kind=body.kind,
            province=city.province,
            address_zh=address.zh,
            address_en=address.en,
            postcode=address.postcode,
            website=f"https://www.{body.key}.example",
        )
        cab_services.cab_site_add(
            cab=cab, actor=self.actor, name="总部", address=address.zh, province=city.province, is_main=True
        )
        if body.second_site:
            other = make_address(rng, body.city, district_index=1)
            cab_services.cab_site_add(
                cab=cab,
                actor=self.actor,
                name=body.second_site,
                address=other.zh,
                province=city.province,
                is_main=False,
            )
        for index, (role, mailbox) in enumerate(people.CONTACT_ROLES[: rng.randint(2, 4)]):
            cab_services.cab_contact_add(
                cab=cab,
                actor=self.actor,
                name=people.person_name(rng),
                role=role,
                email=f"{mailbox}@{body.key}.example",
                phone=people.landline(rng, city.area_code) if index % 2 == 0 else people.mobile(rng),
                is_primary=index == 0,
            )
        state.cab = cab

    def _open(self, state: _AccreditationState) -> None:
        cab = state.body.cab
        if cab is None:
            raise RuntimeError(f"{state.body.body.key} was not registered before its application")
        state.accreditation = accreditation_services.accreditation_open(
            cab=cab, programme=state.programme, actor=self.actor, reason=people.OPENED_REASON
        )

    def _add_items(
        self, state: _AccreditationState, draft: ScopeVersion, indexes: list[int], *, first_issue: bool
    ) -> None:
        for index in indexes:
            item = scope_services.scope_item_add(
                version=draft, actor=self.actor, attributes=state.attributes(index, first_issue=first_issue)
            )
            state.template_of_key[str(item.key)] = index
            state.in_scope.append(index)

    def _draft_items(self, draft: ScopeVersion, state: _AccreditationState) -> dict[int, ScopeItem]:
        return {state.template_of_key[str(item.key)]: item for item in draft.items.all()}

    def _draft_application(self, state: _AccreditationState, indexes: list[int]) -> None:
        draft = scope_services.scope_draft_start(
            accreditation=state.require(), actor=self.actor, note=people.INITIAL_SCOPE_NOTE
        )
        self._add_items(state, draft, indexes, first_issue=False)

    def _grant(self, state: _AccreditationState, indexes: list[int], granted: dt.date) -> None:
        draft = scope_services.scope_draft_start(
            accreditation=state.require(), actor=self.actor, note=people.INITIAL_SCOPE_NOTE
        )
        self._add_items(state, draft, indexes, first_issue=state.revises)
        scope_services.scope_version_publish(
            version=draft, actor=self.actor, issued_on=granted, reason=people.INITIAL_SCOPE_REASON
        )
        state.accreditation = accreditation_services.accreditation_grant(
            accreditation=state.require(), actor=self.actor, granted_on=granted, reason=people.GRANT_REASON
        )

    def _extend(self, state: _AccreditationState, rng: random.Random, count: int, day: dt.date) -> None:
        unused = state.unused()
        if not unused:
            return
        draft = scope_services.scope_draft_start(
            accreditation=state.require(), actor=self.actor, note=people.EXTENSION_NOTE
        )
        self._add_items(state, draft, sorted(rng.sample(unused, min(count, len(unused)))), first_issue=False)
        scope_services.scope_version_publish(
            version=draft, actor=self.actor, issued_on=day, reason=people.EXTENSION_REASON
        )

    def _revise(self, state: _AccreditationState, rng: random.Random, day: dt.date) -> None:
        draft = scope_services.scope_draft_start(
            accreditation=state.require(), actor=self.actor, note=people.REVISION_NOTE
        )
        for index, item in self._draft_items(draft, state).items():
            current = state.attributes(index, first_issue=False)
            if item.attributes != current:
                scope_services.scope_item_update(item=item, actor=self.actor, attributes=current)
        unused = state.unused()
        if unused:
            self._add_items(state, draft, [rng.choice(unused)], first_issue=False)
        scope_services.scope_version_publish(
            version=draft, actor=self.actor, issued_on=day, reason=people.REVISION_REASON
        )

    def _reduce(self, state: _AccreditationState, rng: random.Random, day: dt.date) -> None:
        removable = len(state.in_scope) - 2
        if removable < 1:
            return
        draft = scope_services.scope_draft_start(
            accreditation=state.require(), actor=self.actor, note=people.REDUCTION_NOTE
        )
        items = self._draft_items(draft, state)
        for index in rng.sample(sorted(state.in_scope), min(removable, rng.randint(1, 2))):
            scope_services.scope_item_remove(item=items[index], actor=self.actor)
            state.in_scope.remove(index)
        scope_services.scope_version_publish(
            version=draft, actor=self.actor, issued_on=day, reason=rng.choice(people.REDUCTION_REASONS)
        )

    def _suspend(self, state: _AccreditationState, rng: random.Random) -> None:
        accreditation_services.accreditation_suspend(
            accreditation=state.require(), actor=self.actor, reason=rng.choice(people.SUSPENSION_REASONS)
        )

    def _suspend_part(self, state: _AccreditationState, rng: random.Random) -> None:
        key_of = {index: key for key, index in state.template_of_key.items()}
        chosen = rng.sample(sorted(state.in_scope), 2 if len(state.in_scope) > 3 else 1)
        accreditation_services.accreditation_partially_suspend(
            accreditation=state.require(),
            actor=self.actor,
            reason=people.PARTIAL_SUSPENSION_REASON,
            item_keys=[key_of[index] for index in sorted(chosen)],
        )

    def _withdraw(self, state: _AccreditationState, rng: random.Random) -> None:
        accreditation_services.accreditation_withdraw(
            accreditation=state.require(), actor=self.actor, reason=rng.choice(people.WITHDRAWAL_REASONS)
        )

    def _cancel(self, state: _AccreditationState) -> None:
        accreditation_services.accreditation_cancel(
            accreditation=state.require(), actor=self.actor, reason=people.CANCELLATION_REASON
        )

    def _expire(self, state: _AccreditationState) -> None:
        accreditation_services.accreditation_expire(
            accreditation=state.require(), actor=self.actor, reason=people.EXPIRY_REASON
        )

    def run(self) -> None:
        for step in sorted(self.steps):
            step.action()


# --- users, memberships and grants ------------------------------------------------------------


def _ensure_user(spec: DemoUser) -> tuple[User, bool]:
    user = User.objects.filter(username=spec.username).first()
    created = user is None
    if user is None:
        user = User(username=spec.username, email=spec.email, full_name=spec.full_name)
        validate_password(DEMO_PASSWORD, user)
        user.set_password(DEMO_PASSWORD)
        user.save()
    elif not user.check_password(DEMO_PASSWORD):
        # Someone changed a demo password: put it back, or the printed logins would lie.
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if spec.role is not None and not user.groups.filter(name=spec.role.value).exists():
        user.groups.add(Group.objects.get(name=spec.role.value))
    if spec.role is not None and spec.role.value in REQUIRED_ROLES:
        # Their role needs a second factor: a device with the published demo key (seed_demo prints it).
        ensure_demo_device(user)
    return user, created


def _body(key: str) -> Body:
    return next(body for body in BODIES if body.key == key)


def _cab_of(key: str) -> Cab:
    return Cab.objects.get(credit_code=demo_credit_code(_body(key)))


def _ensure_member(cab: Cab, user: User, actor: User, *, is_admin: bool) -> None:
    if not CabMembership.objects.filter(cab=cab, user=user).exists():
        member_services.cab_member_add(cab=cab, user=user, actor=actor, is_admin=is_admin)


def _ensure_view_grant(cab: Cab, user: User, actor: User) -> None:
    granted = CabUserObjectPermission.objects.filter(
        user=user, content_object=cab, permission__codename="view_cab"
    ).exists()
    if not granted:
        member_services.cab_grant_view(
            cab=cab, user=user, actor=actor, reason="指派为该机构扩项评审的评审组成员，开放其登记信息查看权限。"
        )


def _accreditations_of(cab: Cab) -> str:
    """``CNAS L0009 (4 scope issues), CNAS PT0003 (2 scope issues)``."""
    parts = []
    for accreditation in Accreditation.objects.filter(cab=cab, number__isnull=False).order_by("number"):
        issues = accreditation.scope_versions.exclude(status=ScopeVersionStatus.DRAFT).count()
        parts.append(f"{accreditation.number} ({issues} scope issue{'s' if issues != 1 else ''})")
    return ", ".join(parts)


def _logins(users: dict[str, User]) -> list[Login]:
    lab, cb, assessed = _cab_of(LAB_FOR_LOGINS), _cab_of(CERTIFICATION_BODY_FOR_LOGINS), _cab_of(ASSESSED_BODY)
    suspended = (
        Accreditation.objects.filter(status=AccreditationStatus.PARTIALLY_SUSPENDED).select_related("cab").first()
    )
    try_this = {
        "secretariat": (
            "Runs the register and supervision: review applications, plan assessments and teams, decide "
            "sanctions (/sanctions/), handle complaints (/complaints/), run the daily jobs "
            "(/supervision/jobs/), read statistics and the audit trail"
            + (f"; {suspended.cab.name_zh} is partially suspended" if suspended else "")
            + "."
        ),
        "decision_maker": (
            "Decides assessed applications (/decisions/queue/; one is waiting) and reads the register, "
            "statistics and the audit trail; register edits are refused."
        ),
        "assessor": f"Sees only {assessed.name_zh} (a grant for its assessment); every other CAB is hidden.",
        "lab_admin": (
            f"Admin of {lab.name_zh}: {_accreditations_of(lab)} to compare, its contacts; may invite colleagues."
        ),
        "lab_user": f"Member of {lab.name_zh}: reads its register entry; cannot invite colleagues or edit contacts.",
        "cb_admin": (
            f"Admin of {cb.name_zh}, {_accreditations_of(cb)}: uploads certificates (/certificate-uploads/); "
            f"sees this certification body only, never {lab.name_zh}."
        ),
    }
    logins = [Login(spec.label, users[spec.key].username, DEMO_PASSWORD, try_this[spec.key]) for spec in DEMO_USERS]
    first_lab_number = (
        Accreditation.objects.filter(programme__code="CL", number__isnull=False)
        .order_by("number")
        .values_list("number", flat=True)
        .first()
    )
    logins.append(
        Login(
            "the public",
            "(no login)",
            "",
            "Public directory: search 检测 or 认证, an accreditation number"
            + (f" such as {first_lab_number}" if first_lab_number else "")
            + ", or a credit code; applicants are not listed.",
        )
    )
    return logins


@transaction.atomic
def seed_demo(*, today: dt.date | None = None) -> SeedReport:
    """Create whatever part of the demonstration register is missing and return the logins."""
    today = today or timezone.localdate()
    report = SeedReport()
    events_before = AuditEvent.objects.count()
    accreditations_before = Accreditation.objects.count()
    issues_before = ScopeVersion.objects.exclude(status=ScopeVersionStatus.DRAFT).count()

    users: dict[str, User] = {}
    for spec in DEMO_USERS:
        users[spec.key], created = _ensure_user(spec)
        report.users_created += created
    actor = users["secretariat"]

    seeder = _Seeder(actor, today)
    existing = set(
        Cab.objects.filter(credit_code__in=[demo_credit_code(b) for b in BODIES]).values_list("credit_code", flat=True)
    )
    for body in BODIES:
        if demo_credit_code(body) not in existing:
            seeder.plan_body(body)
            report.cabs_created += 1
    seeder.run()

    lab, cb = _cab_of(LAB_FOR_LOGINS), _cab_of(CERTIFICATION_BODY_FOR_LOGINS)
    _ensure_member(lab, users["lab_admin"], actor, is_admin=True)
    _ensure_member(lab, users["lab_user"], actor, is_admin=False)
    _ensure_member(cb, users["cb_admin"], actor, is_admin=True)
    _ensure_view_grant(_cab_of(ASSESSED_BODY), users["assessor"], actor)
    seed_applications(
        lab=lab,
        lab_admin=users["lab_admin"],
        lab_user=users["lab_user"],
        cb=cb,
        cb_admin=users["cb_admin"],
        secretariat=actor,
    )

    report.audit_events_written = AuditEvent.objects.count() - events_before
    report.accreditations_created = Accreditation.objects.count() - accreditations_before
    report.scope_issues_published = (
        ScopeVersion.objects.exclude(status=ScopeVersionStatus.DRAFT).count() - issues_before
    )
    report.logins = _logins(users)
    return report
