"""Factories for the register. Credit codes are real (valid check character)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from accreditation.choices import CabKind, Province
from accreditation.models import Cab, CabMembership, Programme
from accreditation.validators import CREDIT_CODE_ALPHABET, credit_code_check_character
from core.models import User


def make_credit_code(n: int, region: str = "110108") -> str:
    """A valid unified social credit code whose organisation part is derived from ``n``."""
    body = "".join(CREDIT_CODE_ALPHABET[(n // 31**i) % 31] for i in range(9))[::-1]
    first17 = f"91{region}{body}"
    return first17 + credit_code_check_character(first17)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    full_name = factory.LazyAttribute(lambda u: u.username.title())

    @factory.post_generation
    def password(user: User, create: bool, extracted: str | None, **kwargs: object) -> None:
        user.set_password(extracted or "correct-horse-battery")
        if create:
            user.save(update_fields=["password"])


class CabFactory(DjangoModelFactory[Cab]):
    class Meta:
        model = Cab

    name_zh = factory.Sequence(lambda n: f"测试检测技术有限公司{n}")
    name_en = factory.Sequence(lambda n: f"Test Laboratory Co., Ltd. {n}")
    credit_code = factory.Sequence(lambda n: make_credit_code(n + 1000))
    kind = CabKind.LABORATORY
    province = Province.BEIJING
    address_zh = "北京市海淀区中关村大街1号"


class CabMembershipFactory(DjangoModelFactory[CabMembership]):
    class Meta:
        model = CabMembership

    cab = factory.SubFactory(CabFactory)
    user = factory.SubFactory(UserFactory)
    is_admin = False


def programme(code: str = "CL") -> Programme:
    """Programmes are seeded by a migration; tests fetch them by code."""
    return Programme.objects.get(code=code)
