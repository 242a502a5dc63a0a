"""Feeds of the public notices: Atom (Django's syndication framework) and JSON Feed 1.1.

Both list the latest ``FEED_SIZE`` notices in the reader's language (the request's, as the
pages; ``?kind=`` narrows them to one kind). Texts are plain text: the Atom writer escapes them as
XML, the JSON writer as JSON, so a notice can never inject markup into a reader.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, SyndicationFeed, rfc3339_date
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from surveillance.choices import NoticeKind
from surveillance.models import PublicNotice
from surveillance.selectors_notices import FEED_SIZE, notice_body, notice_title, public_notices


class JsonFeed11(SyndicationFeed):
    """JSON Feed version 1.1 (https://jsonfeed.org/version/1.1)."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile: Any, encoding: str) -> None:
        feed = self.feed
        document: dict[str, Any] = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": str(feed["title"]),
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": str(feed["description"] or ""),
            "language": feed["language"],
            "items": [
                {
                    "id": item["unique_id"] or item["link"],
                    "url": item["link"],
                    "title": str(item["title"]),
                    "content_text": str(item["description"] or ""),
                    "date_published": rfc3339_date(item["pubdate"]) if item["pubdate"] else None,
                    "tags": list(item["categories"] or []),
                }
                for item in self.items
            ],
        }
        outfile.write(json.dumps(document, ensure_ascii=False, indent=1))


class NoticeFeed(Feed):
    feed_type = Atom1Feed
    title = _("Accreditation public notices")
    subtitle = _(
        "Grants, suspensions, restorations, withdrawals and scope reductions, statements and the dishonesty list."
    )
    description = subtitle

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        kind = request.GET.get("kind", "")
        return kind if kind in NoticeKind.values else ""

    def link(self, obj: str) -> str:
        return reverse("surveillance:notice_list")

    def get_feed(self, obj: str, request: HttpRequest) -> SyndicationFeed:
        feed = super().get_feed(obj, request)
        feed.feed["language"] = get_language() or "zh-hans"
        return feed

    def items(self, obj: str) -> list[PublicNotice]:
        return list(public_notices(obj)[:FEED_SIZE])

    def item_title(self, item: PublicNotice) -> str:
        return notice_title(item)

    def item_description(self, item: PublicNotice) -> str:
        return notice_body(item)

    def item_link(self, item: PublicNotice) -> str:
        return reverse("surveillance:notice_detail", args=[item.pk])

    def item_pubdate(self, item: PublicNotice) -> Any:
        return item.published_at

    def item_updateddate(self, item: PublicNotice) -> Any:
        return item.published_at

    def item_categories(self, item: PublicNotice) -> list[str]:
        return [item.kind]


class NoticeJsonFeed(NoticeFeed):
    feed_type = JsonFeed11  # type: ignore[assignment]
