import pytest

from accreditation.validators import credit_code_check_character, credit_code_problem
from tests.accreditation.factories import make_credit_code

pytestmark = pytest.mark.smoke


def test_a_published_real_code_is_valid() -> None:
    # The code of a real, publicly registered company (Huawei Technologies Co., Ltd.).
    assert credit_code_problem("914403001922038216") is None


def test_the_check_character_is_computed_by_gb_32100() -> None:
    assert credit_code_check_character("91440300192203821") == "6"


def test_a_wrong_check_character_is_refused_with_a_reason() -> None:
    assert credit_code_problem("914403001922038217") == (
        "The check character of this unified social credit code is wrong: it is not a real code."
    )


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91440300192203821", "has 18 characters; this one has 17"),
        ("91440300192203821I", "found I"),
        ("91AB0300192203821X", "region code"),
    ],
)
def test_malformed_codes_say_what_is_wrong(code: str, fragment: str) -> None:
    problem = credit_code_problem(code)
    assert problem is not None
    assert fragment in problem


def test_generated_test_codes_are_valid() -> None:
    assert all(credit_code_problem(make_credit_code(n)) is None for n in range(200))
