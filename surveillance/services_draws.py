"""The double-random draw (双随机) of special supervision: run it, reproduce it, publish it.

A draw picks ``body_count`` bodies among the CABs holding an accreditation (under one programme
if chosen): ``100 - random_share`` percent of them weighted by risk band (``BAND_WEIGHTS``), the
rest uniformly among those not yet drawn. For each body drawn it then picks
``inspectors_per_body`` inspectors uniformly among the eligible assessors: qualified as lead
assessor or assessor under the body's programme (``assessors.selectors.qualified_assessors``),
with no conflict of interest with the body (``conflicted_assessor_ids``) and not unavailable in
the next ``INSPECTION_WINDOW_DAYS`` days (``available``) — the same checks the team proposal
makes.

Reproducibility: the seed comes from ``secrets`` and is recorded with every input the draw read
(the candidates in id order with their scores and bands, the weights, the eligible inspectors of
each body drawn). ``compute_draw`` is a pure function of those inputs and the seed;
``draw_reproduce`` runs it again on the stored inputs, and must give the stored result.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.models import Accreditation, Cab, Programme
from accreditation.services.guards import require_transition
from assessors.choices import QualificationRole
from assessors.selectors import available, conflicted_assessor_ids, qualified_assessors
from core.audit import audit_record
from core.errors import DomainError, NotPermitted
from core.models import User
from core.roles import is_secretariat
from surveillance.choices import DRAW_TRANSITIONS, DrawStatus, RiskBand
from surveillance.models import DrawnBody, SupervisionDraw
from surveillance.risk import HIGH_FROM, MEDIUM_FROM, POINTS, risk_table
from surveillance.selectors_statistics import HOLDING_STATUSES

#: How much more likely a body of each band is drawn in the weighted share.
BAND_WEIGHTS: dict[str, int] = {RiskBand.HIGH: 3, RiskBand.MEDIUM: 2, RiskBand.LOW: 1}
#: Inspectors are drawn among assessors free over this many days from the draw.
INSPECTION_WINDOW_DAYS = 30
#: The qualifications that let an assessor inspect (a trainee or a technical expert alone does not).
INSPECTOR_ROLES = (QualificationRole.LEAD_ASSESSOR, QualificationRole.ASSESSOR)
MAX_BODIES = 200

EligibleFor = Callable[[int], Sequence[int]]


def compute_draw(inputs: Mapping[str, Any], seed: int, eligible_for: EligibleFor) -> list[dict[str, Any]]:
    """The draw as a pure function: bodies, then inspectors per body, from one ``random.Random(seed)``.

    ``eligible_for(cab_id)`` gives the sorted user ids eligible to inspect the body; when running a
    draw it queries (and records) them, when reproducing it reads the recorded lists.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible on purpose; the seed itself comes from secrets
    candidates = sorted(inputs["candidates"], key=lambda c: c["cab"])
    weights = inputs["weights"]
    count = min(int(inputs["body_count"]), len(candidates))
    random_count = round(count * int(inputs["random_share"]) / 100)
    weighted_count = count - random_count
    pool = list(candidates)
    drawn: list[tuple[dict[str, Any], str]] = []
    for _i in range(weighted_count):
        chosen = rng.choices(range(len(pool)), weights=[weights[c["band"]] for c in pool])[0]
        drawn.append((pool.pop(chosen), "weighted"))
    for candidate in rng.sample(pool, random_count):
        drawn.append((candidate, "random"))
    per_body = int(inputs["inspectors_per_body"])
    result = []
    for candidate, how in drawn:
        eligible = sorted(eligible_for(candidate["cab"]))
        inspectors = sorted(rng.sample(eligible, min(per_body, len(eligible))))
        result.append({"cab": candidate["cab"], "how": how, "inspectors": inspectors})
    return result


def eligible_inspectors(*, cab_id: int, programme_ids: Sequence[int], on_date: dt.date) -> list[int]:
    """User ids of assessors qualified under one of ``programme_ids``, conflict-free and available."""
    cab = Cab.objects.get(pk=cab_id)
    profile_users: dict[int, int] = {}
    for programme in Programme.objects.filter(pk__in=programme_ids):
        for role in INSPECTOR_ROLES:
            rows = qualified_assessors(programme=programme, role=role, on_date=on_date).filter(user__is_active=True)
            profile_users.update(rows.values_list("pk", "user_id"))
    conflicted = conflicted_assessor_ids(cab=cab, on_date=on_date)
    free = available(
        assessor_ids=set(profile_users) - set(conflicted),
        start=on_date,
        end=on_date + dt.timedelta(days=INSPECTION_WINDOW_DAYS),
    )
    return sorted(profile_users[pk] for pk in free)


