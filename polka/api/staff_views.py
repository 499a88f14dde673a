"""The staff page of a reader's API tokens: list them, issue one (shown once), revoke one.
Opening it is a logged view of the reader's record (readers.view in their branch); issuing
and revoking need readers.register there."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from polka.accounts.models import User
from polka.api import tokens
from polka.core.staff import staff_required
from polka.readers.errors import ReaderNotFound
from polka.readers.services import VIEW, reader_record_open


@cache_control(private=True, no_store=True)
@staff_required(VIEW)
def reader_tokens(request: HttpRequest, reader_id: int) -> HttpResponse:
    assert isinstance(request.user, User)
    now = timezone.now()
    try:
        reader = reader_record_open(reader_id=reader_id, by=request.user, at=now)
    except ReaderNotFound as missing:
        raise Http404 from missing
    issued = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            token_id = request.POST.get("token", "")
            if token_id.isdigit() and tokens.reader_token_revoke(
                reader=reader, token_id=int(token_id), by=request.user, at=now
            ):
                messages.success(request, _("Ключ отозван."))
            return redirect("api-staff:reader-tokens", reader_id=reader.pk)
        name = request.POST.get("name", "").strip()
        issued = tokens.reader_token_issue(reader=reader, by=request.user, at=now, name=name)
    context = {"reader": reader, "tokens": tokens.reader_tokens(reader=reader), "issued": issued}
    return render(request, "api/reader_tokens.html", context)
