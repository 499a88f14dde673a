from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "polka.accounts"
    label = "accounts"
