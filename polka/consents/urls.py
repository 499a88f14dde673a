from django.urls import path

from polka.consents import views

app_name = "consents"
urlpatterns = [path("<slug:purpose>/", views.consent_text, name="text")]
