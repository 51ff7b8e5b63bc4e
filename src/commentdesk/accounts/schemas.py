"""Account input and output shapes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from commentdesk.textfields import DisplayName, Email, Password


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Registration(Strict):
    email: Email
    password: Password
    name: DisplayName


class Credentials(Strict):
    email: Email
    password: str = Field(max_length=256)


class SsoLogin(Strict):
    token: str = Field(min_length=10, max_length=8192)


class AccountView(BaseModel):
    id: int
    name: str
    role: str


class AuthorView(BaseModel):
    id: int
    name: str


class SignedIn(BaseModel):
    """What register, login and SSO return: a bearer token and who it belongs to."""

    token: str
    account: AccountView
