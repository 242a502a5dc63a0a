"""Permission-matrix entries of the second-factor pages.

The matrix signs its personas in with ``force_login``, which the test suite makes pass the second
factor (``tests/conftest.py``): the secretariat and the decision maker are verified, so both pages
send them on; the others need no code, so the code page sends them on and the setup page offers
them an authenticator. A wrong code changes nothing for anyone. The flows themselves are tested in
``tests/core/test_two_factor.py``.
"""

from __future__ import annotations

from tests.matrix import OK, Case, signed_in

WRONG_CODE = {"otp_token": "000000"}

ENTRIES: dict[str, list[Case]] = {
    "two_factor_verify": [Case(signed_in(OK)), Case(signed_in(OK), method="post", data=lambda w: WRONG_CODE)],
    "two_factor_setup": [Case(signed_in(OK)), Case(signed_in(OK), method="post", data=lambda w: WRONG_CODE)],
}
