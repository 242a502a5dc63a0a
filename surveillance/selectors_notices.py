"""Reading public notices, the suspended and withdrawn bodies, and the dishonesty list: all public.

Everything here is published information: no login, no per-user filter. Notices are shown in the
reader's language (``notice_title`` / ``notice_body``, Chinese as the fallback). Lists are paged
by keyset on ``(published_at, pk)`` so that the feed of a national register stays fast however
long it grows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import get_language

from accreditation.choices import AccreditationStatus
from accreditation.models import Accreditation
from surveillance.choices import NoticeKind
from surveillance.models import DishonestyEntry, PublicNotice

NOTICE_PAGE_SIZE = 30
FEED_SIZE = 50
#: Statuses the "suspended and withdrawn" page lists.
SUSPENDED_OR_WITHDRAWN = (
    AccreditationStatus.SUSPENDED,
    AccreditationStatus.PARTIALLY_SUSPENDED,
    AccreditationStatus.WITHDRAWN,
)


def _english() -> bool:
    return (get_language() or "").startswith("en")


def notice_title(notice: PublicNotice) -> str:
    return notice.title_en if _english() and notice.title_en else notice.title_zh


def notice_body(notice: PublicNotice) -> str:
    return notice.body_en if _english() and notice.body_en else notice.body_zh


def public_notices(kind: str = "") -> QuerySet[PublicNotice]:
    notices = PublicNotice.objects.select_related("cab", "accreditation").order_by("-published_at", "-pk")
    if kind in NoticeKind.values:
        notices = notices.filter(kind=kind)
    return notices


@dataclass(frozen=True)
class NoticePage:
    notices: list[PublicNotice]
    next_cursor: str


def notice_page(kind: str = "", after: str = "", size: int | None = None) -> NoticePage:
    """One page of notices, newest first, after the notice whose id is ``after`` (unknown: from the top)."""
    size = size or NOTICE_PAGE_SIZE
    notices = public_notices(kind)
    last = (
        PublicNotice.objects.filter(pk=int(after)).values_list("published_at", "pk").first()
        if after.isdigit() and len(after) < 19
        else None
    )
    if last is not None:
        moment, pk = last
        notices = notices.filter(Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=pk))
    rows = list(notices[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return NoticePage(notices=rows, next_cursor=str(rows[-1].pk) if more and rows else "")


def suspended_or_withdrawn() -> QuerySet[Accreditation]:
    """Accreditations currently suspended (wholly or in part) or withdrawn, the latest change first."""
    return (
        Accreditation.objects.filter(status__in=SUSPENDED_OR_WITHDRAWN)
        .select_related("cab", "programme")
        .order_by("-status_changed_at", "-pk")
    )


def current_dishonesty_entries() -> QuerySet[DishonestyEntry]:
    """The dishonesty list as published: entries not removed by credit repair, the latest first."""
    return DishonestyEntry.objects.filter(removed_on__isnull=True).select_related("cab").order_by("-listed_on", "-pk")


def all_dishonesty_entries() -> QuerySet[DishonestyEntry]:
    """Every entry, removed ones included (the secretariat's management page)."""
    return DishonestyEntry.objects.select_related("cab", "listed_by", "removed_by").order_by(
        "removed_on", "-listed_on", "-pk"
    )
