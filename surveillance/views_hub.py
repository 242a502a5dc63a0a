"""The supervision hub: one page that leads the accreditation body's staff to each supervision tool."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from surveillance.selectors_statistics import may_read_statistics


@dataclass(frozen=True)
class Tool:
    title: Promise
    text: Promise
    url_name: str


TOOLS = [
    Tool(
        _("Cycle planning"),
        _("Surveillance due and overdue per accreditation, and the assessments the planner opened."),
        "surveillance:cycle",
    ),
    Tool(
        _("Complaints"),
        _("Acknowledge, investigate and resolve complaints; open a special assessment."),
        "surveillance:complaint_list",
    ),
    Tool(_("Appeals"), _("Appeals against decisions and their panels."), "surveillance:appeal_list"),
    Tool(
        _("Sanctions"),
        _("Warnings, suspensions, reductions and withdrawals; withdrawal proposals."),
        "surveillance:sanction_overview",
    ),
    Tool(
        _("Double-random draws"),
        _("Draw bodies by risk band and at random, with their inspectors (双随机); publish the results."),
        "surveillance:draw_list",
    ),
    Tool(
        _("Risk table"),
        _("Every body's risk score and band, with the reason for each point."),
        "surveillance:risk_table",
    ),
    Tool(
        _("Daily jobs"),
        _("The nightly planner, expiry sweep and watchdogs: each run, what it changed, its errors."),
        "surveillance:job_list",
    ),
    Tool(
        _("Statistics"),
        _("Bodies, sanctions, complaints, surveillance and uploads, as charts and exports."),
        "surveillance:statistics",
    ),
    Tool(
        _("Public notices"),
        _("What the public sees: notices, feeds and the dishonesty list."),
        "surveillance:notice_list",
    ),
]


class SupervisionHubView(LoginRequiredMixin, UserPassesTestMixin, TemplateView):
    """For the secretariat and decision makers, who may open every tool listed (each checks for itself)."""

    template_name = "surveillance/hub.html"
    request: HttpRequest

    def test_func(self) -> bool:
        return may_read_statistics(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(tools=[(tool, reverse(tool.url_name)) for tool in TOOLS], **kwargs)
