"""What the journeys need in the served portal's database, done through the portal's own code.

The browser journeys run in the pytest process, whose Django points at the suite's test database;
the served portal has a database of its own. So whatever a journey needs from that database runs
here, in a subprocess started with the served portal's environment
(``python -m tests.journeys.prepare <step> [arguments]``), and prints its facts as one JSON object
on the last line of its output:

- ``seed``: migrate, then load the demonstration data with the commands ``make demo`` runs (read
  from the Makefile, so a command added there is run here too).
- ``remote_assessment``: the steps before the assessor's remote report, done as the services do
  them for the demo laboratory (an extension submitted and accepted, a remote assessment planned
  with the demo ``assessor`` leading it, the team confirmed), so that journey starts where the
  assessor's own work does.
- ``certificate_csv <path> <rows>``: a CSV (GB18030) of certificates of ``cb-admin``'s body, most
  within its accredited scope, every 12th outside it, every 1,000th with an impossible issue date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import os
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
ROOT = Path(__file__).resolve().parents[2]

#: The lab's item the remote assessment covers: not in its scope, nor in any demo application.
REMOTE_ITEM = {"field": "食品", "subject": "食用植物油", "parameter": "酸价", "method": "GB 5009.229-2016"}
#: Every BAD_EVERY-th certificate of the upload has an impossible issue date.
BAD_EVERY = 1000
#: Every OUTSIDE_EVERY-th certificate is for a standard and sector outside the body's accredited
#: scope, as the demo's own (certification/demo.py): applied, and shown as not accredited.
OUTSIDE_EVERY = 12
OUTSIDE_SCOPE = ("ISO 50001:2018", "IAF 19")


def demo_commands() -> list[str]:
    """The management commands ``make demo`` runs, in its order, read from the Makefile."""
    recipe: list[str] = []
    lines = iter((ROOT / "Makefile").read_text(encoding="utf-8").splitlines())
    for line in lines:
        if line.startswith("demo:"):
            recipe = list(itertools.takewhile(lambda line: line.startswith("\t"), lines))
            break
    commands = [match.group(1) for line in recipe if (match := re.search(r"manage\.py (\w+)", line))]
    if not commands:
        raise RuntimeError("the Makefile's demo target runs no manage.py command")
    return commands


def seed() -> dict[str, Any]:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    commands = demo_commands()
    for command in commands:
        call_command(command)
    return {"commands": commands}


def remote_assessment() -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.utils import timezone

    from accreditation.choices import AccreditationStatus
    from accreditation.choices_applications import REQUIRED_DOCUMENTS, ApplicationType, checklist_for
    from accreditation.demo.applications import DEMO_PDF
    from accreditation.models import Accreditation, CabMembership
    from accreditation.services import applications as applications
    from assessors import services_teams
    from assessors.choices import AssessmentKind, TeamRole
    from core.models import User

    lab_admin = User.objects.get(username="lab-admin")
    secretariat = User.objects.get(username="secretariat")
    lead = User.objects.get(username="assessor")
    lab = CabMembership.objects.get(user=lab_admin, is_admin=True).cab
    accreditation = Accreditation.objects.filter(cab=lab, status=AccreditationStatus.ACCREDITED).order_by("pk")[0]
    start = timezone.localdate() + dt.timedelta(days=10)
    with transaction.atomic():
        application = applications.application_create(
            cab=lab,
            programme=accreditation.programme,
            type=ApplicationType.EXTENSION,
            actor=lab_admin,
            note="扩项：食用植物油酸价",
        )
        applications.application_add_item(application=application, actor=lab_admin, attributes=REMOTE_ITEM)
        for kind in REQUIRED_DOCUMENTS[ApplicationType.EXTENSION]:
            applications.application_attach_document(
                application=application,
                actor=lab_admin,
                kind=kind,
                upload=SimpleUploadedFile(f"{kind}.pdf", DEMO_PDF, content_type="application/pdf"),
            )
        applications.application_submit(application=application, actor=lab_admin)
        applications.application_accept(
            application=application,
            actor=secretariat,
            checklist=[key for key, _question in checklist_for(ApplicationType.EXTENSION)],
        )
        assessment = services_teams.assessment_create(
            application=application,
            actor=secretariat,
            kind=AssessmentKind.REMOTE,
            planned_start=start,
            planned_end=start + dt.timedelta(days=1),
            sites="总部",
        )
        services_teams.team_member_add(assessment=assessment, actor=secretariat, user=lead, role=TeamRole.LEAD_ASSESSOR)
        services_teams.team_confirm(assessment=assessment, actor=secretariat)
    return {
        "assessment": assessment.pk,
        "reference": application.reference,
        "planned_start": start.isoformat(),
        "cab": lab.name_zh,
    }


def upload_row(
    n: int,
    rng: random.Random,
    *,
    number: str,
    name: str,
    trade: str,
    standard: str,
    sector: str,
    issue: str,
    credit_prefix: str = "913205",
) -> list[str]:
    """Row ``n`` of a journey's upload, in the template's column order (a valid credit code drawn from ``rng``)."""
    from accreditation.validators import credit_code_check_character
    from certification.demo import SCOPES
    from certification.rows import FIELDS

    first17 = f"{credit_prefix}{n:06d}" + "".join(rng.choice("0123456789ABCDEFGH") for _ in range(5))
    values = {
        "certification_identity_number": f"JOURNEY-{n:06d}",
        "certificate_number": number,
        "certification_status": "有效",
        "certification_type": "管理体系",
        "standards": standard,
        "technical_sectors": sector,
        "certification_scope": SCOPES[trade],
        "original_issue_date": "",
        "issue_date": issue,
        "expiry_date": f"2028{issue[4:]}",
        "certified_entity_unique_id": f"JOURNEY-C{n:06d}",
        "certified_entity_name": name,
        "certified_entity_english_name": "",
        "certified_entity_trading_name": "",
        "certified_entity_credit_code": first17 + credit_code_check_character(first17),
        "street": f"工业园区{n % 500 + 1}号",
        "city": name[:2],
        "province": "",
        "postcode": "",
        "country": "CN",
    }
    return [values[field] for field in FIELDS]


def certificate_csv(path: str, rows: str) -> dict[str, Any]:
    """Write the upload to ``path``; return the rows (as the spreadsheet numbers them) that are bad."""
    from accreditation.models import Accreditation, CabMembership
    from certification.demo import PLACES, TRADES, WORDS, scope_pairs
    from certification.rows import FIELDS

    cb = CabMembership.objects.get(user__username="cb-admin", is_admin=True).cab
    pairs = scope_pairs(Accreditation.objects.get(cab=cb, programme__code="MS"))
    rng = random.Random(6)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    bad_rows: list[int] = []
    outside: list[str] = []
    # None of the names has 科技 in it: the lookup journey searches it among the demo's certificates.
    trades = [trade for trade in TRADES if "科技" not in trade]
    for n in range(1, int(rows) + 1):
        trade = rng.choice(trades)
        name = f"{rng.choice(PLACES)}{rng.choice(WORDS)}{trade}有限公司"
        standard, sector = pairs[n % len(pairs)][0], pairs[n % len(pairs)][1][0]
        number = f"JY{n:06d}Q26R0M"
        if n % OUTSIDE_EVERY == 0:
            standard, sector = OUTSIDE_SCOPE
            outside.append(number)
        issue = f"2025-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}"
        if n % BAD_EVERY == 0:
            issue = "2025-02-30"
            bad_rows.append(n + 1)  # the header is row 1
        writer.writerow(
            upload_row(n, rng, number=number, name=name, trade=trade, standard=standard, sector=sector, issue=issue)
        )
    # As Excel saves a CSV on a Chinese Windows.
    Path(path).write_bytes(buffer.getvalue().encode("gb18030"))
    return {"rows": int(rows), "bad_rows": bad_rows, "outside_scope": outside[0]}


STEPS: dict[str, Callable[..., dict[str, Any]]] = {
    "seed": seed,
    "remote_assessment": remote_assessment,
    "certificate_csv": certificate_csv,
}


def main(argv: list[str]) -> None:
    import django

    django.setup()
    step, *arguments = argv
    facts = STEPS[step](*arguments)
    print(json.dumps(facts, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
