"""The staff record editor: common fields, MARC lines, history with revert, and copies.

Every view needs a login and the right: catalog.edit (the catalogue is network-wide) for the
record, items.manage in the copy's branch for copies. The services check the same rights again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polka.catalog import mapping, selectors, services
from polka.catalog.errors import CatalogError
from polka.catalog.forms import (
    CommonFieldsForm,
    ItemAddForm,
    ItemMoveForm,
    ItemWithdrawForm,
    MarcForm,
    NewRecordForm,
)
from polka.catalog.marc_lines import to_lines
from polka.catalog.models import Item, ItemStatus, Record, RecordRevision
from polka.catalog.source import read_source_or_none
from polka.core.errors import PermissionRefused, error_message
from polka.core.staff import require_staff, staff_required
from polka.org.policies import staff_branches

CATALOG_EDIT = "catalog.edit"
ITEMS_MANAGE = "items.manage"
NEW_RECORD_TEXT = "=LDR  00000nam a2200000 i 4500\n=245  10$a"

View = Callable[..., HttpResponse]


# Login, then catalog.edit in some branch (records belong to the whole network).
catalog_editor = staff_required(CATALOG_EDIT)


def _record(record_id: int) -> Record:
    return get_object_or_404(Record, pk=record_id)


def _done(request: HttpRequest, record: Record, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("catalog:record", record_id=record.pk)


@catalog_editor
def desk(request: HttpRequest) -> HttpResponse:
    """The cataloguer's start page: find a record, describe a new one, see the latest changes."""
    size = selectors.catalogue_size()
    context = {
        "records": size.records,
        "items": size.items,
        "revisions": selectors.revisions_recent(),
        "imports": selectors.import_runs_recent(limit=5),
    }
    return render(request, "catalog/staff/desk.html", context)


