"""The unified social credit code (统一社会信用代码) of GB 32100-2015."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: The 31 characters the code uses: digits and capitals without I, O, S, V and Z.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    """The 18th character for the first 17 (each must be in the alphabet)."""
    total = sum(CREDIT_CODE_ALPHABET.index(char) * weight for char, weight in zip(first17, _WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid credit code, or None when it is."""
    if len(code) != 18:
        return str(_("A unified social credit code has 18 characters; this one has {count}.").format(count=len(code)))
    bad = sorted({char for char in code if char not in CREDIT_CODE_ALPHABET})
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
