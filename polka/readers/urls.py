"""Reader pages: the public "how to join", the desk's pages under readers/, the reader's own
account under account/. Mounted at the root so that one namespace serves all three."""

from django.urls import path

from polka.readers import account_views, staff_views, views

app_name = "readers"
urlpatterns = [
    path("readers/join/", views.join, name="join"),
    path("readers/apply/", views.apply, name="apply"),
    # The desk.
    path("readers/register/", staff_views.register, name="register"),
    path("readers/search/", staff_views.search, name="search"),
    path("readers/reregister/", staff_views.reregister, name="reregister"),
    path("readers/<int:reader_id>/", staff_views.detail, name="detail"),
    path("readers/<int:reader_id>/edit/", staff_views.edit, name="edit"),
    path(
        "readers/<int:reader_id>/reregister/",
        staff_views.reregister_confirm,
        name="reregister-confirm",
    ),
    path("readers/<int:reader_id>/consent/", staff_views.consent_own, name="consent-own"),
    path("readers/<int:reader_id>/erase/", staff_views.erase, name="erase"),
    path("readers/<int:reader_id>/guardians/", staff_views.guardian_add, name="guardian-add"),
    path(
        "readers/<int:reader_id>/consents/<int:record_id>/print/",
        staff_views.consent_print,
        name="consent-print",
    ),
    # The reader's own account.
    path("account/", account_views.home, name="account"),
    path("account/login/", account_views.login_view, name="login"),
    path("account/contacts/", account_views.contacts, name="account-contacts"),
    path("account/history/", account_views.history, name="account-history"),
    path(
        "account/consents/<int:record_id>/withdraw/",
        account_views.consent_withdraw,
        name="account-consent-withdraw",
    ),
    path("account/data.json", account_views.data_json, name="account-data-json"),
    path("account/data/", account_views.data_page, name="account-data"),
    path("account/erase/", account_views.erase, name="account-erase"),
    path("account/password/", account_views.password_reset, name="password-reset"),
    path("account/password/sent/", account_views.password_reset_done, name="password-reset-done"),
    path(
        "account/password/<uidb64>/<token>/",
        account_views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path(
        "account/password/done/",
        account_views.password_reset_complete,
        name="password-reset-complete",
    ),
]