@catalog_editor
def record_edit(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _record(record_id)
    source = read_source_or_none(record)
    if source is None:
        messages.error(request, _("Исходная запись не читается: исправьте её в редакторе MARC."))
        return redirect("catalog-staff:marc", record_id=record.pk)
    form = CommonFieldsForm(request.POST or None, record=record)
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            return _done(request, record, _("Изменений нет."))
        marc = mapping.apply_mapped(source, record.format, form.changes())
        summary = ", ".join(str(form.fields[n].label) for n in form.changed_data)
        services.record_update(
            record=record, marc=marc, by=request.user, at=timezone.now(), summary=summary
        )
        return _done(request, record, _("Запись сохранена."))
    return render(request, "catalog/staff/record_edit.html", {"record": record, "form": form})


@catalog_editor
def record_marc(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _record(record_id)
    stored = read_source_or_none(record)
    initial = {"text": to_lines(stored) if stored else NEW_RECORD_TEXT}
    form = MarcForm(request.POST or None, initial=initial, flavour=record.format)
    if request.method == "POST" and form.is_valid() and form.parsed and form.parsed.record:
        services.record_update(
            record=record,
            marc=form.parsed.record,
            by=request.user,
            at=timezone.now(),
            summary=_("Изменено в редакторе MARC"),
        )
        return _done(request, record, _("Запись сохранена."))
    context = {"record": record, "form": form, "structured": stored}
    return render(request, "catalog/staff/record_marc.html", context)


@catalog_editor
def record_new(request: HttpRequest) -> HttpResponse:
    form = NewRecordForm(request.POST or None, initial={"text": NEW_RECORD_TEXT})
    if request.method == "POST" and form.is_valid() and form.parsed and form.parsed.record:
        try:
            record = services.record_create(
                marc=form.parsed.record,
                flavour=form.cleaned_data["format"],
                by=request.user,
                at=timezone.now(),
            )
        except CatalogError as error:
            form.add_error(None, error.message)
        else:
            return _done(request, record, _("Запись создана."))
    return render(request, "catalog/staff/record_new.html", {"form": form})


@catalog_editor
def record_history_page(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _record(record_id)
    context = {"record": record, "entries": selectors.record_history(record=record)}
    return render(request, "catalog/staff/record_history.html", context)


@require_POST
@catalog_editor
def record_revert(request: HttpRequest, record_id: int, revision_id: int) -> HttpResponse:
    revision = get_object_or_404(RecordRevision, pk=revision_id, record_id=record_id)
    try:
        services.record_revert(revision=revision, by=request.user, at=timezone.now())
    except CatalogError as error:
        messages.error(request, error.message)
        return redirect("catalog-staff:history", record_id=record_id)
    return _done(request, revision.record, _("Запись возвращена к прежней версии."))


def _items_context(request: HttpRequest, record: Record, **forms: Any) -> dict[str, Any]:
    branches = staff_branches(user=request.user, action=ITEMS_MANAGE)
    allowed = set(branches.values_list("pk", flat=True))
    items = record.items.select_related("branch").order_by("branch__name", "barcode")
    rows = [
        {
            "item": item,
            "manage": item.branch_id in allowed and item.status != ItemStatus.WITHDRAWN,
            "move": forms.get(f"move-{item.pk}") or ItemMoveForm(item=item, branches=branches),
            "withdraw": forms.get(f"withdraw-{item.pk}") or ItemWithdrawForm(item=item),
        }
        for item in items
    ]
    add = forms.get("add") or ItemAddForm(branches=branches)
    return {"record": record, "rows": rows, "add_form": add, "can_add": bool(allowed)}


def _items_page(
    request: HttpRequest, record: Record, status: int = 200, **forms: Any
) -> HttpResponse:
    context = _items_context(request, record, **forms)
    return render(request, "catalog/staff/record_items.html", context, status=status)


@staff_required(ITEMS_MANAGE)
def record_items(request: HttpRequest, record_id: int) -> HttpResponse:
    return _items_page(request, _record(record_id))


def _item_for(request: HttpRequest, record_id: int, item_id: int) -> Item:
    """The copy, if the user manages copies in its branch (else 403)."""
    item = get_object_or_404(selectors.items_with_branch(), pk=item_id, record_id=record_id)
    require_staff(request, ITEMS_MANAGE, branch=item.branch)
    return item


def _item_action(
    request: HttpRequest,
    record: Record,
    act: Callable[[], object],
    key: str,
    form: Any,
    message: str,
) -> HttpResponse:
    """Run a copy service; a refusal or a domain error goes back to the form that asked."""
    try:
        act()
    except PermissionRefused as refused:
        raise PermissionDenied(error_message(refused)) from refused
    except CatalogError as error:
        form.add_error(None, error.message)
        return _items_page(request, record, status=400, **{key: form})
    messages.success(request, message)
    return redirect("catalog-staff:items", record_id=record.pk)


@require_POST
@login_required
def item_add(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _record(record_id)
    branches = staff_branches(user=request.user, action=ITEMS_MANAGE)
    form = ItemAddForm(request.POST, branches=branches)
    if not branches.exists():
        raise PermissionDenied
    if not form.is_valid():
        return _items_page(request, record, status=400, add=form)
    data = form.cleaned_data
    return _item_action(
        request,
        record,
        lambda: services.item_add(record=record, by=request.user, at=timezone.now(), **data),
        "add",
        form,
        _("Экземпляр добавлен."),
    )


@require_POST
@login_required
def item_move(request: HttpRequest, record_id: int, item_id: int) -> HttpResponse:
    item = _item_for(request, record_id, item_id)
    branches = staff_branches(user=request.user, action=ITEMS_MANAGE)
    form = ItemMoveForm(request.POST, item=item, branches=branches)
    key = f"move-{item.pk}"
    if not form.is_valid():
        return _items_page(request, item.record, status=400, **{key: form})
    branch = form.cleaned_data["branch"]
    return _item_action(
        request,
        item.record,
        lambda: services.item_move(item=item, branch=branch, by=request.user, at=timezone.now()),
        key,
        form,
        _("Экземпляр перемещён."),
    )


@require_POST
@login_required
def item_withdraw(request: HttpRequest, record_id: int, item_id: int) -> HttpResponse:
    item = _item_for(request, record_id, item_id)
    form = ItemWithdrawForm(request.POST, item=item)
    key = f"withdraw-{item.pk}"
    if not form.is_valid():
        return _items_page(request, item.record, status=400, **{key: form})
    reason, act = form.cleaned_data["reason"], form.cleaned_data["act"]
    return _item_action(
        request,
        item.record,
        lambda: services.item_withdraw(
            item=item, by=request.user, at=timezone.now(), reason=reason, act=act
        ),
        key,
        form,
        _("Экземпляр списан."),
    )
