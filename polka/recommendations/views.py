"""«The librarian recommends»: public lists (with availability, a reserve action and a printable
recommendatory bibliography) and the editors' pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polka.catalog.forms import BookByNumberForm
from polka.catalog.models import Record
from polka.core.staff import staff_required
from polka.org.selectors import url_or_none
from polka.recommendations import selectors, services
from polka.recommendations.forms import ReadingListForm
from polka.recommendations.models import ListItem


def list_index(request: HttpRequest) -> HttpResponse:
    lists = selectors.lists_published()
    return render(request, "recommendations/index.html", {"lists": lists})


def list_detail(request: HttpRequest, slug: str) -> HttpResponse:
    reading_list = get_object_or_404(selectors.lists_published(), slug=slug)
    context = {
        "list": reading_list,
        "books": selectors.list_books(reading_list=reading_list),
        "reserve_url": url_or_none("circulation:reserve"),
        "absolute_url": request.build_absolute_uri(),
    }
    return render(request, "recommendations/detail.html", context)


def list_print(request: HttpRequest, slug: str) -> HttpResponse:
    """The handout: a recommendatory bibliography with ГОСТ descriptions, numbered."""
    reading_list = get_object_or_404(selectors.lists_published(), slug=slug)
    context = {"list": reading_list, "books": selectors.list_books(reading_list=reading_list)}
    return render(request, "recommendations/print.html", context)


editor = staff_required("news.publish")


@editor
def staff_index(request: HttpRequest) -> HttpResponse:
    return render(request, "recommendations/staff/index.html", {"lists": selectors.lists_all()})


@editor
def staff_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    reading_list = get_object_or_404(selectors.lists_all(), pk=pk) if pk else None
    form = ReadingListForm(request.POST or None, instance=reading_list)
    if request.method == "POST" and form.is_valid():
        saved = services.list_save(
            reading_list=reading_list, by=request.user, at=timezone.now(), **form.cleaned_data
        )
        messages.success(request, _("Сохранено."))
        return redirect("recommendations:staff-books", pk=saved.pk)
    context = {
        "form": form,
        "title": reading_list.title if reading_list else _("Новый список"),
        "back_url": reverse("recommendations:staff"),
        "back_label": _("Библиотекарь советует"),
    }
    return render(request, "web/staff_form.html", context, status=400 if form.errors else 200)


@editor
def staff_books(request: HttpRequest, pk: int) -> HttpResponse:
    reading_list = get_object_or_404(selectors.lists_all(), pk=pk)
    form = BookByNumberForm(request.POST or None)

    def put(record: Record, annotation: str) -> None:
        services.item_add(
            reading_list=reading_list,
            record=record,
            annotation=annotation,
            by=request.user,
            at=timezone.now(),
        )

    if request.method == "POST" and form.is_valid() and form.add(put):
        messages.success(request, _("Книга добавлена в список."))
        return redirect("recommendations:staff-books", pk=pk)
    items = selectors.list_items(reading_list=reading_list)
    context = {"list": reading_list, "form": form, "items": items}
    return render(request, "recommendations/staff/books.html", context)


@editor
@require_POST
def staff_remove(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    item = get_object_or_404(ListItem, pk=item_id, reading_list_id=pk)
    services.item_remove(item=item, by=request.user)
    return redirect("recommendations:staff-books", pk=pk)
