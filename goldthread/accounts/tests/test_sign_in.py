"""Signing in and out."""

import re

from goldthread.testing.world import PASSWORD


def test_a_wrong_password_shows_the_error_summary(world, client):
    response = client.post("/sign-in/", {"username": "alice", "password": "wrong"})

    body = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<title>\s*Error: ", body)
    assert "govuk-error-summary" in body
    assert 'href="#id_username"' in body
    assert "Enter a correct username and password" in body
    assert "_auth_user_id" not in client.session


def test_empty_fields_each_get_an_error(world, client):
    body = client.post("/sign-in/", {}).content.decode()

    assert "Enter your username" in body
    assert "Enter your password" in body


def test_alice_signs_in_and_goes_where_she_was_going(world, client):
    response = client.post(
        "/sign-in/", {"username": "alice", "password": PASSWORD, "next": "/scorecard/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/scorecard/"
    assert client.session["_auth_user_id"] == str(world.alice.pk)


def test_sign_in_never_sends_people_to_another_site(world, client):
    response = client.post(
        "/sign-in/", {"username": "alice", "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"


def test_an_inactive_person_cannot_sign_in(world, client):
    world.bob.is_active = False
    world.bob.save()

    response = client.post("/sign-in/", {"username": "bob", "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_out_is_post_only_and_get_shows_a_page(world, login):
    client = login(world.alice)

    response = client.get("/sign-out/")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "<title>" in response.content.decode()
    assert "_auth_user_id" in client.session


def test_sign_out_by_post_signs_out(world, login):
    client = login(world.alice)

    response = client.post("/sign-out/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
