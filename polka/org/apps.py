from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "polka.org"
    label = "org"

    def ready(self) -> None:
        from polka.core.audit import register_audit_writer
        from polka.core.permissions import register_permission_checker
        from polka.org import signals  # noqa: F401  (connects the sign-in audit receivers)
        from polka.org.policies import staff_can, staff_require
        from polka.org.services import audit_entry_write

        # Core sits below org: it checks rights and writes the audit log through these hooks.
        register_permission_checker(staff_can, requirer=staff_require)
        register_audit_writer(audit_entry_write)
