"""What a decision on an application needs to know about its assessments.

Registered with ``accreditation.hooks.provide_assessment_facts`` in ``AssessorsConfig.ready``;
the register's decision service asks it who may not decide (everyone ever named on a team of
the application, in any status: the independence rule errs on the safe side) and whether the
application is ready (every assessment completed, and at least one unless it is a change
notification, which the secretariat may settle on the documents alone).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from accreditation.choices_applications import ApplicationType
from accreditation.hooks import AssessmentFacts
from accreditation.models import Application
from assessors.choices import AssessmentStatus, FindingKind, FindingStatus, ReportStatus
from assessors.models_reports import AssessmentReport, Finding, ItemRecommendation
from assessors.models_teams import Assessment, TeamMember

#: Application types a decision maker may decide without an assessment (the documents suffice).
DOCUMENTS_SUFFICE = frozenset({ApplicationType.CHANGE, ApplicationType.REDUCTION})


class AssessorsFactsProvider:
    def facts(self, application: Application) -> AssessmentFacts:
        assessments = list(Assessment.objects.filter(application=application).order_by("planned_start", "pk"))
        participant_ids = frozenset(
            TeamMember.objects.filter(assessment__application=application).values_list("user_id", flat=True)
        )
        blockers: list[str] = []
        if not assessments and application.type not in DOCUMENTS_SUFFICE:
            blockers.append(_("No assessment has been planned for this application."))
        for assessment in assessments:
            if assessment.status != AssessmentStatus.COMPLETED:
                blockers.append(
                    _("{assessment} is not completed: {status}.").format(
                        assessment=assessment.get_kind_display(), status=assessment.get_status_display()
                    )
                )
        recommendations: dict[int, str] = {}
        latest = (
            AssessmentReport.objects.filter(assessment__application=application, status=ReportStatus.SUBMITTED)
            .order_by("assessment__planned_start", "assessment_id")
            .values_list("pk", flat=True)
        )
        for item_id, label in (
            (row.item_id, row.get_recommendation_display())
            for row in ItemRecommendation.objects.filter(report_id__in=list(latest)).order_by(
                "report__assessment__planned_start", "report__assessment_id"
            )
        ):
            recommendations[item_id] = str(label)
        nonconformities = Finding.objects.filter(
            assessment__application=application, kind=FindingKind.NONCONFORMITY
        ).values_list("status", flat=True)
        statuses = list(nonconformities)
        summary = {
            "nonconformities": len(statuses),
            "closed": statuses.count(FindingStatus.CLOSED),
            "lapsed": statuses.count(FindingStatus.LAPSED),
            "unresolved": sum(1 for s in statuses if s in (FindingStatus.OPEN, FindingStatus.ANSWERED)),
            "observations": Finding.objects.filter(
                assessment__application=application, kind=FindingKind.OBSERVATION
            ).count(),
        }
        return AssessmentFacts(
            participant_ids=participant_ids,
            ready=not blockers,
            blockers=tuple(blockers),
            recommendations=recommendations,
            findings_summary=summary,
        )

    def ready_q(self) -> Q:
        of_application = Assessment.objects.filter(application=OuterRef("pk"))
        unfinished = of_application.exclude(status=AssessmentStatus.COMPLETED)
        return Q(~Exists(unfinished)) & (Q(Exists(of_application)) | Q(type__in=sorted(DOCUMENTS_SUFFICE)))

    def participated_q(self, user_id: int) -> Q:
        return Q(Exists(TeamMember.objects.filter(assessment__application=OuterRef("pk"), user_id=user_id)))
