import pytest

from polka.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["record", "item", "person", "importrun"])
def test_catalogue_admin_pages_show_but_do_not_offer_changes(client, model):
    client.force_login(User.objects.create_superuser("root", "r@example.org", "x"))
    assert client.get(f"/admin/catalog/{model}/").status_code == 200
    assert client.get(f"/admin/catalog/{model}/add/").status_code == 403
