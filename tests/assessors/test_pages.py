"""The assessors' pages: my profile, the secretariat's list and filters, an assessor's page, the approvals queue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accreditation.models import Cab
from assessors.choices import CompetenceStatus, QualificationStatus
from assessors.models import AssessorProfile, ConflictOfInterest, Qualification
from core.models import User
from tests.assessors.factories import (
    D,
    assessor_user,
    code,
    competence,
    nothing_changes,
    profile_for,
    qualification,
    unavailable,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin(assessor: User) -> AssessorProfile:
    return profile_for(assessor, employer="中国计量科学研究院", region="11")


def test_an_assessors_first_visit_to_my_profile_opens_it(client_for, assessor: User) -> None:
    response = client_for(assessor).get(reverse("assessors:my_profile"))
    assert response.status_code == 200
    assert response.context["profile"] == AssessorProfile.objects.get(user=assessor)
    assert response.context["can_change"] is True
    assert "My assessor profile" in response.content.decode()


def test_my_profile_shows_the_record_in_chinese(client_for, erin: AssessorProfile, secretariat: User) -> None:
    qualification(erin, approved_by=secretariat)
    page = client_for(erin.user, language="zh-hans").get(reverse("assessors:my_profile")).content.decode()
    assert "中国计量科学研究院" in page
    assert 'lang="zh-hans"' in page


def test_staff_are_sent_from_my_profile_to_the_assessor_list(client_for, secretariat: User) -> None:
    response = client_for(secretariat).get(reverse("assessors:my_profile"))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessors:assessor_list")


def test_an_assessor_edits_their_profile(client_for, erin: AssessorProfile) -> None:
    response = client_for(erin.user).post(
        reverse("assessors:profile_edit", args=[erin.pk]),
        {"region": "44", "languages": "中文, English", "employer": "广东省计量院", "phone": "", "cv": "十年经验"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("assessors:my_profile")
    erin.refresh_from_db()
    assert (erin.region, erin.employer, erin.cv) == ("44", "广东省计量院", "十年经验")


def test_an_assessor_requests_a_qualification_from_their_page(client_for, erin: AssessorProfile) -> None:
    response = client_for(erin.user).post(
        reverse("assessors:qualification_request", args=[erin.pk]),
        {"programme": "MS", "role": "assessor", "valid_from": "2026-01-01", "valid_until": ""},
    )
    assert response.status_code == 302
    requested = Qualification.objects.get(assessor=erin)
    assert (requested.programme.code, requested.status, requested.valid_until) == ("MS", "requested", None)


def test_a_refused_move_shows_the_services_message_and_changes_nothing(client_for, erin: AssessorProfile) -> None:
    unavailable(erin, D(2026, 7, 1), D(2026, 7, 10))
    with nothing_changes():
        response = client_for(erin.user).post(
            reverse("assessors:unavailability_add", args=[erin.pk]), {"start": "2026-07-05", "end": "2026-07-20"}
        )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This period overlaps another unavailable period (2026-07-01 to 2026-07-10)."
    ]


def test_an_assessor_declares_and_ends_a_conflict(client_for, erin: AssessorProfile, cab: Cab) -> None:
    client = client_for(erin.user)
    client.post(
        reverse("assessors:conflict_declare", args=[erin.pk]),
        {"cab": cab.pk, "kind": "consultancy", "started_on": "2022-01-01", "ended_on": "", "note": "曾为其提供咨询"},
    )
    declared = ConflictOfInterest.objects.get(assessor=erin)
    assert (declared.cab, declared.kind, declared.note) == (cab, "consultancy", "曾为其提供咨询")
    client.post(reverse("assessors:conflict_end", args=[declared.pk]), {"ended_on": "2024-12-31"})
    declared.refresh_from_db()
    assert declared.ended_on == D(2024, 12, 31)


def test_another_assessors_page_is_not_there_for_an_assessor(client_for, erin: AssessorProfile) -> None:
    frank = profile_for(assessor_user("frank"))
    assert client_for(erin.user).get(reverse("assessors:assessor_detail", args=[frank.pk])).status_code == 404


def test_the_secretariat_filters_assessors_by_programme_role_code_region_and_text(
    client_for, erin: AssessorProfile, secretariat: User
) -> None:
    frank = profile_for(assessor_user("frank", "李秀英"), region="31", employer="上海质检院")
    qualification(erin, programme_code="MS", role="lead_assessor", approved_by=secretariat)
    competence(erin, code("MS", "IAF 28"), approved_by=secretariat)
    qualification(frank, programme_code="CL", role="assessor", approved_by=secretariat)
    competence(frank, code("MS", "IAF 28"))  # only requested
    client = client_for(secretariat)
    url = reverse("assessors:assessor_list")

    def listed(**query: str) -> list[AssessorProfile]:
        return list(client.get(url, query).context["assessors"])

    assert listed() == [erin, frank]
    assert listed(programme="MS") == [erin]
    assert listed(role="assessor") == [frank]
    assert listed(programme="CL", role="lead_assessor") == []
    assert listed(programme="CL", role="assessor") == [frank]
    assert listed(code="IAF 28") == [erin]
    assert listed(region="31") == [frank]
    assert listed(q="上海") == [frank]
    assert listed(q="李秀英") == [frank]


def test_the_approvals_queue_lists_pending_requests_and_the_secretariat_decides(
    client_for, erin: AssessorProfile, secretariat: User
) -> None:
    pending = qualification(erin, programme_code="IB")
    asked = competence(erin, code("IB", "IB-01"))
    client = client_for(secretariat)
    queue = client.get(reverse("assessors:approval_queue"))
    assert list(queue.context["qualifications"]) == [pending]
    assert list(queue.context["competences"]) == [asked]

    form = client.get(reverse("assessors:qualification_decide", args=[pending.pk])).context["form"]
    assert [value for value, _label in form.fields["status"].choices] == ["approved", "rejected"]
    response = client.post(
        reverse("assessors:qualification_decide", args=[pending.pk]), {"status": "approved", "reason": ""}
    )
    assert response["Location"] == reverse("assessors:assessor_detail", args=[erin.pk])
    client.post(reverse("assessors:competence_decide", args=[asked.pk]), {"status": "rejected", "reason": "缺少经历"})
    pending.refresh_from_db()
    asked.refresh_from_db()
    assert (pending.status, asked.status, asked.reason) == (
        QualificationStatus.APPROVED,
        CompetenceStatus.REJECTED,
        "缺少经历",
    )


def test_a_rejection_without_a_reason_is_shown_on_the_form(
    client_for, erin: AssessorProfile, secretariat: User
) -> None:
    pending = qualification(erin)
    with nothing_changes():
        response = client_for(secretariat).post(
            reverse("assessors:qualification_decide", args=[pending.pk]), {"status": "rejected", "reason": ""}
        )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Give a reason: it is kept in the audit trail."]


def test_the_secretariat_opens_a_profile_for_an_assessor_without_one(client_for, secretariat: User) -> None:
    grace = assessor_user("grace", "王建华")
    response = client_for(secretariat).post(reverse("assessors:profile_create"), {"user": grace.pk})
    profile = AssessorProfile.objects.get(user=grace)
    assert response["Location"] == reverse("assessors:assessor_detail", args=[profile.pk])


def test_a_decision_maker_reads_an_assessors_page_without_any_action(
    client_for, erin: AssessorProfile, decision_maker: User
) -> None:
    response = client_for(decision_maker).get(reverse("assessors:assessor_detail", args=[erin.pk]))
    assert (response.context["can_change"], response.context["can_decide"]) == (False, False)
    assert reverse("assessors:profile_edit", args=[erin.pk]) not in response.content.decode()


def test_the_menu_links_assessors_to_their_profile_and_staff_to_the_list(
    client_for, assessor: User, secretariat: User
) -> None:
    assert reverse("assessors:my_profile") in client_for(assessor).get("/", follow=True).content.decode()
    assert reverse("assessors:assessor_list") in client_for(secretariat).get("/", follow=True).content.decode()
