"""Local accounts and the publisher's single sign-on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from commentdesk.sites import service as sites

HS_SECRET = "s3cret-for-hs256-tokens-at-least-32-bytes"


def sso_token(key: Any, algorithm: str = "HS256", **overrides: Any) -> str:
    claims = {
        "iss": "example-news",
        "aud": "commentdesk",
        "sub": "cms-user-17",
        "name": "Pat Example",
        "email": "pat@example.org",
        "exp": datetime.now(UTC) + timedelta(minutes=5),
    }
    claims.update(overrides)
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, key, algorithm)


def test_register_then_login_returns_working_tokens(client: TestClient) -> None:
    registered = client.post(
        "/api/v1/auth/register",
        json={"email": "Kim@Example.org", "password": "long enough pw", "name": "Kim"},
    )
    assert registered.status_code == 201
    assert registered.json()["account"]["role"] == "commenter"
    login = client.post(
        "/api/v1/auth/login", json={"email": "kim@example.org", "password": "long enough pw"}
    )
    assert login.status_code == 200
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {login.json()['token']}"})
    assert me.json() == {
        "id": registered.json()["account"]["id"],
        "name": "Kim",
        "role": "commenter",
    }


def test_duplicate_email_is_a_conflict(client: TestClient) -> None:
    payload = {"email": "dup@example.org", "password": "long enough pw", "name": "One"}
    assert client.post("/api/v1/auth/register", json=payload).status_code == 201
    second = client.post("/api/v1/auth/register", json={**payload, "name": "Two"})
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "conflict"


@pytest.mark.parametrize(
    "payload",
    [
        {"email": "not-an-email", "password": "long enough pw", "name": "X"},
        {"email": "a@example.org", "password": "short", "name": "X"},
        {"email": "a@example.org", "password": "long enough pw", "name": ""},
        {"email": "a@example.org", "password": "long enough pw", "name": "N" * 81},
        {"email": "a@example.org", "password": "long enough pw", "name": "X", "role": "admin"},
    ],
)
def test_invalid_registrations_are_rejected(client: TestClient, payload: dict[str, str]) -> None:
    response = client.post("/api/v1/auth/register", json=payload)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_wrong_password_and_unknown_email_look_the_same(client: TestClient) -> None:
    client.post(
        "/api/v1/auth/register",
        json={"email": "sam@example.org", "password": "long enough pw", "name": "Sam"},
    )
    wrong = client.post(
        "/api/v1/auth/login", json={"email": "sam@example.org", "password": "wrong password"}
    )
    unknown = client.post(
        "/api/v1/auth/login", json={"email": "nobody@example.org", "password": "wrong password"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_sso_with_hs256_creates_then_reuses_the_account(client: TestClient, site: Any) -> None:
    first = client.post("/api/v1/auth/sso", json={"token": sso_token(HS_SECRET)})
    assert first.status_code == 200, first.text
    assert first.json()["account"]["name"] == "Pat Example"
    renamed = client.post("/api/v1/auth/sso", json={"token": sso_token(HS_SECRET, name="Pat E.")})
    assert renamed.json()["account"]["id"] == first.json()["account"]["id"]
    assert renamed.json()["account"]["name"] == "Pat E."


def test_sso_with_rs256_public_key(client: TestClient, db: Session, now: datetime) -> None:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    sites.create_site(
        db,
        name="RSA News",
        slug="rsa-news",
        origins=["https://rsa.example"],
        now=now,
        sso_public_key=public_pem,
    )
    db.commit()
    token = sso_token(private_key, "RS256", iss="rsa-news", sub="u-1")
    response = client.post("/api/v1/auth/sso", json={"token": token})
    assert response.status_code == 200, response.text
    forged = sso_token("guessed-secret-guessed-secret-guessed", iss="rsa-news", sub="u-1")
    assert client.post("/api/v1/auth/sso", json={"token": forged}).status_code == 401


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": datetime.now(UTC) - timedelta(hours=1)},
        {"aud": "someone-else"},
        {"iss": "unknown-site"},
        {"sub": None},
    ],
)
def test_bad_sso_tokens_are_refused(
    client: TestClient, site: Any, overrides: dict[str, Any]
) -> None:
    response = client.post("/api/v1/auth/sso", json={"token": sso_token(HS_SECRET, **overrides)})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_sso_token_signed_with_wrong_secret_is_refused(client: TestClient, site: Any) -> None:
    token = sso_token("a-different-secret-of-sufficient-length!")
    assert client.post("/api/v1/auth/sso", json={"token": token}).status_code == 401