@transaction.atomic
def draw_run(
    *,
    actor: User,
    body_count: int,
    random_share: int,
    programme: Programme | None = None,
    inspectors_per_body: int = 2,
    seed: int | None = None,
) -> SupervisionDraw:
    """Run a draw (a draft until published), recording its seed, its inputs and its result."""
    if not is_secretariat(actor):
        raise NotPermitted("not_secretariat", _("Only the secretariat runs a supervision draw."))
    if not 1 <= body_count <= MAX_BODIES:
        raise DomainError(
            "bad_body_count", _("Draw between 1 and {max} bodies.").format(max=MAX_BODIES), detail={"body_count": []}
        )
    if not 0 <= random_share <= 100:
        raise DomainError("bad_random_share", _("The random share is a percentage (0 to 100)."))
    if not 1 <= inspectors_per_body <= 10:
        raise DomainError("bad_inspector_count", _("Draw between 1 and 10 inspectors per body."))
    today = timezone.localdate()
    table = risk_table(programme=programme, today=today)
    if not table:
        raise DomainError("no_candidates", _("No body holds an accreditation to draw from."))
    held = Accreditation.objects.filter(status__in=sorted(HOLDING_STATUSES), cab_id__in=[r.cab_id for r in table])
    if programme is not None:
        held = held.filter(programme=programme)
    programmes: dict[int, set[int]] = {}
    for cab_id, programme_id in held.values_list("cab_id", "programme_id"):
        programmes.setdefault(cab_id, set()).add(programme_id)
    seed = secrets.randbits(63) if seed is None else seed
    inputs: dict[str, Any] = {
        "on_date": str(today),
        "body_count": body_count,
        "random_share": random_share,
        "inspectors_per_body": inspectors_per_body,
        "programme": programme.code if programme else None,
        "weights": dict(BAND_WEIGHTS),
        "bands": {"high_from": HIGH_FROM, "medium_from": MEDIUM_FROM, "points": POINTS},
        "candidates": [
            {"cab": r.cab_id, "name": r.name, "score": r.score, "band": r.band}
            for r in sorted(table, key=lambda r: r.cab_id)
        ],
        "eligible": {},
    }

    def eligible_for(cab_id: int) -> list[int]:
        ids = eligible_inspectors(cab_id=cab_id, programme_ids=sorted(programmes[cab_id]), on_date=today)
        inputs["eligible"][str(cab_id)] = ids
        return ids

    result = compute_draw(inputs, seed, eligible_for)
    draw = SupervisionDraw.objects.create(
        reference=uuid.uuid4().hex[:20],
        run_by=actor,
        seed=seed,
        body_count=body_count,
        random_share=random_share,
        inspectors_per_body=inspectors_per_body,
        programme=programme,
        inputs=inputs,
        result=result,
    )
    draw.reference = f"SD-{today.year}-{draw.pk:06d}"
    draw.save(update_fields=["reference"])
    by_cab = {c["cab"]: c for c in inputs["candidates"]}
    for position, row in enumerate(result, start=1):
        body = DrawnBody.objects.create(
            draw=draw,
            position=position,
            cab_id=row["cab"],
            how=row["how"],
            risk_score=by_cab[row["cab"]]["score"],
            risk_band=by_cab[row["cab"]]["band"],
        )
        body.inspectors.set(row["inspectors"])
    audit_record(
        instance=draw,
        event_type="supervision_draw.run",
        actor=actor,
        new_values={"reference": draw.reference, "seed": seed, "result": result},
    )
    return draw


def draw_reproduce(draw: SupervisionDraw) -> list[dict[str, Any]]:
    """The result recomputed from the draw's recorded inputs and seed (it equals ``draw.result``)."""
    eligible = draw.inputs["eligible"]
    return compute_draw(draw.inputs, draw.seed, lambda cab_id: eligible.get(str(cab_id), []))


@transaction.atomic
def draw_publish(*, draw: SupervisionDraw, actor: User) -> SupervisionDraw:
    if not is_secretariat(actor):
        raise NotPermitted("not_secretariat", _("Only the secretariat publishes a supervision draw."))
    draw = SupervisionDraw.objects.select_for_update().get(pk=draw.pk)
    require_transition(DRAW_TRANSITIONS, draw.status, DrawStatus.PUBLISHED, DrawStatus)
    draw.status = DrawStatus.PUBLISHED
    draw.published_by = actor
    draw.published_at = timezone.now()
    draw.save(update_fields=["status", "published_by", "published_at"])
    audit_record(
        instance=draw,
        event_type="supervision_draw.published",
        actor=actor,
        old_values={"status": DrawStatus.DRAFT},
        new_values={"status": draw.status},
    )
    return draw


@transaction.atomic
def drawn_body_record_outcome(*, body: DrawnBody, actor: User, outcome: str) -> DrawnBody:
    """After the inspection, the secretariat records its outcome (published with the draw)."""
    if not is_secretariat(actor):
        raise NotPermitted("not_secretariat", _("Only the secretariat records an inspection outcome."))
    outcome = outcome.strip()
    if not outcome:
        raise DomainError("outcome_required", _("Give the outcome of the inspection."), detail={"outcome": []})
    body = DrawnBody.objects.select_for_update().get(pk=body.pk)
    old = body.outcome
    body.outcome = outcome
    body.save(update_fields=["outcome"])
    audit_record(
        instance=body,
        event_type="supervision_draw.outcome_recorded",
        actor=actor,
        old_values={"outcome": old},
        new_values={"outcome": outcome},
        cab_id=body.cab_id,
    )
    return body
