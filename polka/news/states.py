"""The comment moderation state machine as data (run by polka.core.states.transition). The
moderator's right (news.publish in the item's branch, or network-wide) is checked by the services;
a decision may be changed."""

from __future__ import annotations

from typing import Any

from polka.core.states import Machine, Rule
from polka.news.errors import NewsError
from polka.news.models import CommentState as S

_ANY = frozenset(S.values)

TRANSITIONS = {
    "approve": Rule(_ANY, S.APPROVED),
    "reject": Rule(_ANY, S.REJECTED),
}


def _refused(action: str, comment: Any) -> NewsError:
    return NewsError()


COMMENT = Machine(
    name="news.comment",
    transitions=TRANSITIONS,
    refused=_refused,
    branch_of=lambda comment: comment.item.branch,
)
