"""The unified social credit code (统一社会信用代码) of GB 32100-2015."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: The 31 characters the code uses: digits and capitals without I, O, S, V and Z.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {char: index for index, char in enumerate(CREDIT_CODE_ALPHABET)}


def credit_code_check_character(first17: str) -> str:
    """The 18th character for the first 17 (each must be in the alphabet)."""
    if len(first17) != len(_WEIGHTS):
        raise ValueError("credit_code_check_character needs the first 17 characters")
    total = sum(map(int.__mul__, map(_VALUE.__getitem__, first17), _WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid credit code, or None when it is."""
    if len(code) != 18:
        return str(_("A unified social credit code has 18 characters; this one has {count}.").format(count=len(code)))
    bad = sorted(set(code) - _VALUE.keys())
    if bad:
        return str(
            _(
                "A unified social credit code uses digits and capital letters except I, O, S, V, Z; found {chars}."
            ).format(chars=", ".join(bad))
        )
    if not code[2:8].isdigit():
        return str(_("Characters 3 to 8 of a unified social credit code are the region code and must be digits."))
    if credit_code_check_character(code[:17]) != code[17]:
        return str(_("The check character of this unified social credit code is wrong: it is not a real code."))
    return None


def normalise_credit_code(value: str) -> str:
    return value.strip().upper()


def validate_credit_code(value: str) -> None:
    problem = credit_code_problem(normalise_credit_code(value))
    if problem:
        raise ValidationError(problem, code="invalid_credit_code")
