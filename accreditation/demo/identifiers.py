"""Valid, made-up identifiers for demonstration data.

A unified social credit code (GB 32100-2015) is built from: the registration authority and
the kind of organisation (``12`` a public institution, ``52`` a private non-enterprise unit,
``91`` a company), the six-digit region code of the place of registration, the nine-character
organisation code of GB 11714 (eight characters and their own check character), and the
code's check character. Both check characters are computed, so every generated code passes
``validate_credit_code`` and looks like a real one; the organisation part is random, so it
does not name a real organisation except by coincidence.
"""

from __future__ import annotations

import random

from accreditation.validators import CREDIT_CODE_ALPHABET, credit_code_check_character

PUBLIC_INSTITUTION = "12"  # 事业单位, registered with the institutional organisation authority
PRIVATE_NON_ENTERPRISE = "52"  # 民办非企业单位, registered with civil affairs
COMPANY = "91"  # 企业, registered with market regulation

_ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
#: Characters the organisation part may use: those of the credit-code alphabet (no I, O, S, V, Z).
_ORGANISATION_CHARS = CREDIT_CODE_ALPHABET


def organisation_code_check_character(first8: str) -> str:
    """The 9th character of a GB 11714 organisation code: digits weigh their value, letters A=10..."""
    total = sum(int(char, 36) * weight for char, weight in zip(first8, _ORGANISATION_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def make_organisation_code(rng: random.Random, *, modern: bool) -> str:
    """A GB 11714 organisation code; ``modern`` ones start with ``MA`` as those issued since 2015 do."""
    if modern:
        first8 = "MA" + "".join(rng.choice(_ORGANISATION_CHARS) for _ in range(6))
    else:
        first8 = "".join(rng.choice("0123456789") for _ in range(8))
    return first8 + organisation_code_check_character(first8)


def make_credit_code(rng: random.Random, *, registration: str, region: str) -> str:
    """A valid unified social credit code for an organisation registered in ``region`` (GB/T 2260)."""
    if len(registration) != 2 or any(char not in CREDIT_CODE_ALPHABET for char in registration):
        raise ValueError(f"registration must be two credit-code characters, got {registration!r}")
    if len(region) != 6 or not region.isdigit():
        raise ValueError(f"region must be a six-digit GB/T 2260 code, got {region!r}")
    # Companies registered since 2015 carry "MA" codes; older ones and institutions, numeric ones.
    modern = registration == COMPANY and rng.random() < 0.6
    first17 = registration + region + make_organisation_code(rng, modern=modern)
    return first17 + credit_code_check_character(first17)
