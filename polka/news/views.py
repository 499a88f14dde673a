"""News pages: the list (network, branch, tag), an item with its comments, feeds, and the
editors' pages (items, photos, preview, the moderation queue)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from polka.catalog.models import Record
from polka.core.antispam import client_ip
from polka.core.publicforms import RateLimit, Screen, screen
from polka.core.staff import staff_required
from polka.events.models import Event
from polka.news import selectors, services
from polka.news.errors import NewsError
from polka.news.forms import CommentForm, GuestCommentForm, NewsForm, PhotoForm, ReplyForm
from polka.news.models import Comment, NewsItem, Tag
from polka.org.models import Branch
from polka.org.policies import staff_branches

COMMENT = RateLimit(
    "news.comment",
    5,
    dt.timedelta(minutes=10),
    gettext_lazy("Слишком много комментариев подряд. Попробуйте позже."),
)


def news_list(
    request: HttpRequest, code: str | None = None, tag: str | None = None
) -> HttpResponse:
    branch = get_object_or_404(Branch, code=code) if code else None
    items = selectors.news_published(branch=branch)
    chosen_tag = get_object_or_404(Tag, slug=tag) if tag else None
    if chosen_tag is not None:
        items = items.filter(tags=chosen_tag)
    page = Paginator(items, 10).get_page(request.GET.get("page"))
    context = {"page": page, "branch": branch, "tag": chosen_tag}
    return render(request, "news/list.html", context)


def _item_page(
    request: HttpRequest, item: NewsItem, form: Any, status: int = 200, preview: bool = False
) -> HttpResponse:
    photo = item.photos.first()
    context = {
        "item": item,
        "comments": selectors.comments_shown(item=item),
        "form": form,
        "preview": preview,
        "absolute_url": request.build_absolute_uri(),
        "og_image": request.build_absolute_uri(photo.image.url) if photo else "",
        "records": item.records.all(),
        "events": item.events.select_related("branch"),
    }
    return render(request, "news/detail.html", context, status=status)


def _comment_form(request: HttpRequest, data: Any = None) -> CommentForm:
    if request.user.is_authenticated:
        return CommentForm(data)
    return GuestCommentForm(data)


def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.news_published(), pk=pk)
    return _item_page(request, item, _comment_form(request))


@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.news_published(), pk=pk)
    form = _comment_form(request, request.POST)
    if not form.is_valid():
        return _item_page(request, item, form, status=400)
    now = timezone.now()
    verdict = screen(request, form, COMMENT, now=now)
    if verdict is Screen.BOT:
        return redirect("news:detail", pk=pk)
    if verdict is Screen.LIMITED:
        return _item_page(request, item, form, status=429)
    data = form.cleaned_data
    try:
        posted = services.comment_post(
            item=item,
            body=data["body"],
            user=request.user,
            name=data.get("name", ""),
            email=data.get("email", ""),
            publish_name=bool(data.get("publish_name")) or request.user.is_authenticated,
            ip_address=client_ip(request),
            at=now,
        )
    except NewsError as error:
        form.add_error(None, str(error))
        return _item_page(request, item, form, status=400)
    if posted.state == "approved":
        messages.success(request, _("Комментарий опубликован."))
    else:
        messages.success(request, _("Спасибо! Комментарий появится после проверки модератором."))
    return redirect("news:detail", pk=pk)


# --- editors -----------------------------------------------------------------------------


editor = staff_required("news.publish")


def _branches(request: HttpRequest) -> Any:
    return staff_branches(user=request.user, action="news.publish")


def _editable(request: HttpRequest, pk: int) -> NewsItem:
    """Another branch's item is not found at all."""
    return get_object_or_404(selectors.news_editable(user=request.user), pk=pk)


@editor
def staff_list(request: HttpRequest) -> HttpResponse:
    items = (
        selectors.news_editable(user=request.user)
        .select_related("branch")
        .order_by("-updated_at")[:100]
    )
    pending = selectors.comments_pending(user=request.user).count()
    return render(
        request, "news/staff/list.html", {"items": items, "pending": pending, "now": timezone.now()}
    )


@editor
def staff_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    item = _editable(request, pk) if pk else None
    initial: dict[str, Any] = {}
    if item is not None:
        initial = {
            "title": item.title, "lead": item.lead, "body": item.body, "branch": item.branch,
            "author_line": item.author_line, "age_mark": item.age_mark,
            "published_at": timezone.localtime(item.published_at) if item.published_at else None,
            "comments_open": item.comments_open,
            "tags": ", ".join(t.name for t in item.tags.all()),
            "records": ", ".join(str(r) for r in item.records.values_list("pk", flat=True)),
            "events": ", ".join(str(e) for e in item.events.values_list("pk", flat=True)),
        }  # fmt: skip
    form = NewsForm(request.POST or None, initial=initial, branches=_branches(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.news_save(
                item=item,
                by=request.user,
                at=timezone.now(),
                title=data["title"],
                lead=data["lead"],
                body=data["body"],
                branch=data["branch"],
                author_line=data["author_line"],
                age_mark=data["age_mark"],
                published_at=data["published_at"],
                comments_open=data["comments_open"],
                tags=form.tag_names(),
                records=list(Record.objects.filter(pk__in=form.numbers("records"))),
                events=list(Event.objects.filter(pk__in=form.numbers("events"))),
            )
        except NewsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Сохранено."))
            return redirect("news:staff-edit", pk=saved.pk)
    context = {"form": form, "item": item, "photo_form": PhotoForm()}
    return render(request, "news/staff/edit.html", context, status=400 if form.errors else 200)


@editor
@require_POST
def staff_photo(request: HttpRequest, pk: int) -> HttpResponse:
    item = _editable(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        services.photo_add(item=item, by=request.user, **form.cleaned_data)
        messages.success(request, _("Фотография добавлена."))
    else:
        messages.error(request, _("Фотография не добавлена: проверьте файл и описание."))
    return redirect("news:staff-edit", pk=pk)


@editor
def staff_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Exactly what readers will see (a draft or a scheduled item too)."""
    item = _editable(request, pk)
    return _item_page(request, item, None, preview=True)


@editor
def staff_comments(request: HttpRequest) -> HttpResponse:
    pending = selectors.comments_pending(user=request.user)
    rows = [(c, ReplyForm(prefix=f"c{c.pk}")) for c in pending]
    return render(request, "news/staff/comments.html", {"rows": rows})


@editor
@require_POST
def staff_moderate(request: HttpRequest, comment_id: int) -> HttpResponse:
    editable = selectors.news_editable(user=request.user)
    comment = get_object_or_404(Comment.objects.filter(item__in=editable), pk=comment_id)
    action = request.POST.get("action")
    now = timezone.now()
    try:
        if action == "reply":
            form = ReplyForm(request.POST, prefix=f"c{comment.pk}")
            if not form.is_valid():
                raise Http404
            services.comment_reply(
                comment=comment, body=form.cleaned_data["body"], by=request.user, at=now
            )
        else:
            services.comment_moderate(
                comment=comment, approve=action == "approve", by=request.user, at=now
            )
    except NewsError as error:
        messages.error(request, str(error))
    return redirect("news:staff-comments")
