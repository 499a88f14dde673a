"""Forms of the reading lists' staff pages."""

from __future__ import annotations

from polka.core.forms import ModelForm
from polka.recommendations.models import ReadingList


class ReadingListForm(ModelForm[ReadingList]):
    class Meta:
        model = ReadingList
        fields = ["title", "slug", "audience", "theme", "intro", "compiler", "is_published"]
