"""Circulation pages: the desk (staff), holds from the record page, the reader's loans and holds
in their account. Mounted at the root so one namespace serves all three."""

from django.urls import path

from polka.circulation import account_views, rules_views, views

app_name = "circulation"
urlpatterns = [
    path("circulation/desk/", views.desk, name="desk"),
    path("circulation/desk/checkout/", views.checkout, name="checkout"),
    path("circulation/desk/checkin/", views.checkin, name="checkin"),
    path("circulation/desk/renew/", views.renew, name="renew"),
    path("circulation/desk/use/", views.use, name="use"),
    path("circulation/desk/lost/", views.lost, name="lost"),
    path("circulation/desk/visit/", views.visit, name="visit"),
    path("circulation/desk/receipt/", views.receipt, name="receipt"),
    path("circulation/transit/<int:transit_id>/slip/", views.transit_slip, name="transit-slip"),
    path("circulation/holds/", views.holds_list, name="holds"),
    path("circulation/rules/", rules_views.rules, name="rules"),
    path("circulation/rules/new/", rules_views.rule_edit, name="rule-new"),
    path("circulation/rules/<int:rule_id>/", rules_views.rule_edit, name="rule-edit"),
    path("circulation/rules/<int:rule_id>/delete/", rules_views.rule_delete, name="rule-delete"),
    path("circulation/reserve/", account_views.reserve, name="reserve"),
    path("account/loans/", account_views.account, name="account"),
    path("account/loans/<int:loan_id>/renew/", account_views.renew, name="account-renew"),
    path("account/holds/<int:hold_id>/", account_views.hold_change, name="account-hold"),
]
