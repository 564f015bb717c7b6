"""A token that cannot go into an HTTP header is refused by name, never quoted.

Before: a token with a non-ASCII character reached httpx, which raised a bare
``UnicodeEncodeError`` whose ``repr`` (and ``object`` attribute) held the whole
``Authorization`` header.
"""

from __future__ import annotations

import pytest

from tests.backend_fixtures import Loopback
from voiceprint_studio.api import (
    CozeClient,
    LocalValidationError,
    MiniMaxClient,
    check_token,
    token_problem,
)

SECRET = "pat_Xq7SecretPart_0123456789"
BAD = {
    "full-width letter": SECRET[:8] + "Ａ" + SECRET[8:],
    "non-breaking space": SECRET[:8] + "\u00a0" + SECRET[8:],
    "ellipsis": SECRET + "…",
    "inner space": SECRET[:8] + " " + SECRET[8:],
    "newline": SECRET[:8] + "\n" + SECRET[8:],
    "control": SECRET[:8] + "\x07" + SECRET[8:],
    "zero-width space": SECRET[:8] + "\u200b" + SECRET[8:],
}


@pytest.mark.parametrize("token", list(BAD.values()), ids=list(BAD))
@pytest.mark.parametrize("client_class", [CozeClient, MiniMaxClient])
def test_a_bad_token_is_a_typed_error_that_never_holds_it(
    token: str, client_class: type[CozeClient] | type[MiniMaxClient], loopback: Loopback
) -> None:
    with pytest.raises(LocalValidationError) as caught:
        client_class(token, loopback.url)
    error = caught.value
    assert error.field == "token"
    for text in (str(error), repr(error), error.user_message, error.next_step, str(vars(error))):
        assert SECRET[:8] not in text
        assert SECRET[9:] not in text
    assert error.__cause__ is None and error.__context__ is None
    assert token_problem(token) is not None


def test_good_tokens_pass_and_are_trimmed(loopback: Loopback) -> None:
    assert token_problem(SECRET) is None
    assert check_token(f"  {SECRET}\n") == SECRET
    with CozeClient(f" {loopback.token} ", loopback.url) as client:
        assert client.me().user_id  # the trimmed token works on the real backend


@pytest.mark.parametrize("value", ["", "   ", None, 42])
def test_no_token_says_enter_one(value: object) -> None:
    assert token_problem(value) == "Enter an access token."
