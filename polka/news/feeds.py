"""RSS 2.0 and Atom feeds of the network's news and of each branch's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from polka.news.models import NewsItem
from polka.news.selectors import news_published
from polka.org.models import Branch, Network


class NewsFeed(Feed):  # type: ignore[type-arg]
    def get_object(self, request: HttpRequest, code: str | None = None) -> Branch | None:
        return get_object_or_404(Branch, code=code) if code else None

    def title(self, obj: Branch | None) -> str:
        network = Network.objects.first()
        name = obj.name if obj else (network.name if network else "Polka")
        return _("Новости: %(name)s") % {"name": name}

    def link(self, obj: Branch | None) -> str:
        return reverse("news:branch", args=[obj.code]) if obj else reverse("news:list")

    def description(self, obj: Branch | None) -> str:
        return _("Новости библиотек")

    def items(self, obj: Branch | None) -> Any:
        return news_published(branch=obj)[:30]

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return item.lead

    def item_link(self, item: NewsItem) -> str:
        return reverse("news:detail", args=[item.pk])

    def item_pubdate(self, item: NewsItem) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: NewsItem) -> dt.datetime:
        return item.updated_at

    def item_author_name(self, item: NewsItem) -> str:
        return item.author_line

    def item_categories(self, item: NewsItem) -> list[str]:
        return [t.name for t in item.tags.all()]


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Branch | None) -> str:
        return self.description(obj)
