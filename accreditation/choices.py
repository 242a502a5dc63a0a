"""Statuses and kinds of the register, each status with its table of allowed moves."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CabKind(models.TextChoices):
    LABORATORY = "laboratory", _("Testing and calibration laboratory")
    MEDICAL_LABORATORY = "medical_laboratory", _("Medical laboratory")
    INSPECTION_BODY = "inspection_body", _("Inspection body")
    CERTIFICATION_BODY = "certification_body", _("Certification body")
    PT_PROVIDER = "pt_provider", _("Proficiency testing provider")
    RM_PRODUCER = "rm_producer", _("Reference material producer")
    BIOBANK = "biobank", _("Biobank")
    VALIDATION_VERIFICATION_BODY = "validation_verification_body", _("Validation and verification body")


class ScopeShape(models.TextChoices):
    """How the items of a programme's scope of accreditation are structured (``scope_shapes``)."""

    LABORATORY = "laboratory", _("Laboratory (field, object, parameter, method)")
    MEDICAL = "medical", _("Medical laboratory (discipline, examination, method)")
    INSPECTION = "inspection", _("Inspection (field, inspection type, method)")
    MANAGEMENT_SYSTEM = "management_system", _("Management system certification (standard, sectors)")
    PRODUCT = "product", _("Product certification (scheme, products)")
    PERSONS = "persons", _("Persons certification (scheme, occupation)")
    PROFICIENCY_TESTING = "proficiency_testing", _("Proficiency testing (field, item, parameter)")
    REFERENCE_MATERIAL = "reference_material", _("Reference material (category, material, property)")
    BIOBANK = "biobank", _("Biobank (sample type, activity)")
    VALIDATION_VERIFICATION = "validation_verification", _("Validation and verification (sector, activity)")


class CabStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


CAB_TRANSITIONS: dict[str, set[str]] = {
    CabStatus.ACTIVE: {CabStatus.CLOSED},
    CabStatus.CLOSED: {CabStatus.ACTIVE},
}


class AccreditationStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACCREDITED = "accredited", _("Accredited")
    SUSPENDED = "suspended", _("Suspended")
    PARTIALLY_SUSPENDED = "partially_suspended", _("Partially suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


_S = AccreditationStatus
ACCREDITATION_TRANSITIONS: dict[str, set[str]] = {
    _S.APPLICANT: {_S.ACCREDITED, _S.CANCELLED},
    _S.ACCREDITED: {_S.SUSPENDED, _S.PARTIALLY_SUSPENDED, _S.WITHDRAWN, _S.CANCELLED, _S.EXPIRED},
    _S.PARTIALLY_SUSPENDED: {_S.ACCREDITED, _S.SUSPENDED, _S.WITHDRAWN, _S.CANCELLED, _S.EXPIRED},
    _S.SUSPENDED: {_S.ACCREDITED, _S.WITHDRAWN, _S.CANCELLED, _S.EXPIRED},
    _S.WITHDRAWN: set(),
    _S.CANCELLED: set(),
    _S.EXPIRED: set(),
}
#: An accreditation in one of these statuses is "live": a CAB holds at most one per programme.
LIVE_ACCREDITATION_STATUSES = frozenset({_S.APPLICANT, _S.ACCREDITED, _S.SUSPENDED, _S.PARTIALLY_SUSPENDED})
#: Statuses the public directory shows; an applicant is not public.
PUBLIC_ACCREDITATION_STATUSES = frozenset(set(_S.values) - {_S.APPLICANT})


class ScopeVersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published (current)")
    SUPERSEDED = "superseded", _("Superseded")


SCOPE_VERSION_TRANSITIONS: dict[str, set[str]] = {
    ScopeVersionStatus.DRAFT: {ScopeVersionStatus.PUBLISHED},
    ScopeVersionStatus.PUBLISHED: {ScopeVersionStatus.SUPERSEDED},
    ScopeVersionStatus.SUPERSEDED: set(),
}


class ScopeItemStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


SCOPE_ITEM_TRANSITIONS: dict[str, set[str]] = {
    ScopeItemStatus.ACTIVE: {ScopeItemStatus.SUSPENDED, ScopeItemStatus.WITHDRAWN},
    ScopeItemStatus.SUSPENDED: {ScopeItemStatus.ACTIVE, ScopeItemStatus.WITHDRAWN},
    ScopeItemStatus.WITHDRAWN: set(),
}


class Province(models.TextChoices):
    """Provincial-level divisions by their GB/T 2260 code."""

    BEIJING = "11", _("Beijing")
    TIANJIN = "12", _("Tianjin")
    HEBEI = "13", _("Hebei")
    SHANXI = "14", _("Shanxi")
    INNER_MONGOLIA = "15", _("Inner Mongolia")
    LIAONING = "21", _("Liaoning")
    JILIN = "22", _("Jilin")
    HEILONGJIANG = "23", _("Heilongjiang")
    SHANGHAI = "31", _("Shanghai")
    JIANGSU = "32", _("Jiangsu")
    ZHEJIANG = "33", _("Zhejiang")
    ANHUI = "34", _("Anhui")
    FUJIAN = "35", _("Fujian")
    JIANGXI = "36", _("Jiangxi")
    SHANDONG = "37", _("Shandong")
    HENAN = "41", _("Henan")
    HUBEI = "42", _("Hubei")
    HUNAN = "43", _("Hunan")
    GUANGDONG = "44", _("Guangdong")
    GUANGXI = "45", _("Guangxi")
    HAINAN = "46", _("Hainan")
    CHONGQING = "50", _("Chongqing")
    SICHUAN = "51", _("Sichuan")
    GUIZHOU = "52", _("Guizhou")
    YUNNAN = "53", _("Yunnan")
    TIBET = "54", _("Tibet")
    SHAANXI = "61", _("Shaanxi")
    GANSU = "62", _("Gansu")
    QINGHAI = "63", _("Qinghai")
    NINGXIA = "64", _("Ningxia")
    XINJIANG = "65", _("Xinjiang")
    TAIWAN = "71", _("Taiwan")
    HONG_KONG = "81", _("Hong Kong")
    MACAO = "82", _("Macao")
