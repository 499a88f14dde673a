"""Staff pages of promotion: the channels, the posts made, and an item's preview with the
channels it skips."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polka.core.staff import staff_required
from polka.events.models import Event
from polka.news.models import NewsItem
from polka.org.models import Branch
from polka.org.policies import staff_branches, staff_can, staff_scope
from polka.promotion import selectors, services
from polka.promotion.errors import PromotionError
from polka.promotion.forms import ChannelForm, PartnerForm, SkipForm
from polka.promotion.models import Action, Channel, Partner, Post, Promoted, Subject

publisher = staff_required("news.publish")


@publisher
def staff_index(request: HttpRequest) -> HttpResponse:
    channels = selectors.channels_manageable(user=request.user)
    posts = (
        Post.objects.filter(channel__in=channels)
        .select_related("channel", "promoted")
        .order_by("-created_at", "-pk")[:50]
    )
    context = {
        "channels": channels,
        "posts": posts,
        "news": staff_scope(
            NewsItem.objects.order_by("-updated_at"), user=request.user,
            action="news.publish", via="branch",
        )[:20],
        "events": staff_scope(
            Event.objects.filter(ends_at__gte=timezone.now()).select_related("branch"),
            user=request.user, action="events.manage", via="branch",
        )[:20],
    }  # fmt: skip
    return render(request, "promotion/staff/index.html", context)


@publisher
def staff_channel(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    channel = (
        get_object_or_404(selectors.channels_manageable(user=request.user), pk=pk) if pk else None
    )
    branches = staff_branches(user=request.user, action="news.publish")
    initial: dict[str, Any] = {}
    if channel is not None:
        initial = {
            "service": channel.service, "branch": channel.branch, "name": channel.name,
            "target": channel.target, "token_env": channel.token_env, "active": channel.active,
        }  # fmt: skip
    form = ChannelForm(request.POST or None, initial=initial, branches=branches)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.channel_save(
                channel=channel, by=request.user, at=timezone.now(), **form.cleaned_data
            )
        except PromotionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Канал сохранён."))
            return redirect("promotion:staff-channel", pk=saved.pk)
    context = {"form": form, "channel": channel}
    status = 400 if form.errors else 200
    return render(request, "promotion/staff/channel.html", context, status=status)


def _item(request: HttpRequest, subject: str, object_id: int) -> tuple[Any, Branch | None]:
    """The news item or event, if the user may publish it (else not found at all)."""
    if subject == Subject.NEWS:
        item: Any = get_object_or_404(NewsItem.objects.select_related("branch"), pk=object_id)
        action = "news.publish"
    elif subject == Subject.EVENT:
        item = get_object_or_404(Event.objects.select_related("branch"), pk=object_id)
        action = "events.manage"
    else:
        raise Http404
    branch = item.branch
    if not staff_can(user=request.user, action=action, branch=branch, network_wide=branch is None):
        raise Http404
    return item, branch


@publisher
def staff_item(request: HttpRequest, subject: str, object_id: int) -> HttpResponse:
    """What each channel will say about the item (a draft too), and the channels it skips."""
    item, _branch = _item(request, subject, object_id)
    now = timezone.now()
    content = selectors.content_of(subject=subject, object_id=item.pk, now=now)
    assert content is not None
    channels = selectors.channels_for(content, list(Channel.objects.filter(active=True)))
    promoted = Promoted.objects.filter(subject=subject, object_id=item.pk).first()
    skipped = list(promoted.skip.all()) if promoted else []
    form = SkipForm(request.POST or None, initial={"skip": skipped}, channels=channels)
    if request.method == "POST" and form.is_valid():
        services.item_skip_set(
            content=content, skip=list(form.cleaned_data["skip"]), by=request.user, at=now
        )
        messages.success(request, _("Сохранено."))
        return redirect("promotion:staff-item", subject=subject, object_id=item.pk)
    context = {
        "item": item,
        "subject": subject,
        "content": content,
        "previews": [(c, content.text(Action.PUBLISH)) for c in channels],
        "form": form,
        "posts": selectors.posts_of(promoted=promoted),
    }
    return render(request, "promotion/staff/item.html", context)


@publisher
@require_POST
def staff_retry(request: HttpRequest, pk: int) -> HttpResponse:
    channels = selectors.channels_manageable(user=request.user)
    post = get_object_or_404(
        Post.objects.filter(channel__in=channels).select_related("promoted"), pk=pk
    )
    services.post_retry(post=post, by=request.user, at=timezone.now())
    messages.success(request, _("Публикация снова в очереди."))
    promoted = post.promoted
    return redirect("promotion:staff-item", subject=promoted.subject, object_id=promoted.object_id)


# --- partners -------------------------------------------------------------------------------

planner = staff_required("events.manage")


def partners_page(request: HttpRequest) -> HttpResponse:
    """The public page of the library's partners."""
    return render(request, "promotion/partners.html", {"partners": selectors.partners_public()})


@planner
def staff_partners(request: HttpRequest) -> HttpResponse:
    """Partners, with the joint events of a year for reports."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    counts = selectors.partners_joint_events(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    context = {"counts": counts, "year": year, "years": range(today.year - 4, today.year + 2)}
    return render(request, "promotion/staff/partners.html", context)


@planner
def staff_partner(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    partner = get_object_or_404(Partner, pk=pk) if pk else None
    initial: dict[str, Any] = {}
    if partner is not None:
        initial = {
            "name": partner.name, "kind": partner.kind, "url": partner.url,
            "together": partner.together, "is_public": partner.is_public,
            "events": ", ".join(str(n) for n in partner.events.values_list("pk", flat=True)),
            "projects": partner.projects.all(), "courses": partner.courses.all(),
        }  # fmt: skip
    form = PartnerForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = services.partner_save(
            partner=partner, by=request.user, at=timezone.now(), name=data["name"],
            kind=data["kind"], url=data["url"], together=data["together"],
            is_public=data["is_public"], logo=data["logo"],
            events=list(Event.objects.filter(pk__in=form.event_numbers())),
            projects=list(data["projects"]), courses=list(data["courses"]),
        )  # fmt: skip
        messages.success(request, _("Сохранено."))
        return redirect("promotion:staff-partner", pk=saved.pk)
    title = partner.name if partner else _("Новый партнёр")
    context = {
        "form": form, "title": title, "back_url": reverse("promotion:staff-partners"),
        "back_label": _("Партнёры"),
    }  # fmt: skip
    return render(request, "web/staff_form.html", context, status=400 if form.errors else 200)
