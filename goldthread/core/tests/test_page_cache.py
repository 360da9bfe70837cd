"""A cached page is shared, but each person still sees their own name and gets their own token."""

import re

from django.test import Client

from goldthread.core.page_cache import CSRF_HOLE, NAME_HOLE


def _signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_two_officers_sharing_a_cached_scorecard_each_see_their_own_name(world):
    alice_page = _signed_in(world.alice).get("/scorecard/").content.decode()
    fay_page = _signed_in(world.fay).get("/scorecard/").content.decode()
    assert "Alice Tester" in alice_page and "Alice Tester" not in fay_page
    assert "Fay Tester" in fay_page
    assert NAME_HOLE not in alice_page and CSRF_HOLE not in fay_page


def test_sign_out_works_from_a_cached_page(world):
    client = _signed_in(world.bob)
    client.get("/scorecard/")  # fills the cache
    page = client.get("/scorecard/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = client.post("/sign-out/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_name_with_markup_is_escaped_in_a_cached_page(world):
    world.dana.first_name = "<b>Dana</b>"
    world.dana.save()
    page = _signed_in(world.dana).get("/scorecard/").content.decode()
    assert "&lt;b&gt;Dana&lt;/b&gt;" in page and "<b>Dana</b>" not in page


def test_signed_in_pages_are_never_kept_by_shared_caches(world):
    response = _signed_in(world.alice).get("/scorecard/")
    assert response["Cache-Control"] == "private"
