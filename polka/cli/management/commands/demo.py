"""`polka demo`: load the demo library once; later runs say it is there (and `make run` may
call it on every start)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from polka.cli.demo.generator import (
    DEFAULT_RECORDS,
    DEFAULT_SEED,
    Credential,
    DemoSummary,
    NotOnlyDemoData,
    demo_load,
    demo_passwords_reset,
    demo_state,
    demo_wipe,
)

T = TypeVar("T")


def _database_not_ready(exc: DatabaseError) -> CommandError:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return CommandError(
        _(
            "Демо-данные не загружены: база данных не готова (%(why)s). Выполните "
            "«polka migrate» и повторите «polka demo»."
        )
        % {"why": reason}
    )


class Command(BaseCommand):
    help = _("Загрузить демонстрационную библиотечную сеть (детерминированно по --seed).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--records", type=int, default=DEFAULT_RECORDS)
        parser.add_argument(
            "--force", action="store_true", help=_("удалить демо-данные и создать их заново")
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("только показать, что будет создано, ничего не записывая"),
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help=_("выдать сотрудникам демо-сети новые пароли и показать их"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            state = demo_state()
        except DatabaseError as exc:
            raise _database_not_ready(exc) from exc
        if options["dry_run"]:
            if state != "empty":
                raise CommandError(
                    _("Проверка без записи идёт только на пустой базе; в этой уже есть данные.")
                )
            # The whole load, rolled back: it fails exactly where a real run would.
            summary = self._run_load(options["seed"], options["records"], dry_run=True)
            self.stdout.write(_("Проверка без записи. ") + self._counts(summary))
            return
        if state == "other":
            if options["force"] or options["reset_passwords"]:
                raise CommandError(
                    _("В базе есть данные библиотеки, а не только демо-данные; ничего не изменено.")
                )
            self.stdout.write(_("В базе уже есть данные библиотеки; демо-данные не загружаются."))
            return
        if state == "demo" and options["force"]:
            try:
                demo_wipe()
            except NotOnlyDemoData as exc:
                raise CommandError(
                    _(
                        "Кроме демо-данных в базе есть: %(what)s. Удалять их "
                        "нельзя; ничего не изменено."
                    )
                    % {"what": exc}
                ) from exc
            self.stdout.write(_("Демо-данные удалены."))
        elif state == "demo":
            if options["reset_passwords"]:
                self._credentials(demo_passwords_reset(at=timezone.now()))
            else:
                self.stdout.write(
                    _(
                        "Демо-данные уже загружены. Новые пароли сотрудников: "
                        "polka demo --reset-passwords"
                    )
                )
            return
        self._load(options["seed"], options["records"])

    def _run_load(self, seed: int, records: int, *, dry_run: bool = False) -> DemoSummary:
        try:
            return demo_load(
                seed=seed, records=records, at=timezone.now(), progress=self._bar, dry_run=dry_run
            )
        except DatabaseError as exc:
            raise _database_not_ready(exc) from exc
        except Exception as exc:
            # One line a newcomer can act on instead of a traceback; the load is one transaction,
            # so nothing was written.
            raise CommandError(
                _(
                    "Демо-данные не загружены: %(kind)s: %(why)s. База не изменена. Подробности: "
                    "polka demo --traceback; сообщите об ошибке разработчикам, приложив этот вывод."
                )
                % {"why": exc, "kind": type(exc).__name__}
            ) from exc

    def _load(self, seed: int, records: int) -> None:
        summary = self._run_load(seed, records)
        self.stdout.write(
            _("Демо-сеть создана за %(seconds).1f с. ") % {"seconds": summary.seconds}
            + self._counts(summary)
        )
        self._credentials(summary.credentials)

    def _counts(self, summary: DemoSummary) -> str:
        return _(
            "Библиотек %(branches)d, сотрудников %(staff)d, записей %(records)d, экземпляров "
            "%(items)d, читателей %(readers)d, мероприятий %(events)d."
        ) % {
            "branches": summary.branches,
            "staff": summary.staff,
            "records": summary.records,
            "items": summary.items,
            "readers": summary.readers,
            "events": summary.events,
        } + "".join(f" {label.capitalize()} {count}." for label, count in summary.extras.items())

    def _bar(self, items: Iterable[T], total: int) -> Iterable[T]:
        if not self.stdout.isatty():
            return items
        from tqdm import tqdm

        bar: Iterable[T] = tqdm(
            items, total=total, desc=_("Записи каталога"), unit="", file=self.stderr
        )
        return bar

    def _credentials(self, credentials: list[Credential]) -> None:
        header = (_("Логин"), _("Роль"), _("Библиотеки"), _("Пароль"))
        rows = [header] + [(c.username, c.role, c.branches, c.password) for c in credentials]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        self.stdout.write("")
        self.stdout.write(_("Учётные записи сотрудников (пароли показываются один раз):"))
        for row in rows:
            self.stdout.write(
                "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
        self.stdout.write(
            _(
                "Сохраните пароли и смените их после первого входа. Новые пароли: "
                "polka demo --reset-passwords"
            )
        )
