"""Ask a librarian: questions, their threads, the rules of the service and its archive."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from polka.consents.models import ConsentRecord
from polka.org.models import Branch

# Published answers are indexed in the search app's content index under this kind.
CONTENT_KIND = "reference"


class QuestionType(models.TextChoices):
    LITERATURE = "literature", _("подбор литературы по теме")
    CITATION = "citation", _("уточнение библиографических сведений")
    FACTUAL = "factual", _("фактографическая справка")
    LOCATION = "location", _("где найти документ")
    OTHER = "other", _("другое")


class Purpose(models.TextChoices):
    STUDY = "study", _("учёба")
    WORK = "work", _("работа")
    RESEARCH = "research", _("научная работа")
    LEISURE = "leisure", _("для себя, досуг")
    OTHER = "other", _("другое")


class Depth(models.TextChoices):
    FEW = "few", _("несколько источников")
    FULL = "full", _("полный список")


class State(models.TextChoices):
    NEW = "new", _("новый")
    ASSIGNED = "assigned", _("назначен")
    IN_WORK = "in_work", _("в работе")
    ANSWERED = "answered", _("отвечен")
    CLOSED = "closed", _("закрыт")
    DECLINED = "declined", _("отклонён")


class DeadlineRule(models.Model):
    """How many working days the service takes for a question type (code defaults otherwise)."""

    question_type = models.CharField(
        _("тип вопроса"), max_length=20, choices=QuestionType.choices, unique=True
    )
    working_days = models.PositiveSmallIntegerField(_("рабочих дней на ответ"))

    class Meta:
        verbose_name = _("срок ответа")
        verbose_name_plural = _("сроки ответа")

    def __str__(self) -> str:
        return f"{self.get_question_type_display()}: {self.working_days}"


class BranchService(models.Model):
    """A branch's part in the service: whether it answers, and how many questions a day."""

    branch = models.OneToOneField(Branch, on_delete=models.CASCADE, related_name="reference")
    answers_questions = models.BooleanField(_("отвечает на вопросы"), default=True)
    daily_cap = models.PositiveSmallIntegerField(
        _("вопросов в день, не больше"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("справочная служба библиотеки")
        verbose_name_plural = _("справочная служба библиотек")

    def __str__(self) -> str:
        return str(self.branch)


class Topic(models.Model):
    """A heading of the public archive (local history, literature, law, …)."""

    name = models.CharField(_("тема"), max_length=100, unique=True)
    slug = models.SlugField(_("адрес"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("тема архива")
        verbose_name_plural = _("темы архива")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    # The asker's private link: unguessable, never shown to anyone else.
    token = models.CharField(max_length=64, unique=True)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="questions")
    question_type = models.CharField(_("тип вопроса"), max_length=20, choices=QuestionType.choices)
    purpose = models.CharField(_("цель"), max_length=20, choices=Purpose.choices)
    depth = models.CharField(_("полнота"), max_length=10, choices=Depth.choices)
    text = models.TextField(_("вопрос"))
    name = models.CharField(_("имя"), max_length=100, blank=True)
    email = models.EmailField(_("электронная почта"))
    language = models.CharField(max_length=10, default="ru")
    consent = models.ForeignKey(ConsentRecord, on_delete=models.PROTECT, related_name="+")
    allow_publication = models.BooleanField(_("можно опубликовать в архиве"), default=False)
    state = models.CharField(_("состояние"), max_length=10, choices=State.choices)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reference_questions",
        verbose_name=_("исполнитель"),
    )
    created_at = models.DateTimeField(_("задан"), db_index=True)
    due_on = models.DateField(_("ответить до"), db_index=True)
    answered_at = models.DateTimeField(_("отвечен"), null=True, blank=True)
    closed_at = models.DateTimeField(_("закрыт"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("оценка"), null=True, blank=True)
    rating_comment = models.TextField(_("отзыв"), blank=True)
    # The public copy, edited by staff with personal details removed.
    published = models.BooleanField(_("в архиве"), default=False)
    public_title = models.CharField(_("заголовок в архиве"), max_length=300, blank=True)
    public_question = models.TextField(_("вопрос в архиве"), blank=True)
    public_answer = models.TextField(_("ответ в архиве"), blank=True)
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    published_at = models.DateTimeField(_("опубликован"), null=True, blank=True)

    class Meta:
        verbose_name = _("вопрос")
        verbose_name_plural = _("вопросы")
        ordering = ["due_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="reference_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"№ {self.pk}: {self.text[:60]}"


class MessageKind(models.TextChoices):
    QUESTION = "question", _("вопрос")
    FOLLOW_UP = "follow_up", _("уточнение читателя")
    ANSWER = "answer", _("ответ")
    DECLINE = "decline", _("отказ")
    NOTE = "note", _("служебная заметка")
    DRAFT = "draft", _("черновик ответа")


class Message(models.Model):
    """One entry of a question's thread. Answers and declines are sanitised HTML; the asker's
    words and internal notes are plain text. At most one draft per question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d}"


class Transition(models.Model):
    """The audit trail: every change of state, who made it and when."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=10)
    to_state = models.CharField(max_length=10)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state} → {self.to_state}"


class AnswerTemplate(models.Model):
    """A ready text: an answer opening, or a polite refusal citing the service's rule."""

    title = models.CharField(_("название"), max_length=200)
    body = models.TextField(_("текст"))
    is_decline = models.BooleanField(_("отказ"), default=False)

    class Meta:
        verbose_name = _("шаблон ответа")
        verbose_name_plural = _("шаблоны ответов")
        ordering = ["-is_decline", "title"]

    def __str__(self) -> str:
        return self.title
