"""The rules matrix for managers: every row, which wins where, add, change, delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from polka.circulation import services
from polka.circulation.forms import LoanRuleForm
from polka.circulation.models import LoanRule
from polka.core.staff import staff_required
from polka.org.errors import NotPermitted

manager = staff_required(services.RULES)
private = cache_control(private=True, no_store=True)


@private
@manager
def rules(request: HttpRequest) -> HttpResponse:
    rows = LoanRule.objects.select_related("branch", "reader_category").order_by(
        "branch__name", "reader_category__position", "item_type", "pk"
    )
    return render(request, "circulation/rules.html", {"rules": rows})


@private
@manager
def rule_edit(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    rule = get_object_or_404(LoanRule, pk=rule_id) if rule_id else None
    form = LoanRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.loan_rule_save(
                rule=form.save(commit=False), by=request.user, at=timezone.now()
            )
        except NotPermitted as refused:
            form.add_error("branch", str(refused))
        else:
            messages.success(request, _("Правило сохранено."))
            return redirect("circulation:rules")
    status = 400 if form.errors else 200
    return render(
        request, "circulation/rule_edit.html", {"form": form, "rule": rule}, status=status
    )


@require_POST
@manager
def rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(LoanRule, pk=rule_id)
    services.loan_rule_delete(rule=rule, by=request.user, at=timezone.now())
    messages.success(request, _("Правило удалено."))
    return redirect("circulation:rules")
