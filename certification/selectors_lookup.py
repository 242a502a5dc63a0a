"""The public certificate lookup: one search box over millions of CB-issued certificates.

What was typed decides the search, so each one is answered by the index made for it
(``migrations/0003_lookup_indexes``):

- an 18-character valid unified social credit code: the entity's ``credit_code``, exactly;
- a text of letters and digits with at least one digit and no CJK character: a certificate
  number, exactly and ignoring case (``UPPER(certificate_number)``);
- anything else of at least ``MIN_NAME_FRAGMENT`` characters: a fragment of the entity's name
  (Chinese, case-sensitive) or, when the text is ASCII, of its English name (``icontains``, through
  its trigram index). On PostgreSQL the name goes through the character-pair index
  (``certification_bigrams``): a fragment's pairs, each in the index, then side by side in the name.
  A selective fragment's entities are read first, a broad one's certificates walked in page order
  (see ``_matching``).

Results come in a stable order, entity then certificate id, one page at a time: the cursor is the
last row's (entity id, id) and the next page starts after it (keyset pagination; an ``OFFSET``
deep into a broad term would read every row before it). Broad terms get no exact count: counting
stops at ``COUNT_CAP`` and the page says "more than". The public never sees a draft.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from django.contrib.postgres.fields import ArrayField
from django.db import connection, transaction
from django.db.models import F, ForeignKey, Func, Lookup, Q, QuerySet, TextField, Value
from django.db.models.functions import StrIndex
from django.utils.translation import gettext_lazy as _

from accreditation.validators import CREDIT_CODE_ALPHABET, credit_code_problem, normalise_credit_code
from certification.choices import CertificateStatus
from certification.models import CertifiedEntity, IssuedCertificate
from core.errors import DomainError

MIN_NAME_FRAGMENT = 2
PAGE_SIZE = 20
#: Counting stops here: "more than 100" is all a visitor needs to know about a broad term, and
#: counting stays as cheap as reading five pages (a cap of 1,000 costs a broad term ten times more).
COUNT_CAP = 100
MAX_QUERY_LENGTH = 100
#: A name fragment matching at most this many entities is selective: their certificates are read
#: by entity. More, and the fragment is broad: certificates are walked in page order. Reading by
#: entity costs in proportion to the matches, the walk in inverse proportion (it stops after a
#: page): at 10 million certificates and 5.6 million entities they cost the same near 3,000 (山宇,
#: 2,191 entities: 58 ms walked, 30 ms by entity; 州华, 9,535: 36 ms walked, 93 ms by entity).
SELECTIVE_ENTITIES = 3000
#: A fragment the planner expects in more entities than this is not even tried as selective.
BROAD_ENTITIES = 20_000

Kind = Literal["", "number", "credit_code", "name"]
#: The statuses a visitor may filter by and see: everything but a draft.
PUBLIC_STATUSES = [value for value in CertificateStatus.values if value != CertificateStatus.DRAFT]
_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/.()]*$")
_CURSOR = re.compile(r"^(\d{1,18})-(\d{1,18})$")


@ForeignKey.register_lookup
class AnyOf(Lookup):
    """``column = ANY(%s)`` with the list as one array parameter (PostgreSQL only)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]


class Bigrams(Func):
    """``certification_bigrams(text)``: the overlapping character pairs of a name (PostgreSQL only)."""

    function = "certification_bigrams"
    output_field = ArrayField(TextField())


@dataclass(frozen=True)
class Recognised:
    """What the search box's text was taken for, and the text normalised for that search."""

    kind: Kind
    text: str


@dataclass
class LookupPage:
    """One page of results, where the next one starts, and how many there are (up to the cap)."""

    recognised: Recognised
    certificates: list[IssuedCertificate] = field(default_factory=list)
    next_cursor: str = ""
    count: int = 0

    @property
    def count_is_capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def shown_count(self) -> int:
        return min(self.count, COUNT_CAP)


def has_cjk(text: str) -> bool:
    return any(unicodedata.east_asian_width(char) in "WF" for char in text)


def recognise(q: str) -> Recognised:
    """Take the box's text for a credit code, a certificate number or a name fragment.

    Refuses a name fragment shorter than ``MIN_NAME_FRAGMENT`` (``query_too_short``): one character
    matches a good part of every register.
    """
    text = " ".join(q.split())
    if not text:
        return Recognised("", "")
    code = normalise_credit_code(text)
    if len(code) == 18 and credit_code_problem(code) is None:
        return Recognised("credit_code", code)
    if not has_cjk(text) and _NUMBER.match(text) and any(char.isdigit() for char in text):
        if len(code) == 18 and all(char in CREDIT_CODE_ALPHABET for char in code) and code[2:8].isdigit():
            # Shaped like a credit code but failing its check: say so rather than search for a number.
            raise DomainError("credit_code_invalid", credit_code_problem(code) or "", detail={"q": text})
        return Recognised("number", text.upper())
    if len(text) < MIN_NAME_FRAGMENT:
        raise DomainError(
            "query_too_short",
            _("Type at least {count} characters: one character matches too many certificates.").format(
                count=MIN_NAME_FRAGMENT
            ),
            detail={"q": text},
        )
    return Recognised("name", text)


def public_certificate_qs() -> QuerySet[IssuedCertificate]:
    """Certificates the public may see: every one a CB reported, except drafts."""
    return IssuedCertificate.objects.exclude(status=CertificateStatus.DRAFT).select_related("entity", "cb")


def public_certificate_detail_qs() -> QuerySet[IssuedCertificate]:
    """The same, with what a certificate's page shows: sites, status history, the covering accreditation."""
    return (
        public_certificate_qs().select_related("accreditation__programme").prefetch_related("sites", "status_changes")
    )


def name_pairs(text: str) -> list[str]:
    """The overlapping character pairs of ``text``, each once, in order."""
    return list(dict.fromkeys(text[index : index + 2] for index in range(len(text) - 1)))


def _entities_named(text: str) -> QuerySet[CertifiedEntity]:
    """The entities whose name (or, for ASCII text, English name) holds ``text``, in no order.

    On PostgreSQL a fragment of the name is looked up by its character pairs in the pair index, and
    ``STRPOS`` keeps only the names that hold the pairs side by side. The planner estimates the
    pairs from the index's statistics of common pairs, so a broad fragment (有限, 限公司) is seen as
    broad and a selective one (坚嘉, 西安坚嘉生物) as selective.
    """
    entities = CertifiedEntity.objects.order_by()
    if connection.vendor == "postgresql":
        entities = entities.alias(pairs=Bigrams(F("name")), name_at=StrIndex(F("name"), Value(text)))
        matches = Q(pairs__contains=name_pairs(text), name_at__gt=0)
    else:
        matches = Q(name__contains=text)
    if text.isascii():
        matches |= Q(english_name__icontains=text)
    return entities.filter(matches)


def _matching(certificates: QuerySet[IssuedCertificate], recognised: Recognised) -> QuerySet[IssuedCertificate]:
    text = recognised.text
    if recognised.kind == "credit_code":
        return certificates.filter(entity__credit_code=text)
    if recognised.kind == "number":
        return certificates.filter(certificate_number__iexact=text)
    # A name fragment. Unless the planner expects it in more than ``BROAD_ENTITIES`` entities, up
    # to ``SELECTIVE_ENTITIES`` matching entities are first read from the index without an order,
    # and the certificates of that short list are read in page order. A fragment with more matches
    # is broad: the certificates are walked in page order, and the walk stops after one page, soon,
    # because matches are everywhere. (Asked in one statement, the planner walks in order for a
    # rare fragment too, and may read millions of rows to find a handful.)
    named = _entities_named(text)
    if estimated_rows(named) <= BROAD_ENTITIES:
        entity_ids = list(named.values_list("pk", flat=True)[: SELECTIVE_ENTITIES + 1])
        if len(entity_ids) <= SELECTIVE_ENTITIES:
            if connection.vendor == "postgresql":
                # One array parameter, not thousands of IN parameters for Django to resolve and
                # psycopg to splice into the text, twice (count and page): 20 ms less at 2,000.
                return certificates.filter(entity_id__any_of=entity_ids)
            return certificates.filter(entity_id__in=entity_ids)
    return certificates.filter(entity__in=named)


def estimated_rows(queryset: QuerySet[CertifiedEntity]) -> int:
    """The planner's estimate of the rows ``queryset`` holds (PostgreSQL), from the index statistics.

    Reading a common fragment's entities through the pair index costs far more than walking in
    order (its posting list holds hundreds of thousands of rows, rechecked page by page), so a
    fragment estimated broad skips that read. Elsewhere 0: the small databases read every time.
    """
    if connection.vendor != "postgresql":
        return 0
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def parse_cursor(cursor: str) -> tuple[int, int] | None:
    if not cursor:
        return None
    found = _CURSOR.match(cursor)
    if found is None:
        raise DomainError("cursor_invalid", _("This page link is not valid; start the search again."))
    return int(found[1]), int(found[2])


def make_cursor(certificate: IssuedCertificate) -> str:
    return f"{certificate.entity_id}-{certificate.pk}"


def certificate_search(
    *, q: str, status: str = "", standard: str = "", cb: int | None = None, province: str = ""
) -> tuple[Recognised, QuerySet[IssuedCertificate]]:
    """What the text was taken for, and the matching public certificates in (entity, id) order."""
    recognised = recognise(q[:MAX_QUERY_LENGTH])
    certificates = public_certificate_qs()
    if recognised.kind:
        certificates = _matching(certificates, recognised)
    if status:
        certificates = certificates.filter(status=status)
    if standard:
        if connection.vendor == "postgresql":
            certificates = certificates.filter(standards__contains=[standard])
        else:
            certificates = certificates.filter(standards__icontains=json.dumps(standard))
    if cb is not None:
        certificates = certificates.filter(cb_id=cb)
    if province:
        certificates = certificates.filter(entity__province=province)
    return recognised, certificates.order_by("entity_id", "pk")


@contextlib.contextmanager
def _serial_plans() -> Iterator[None]:
    """The lookup's statements planned without parallel workers (PostgreSQL), in one transaction.

    Every plan here reads a handful of index pages, so parallel workers buy nothing, and on a busy
    web server they compete with the other requests for the cores. Worse, a fragment the planner
    misjudges as rare enough for an ordered walk (山宇: estimated in 556 entities, found in 2,191)
    got a parallel walk whose Gather Merge waited for every worker to find a match: 330 ms, where
    the same walk alone takes 30 ms (bench/load_lookup.py's per-kind breakdown found it as the p99).
    """
    if connection.vendor != "postgresql":
        yield
        return
    nested = connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('max_parallel_workers_per_gather'), "
                "set_config('max_parallel_workers_per_gather', '0', true)"
            )
            before = cursor.fetchone()[0]
        yield
        if nested:
            # Inside a caller's transaction the setting would outlive the lookup: give it back.
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('max_parallel_workers_per_gather', %s, true)", [before])


def certificate_lookup(
    *,
    q: str,
    status: str = "",
    standard: str = "",
    cb: int | None = None,
    province: str = "",
    cursor: str = "",
    page_size: int = PAGE_SIZE,
) -> LookupPage:
    """One page of the public lookup after ``cursor``; an empty search (no text, no filter) finds nothing.

    Raises ``DomainError`` for a one-character name fragment, a credit code with a wrong check
    character, or a cursor that is not one this function made.
    """
    after = parse_cursor(cursor)
    with _serial_plans():
        recognised, certificates = certificate_search(q=q, status=status, standard=standard, cb=cb, province=province)
        page = LookupPage(recognised=recognised)
        if not recognised.kind and not (standard or cb is not None or province):
            # A bare status filter would list millions: a search needs text, a standard, a CB or a province.
            return page
        # In the page's order, so that a broad term is counted by the same early-stopping walk.
        page.count = certificates.values("pk")[: COUNT_CAP + 1].count()
        if after is not None:
            entity_id, pk = after
            certificates = certificates.filter(
                Q(entity_id__gte=entity_id) & (Q(entity_id__gt=entity_id) | Q(pk__gt=pk))
            )
        rows = list(certificates[: page_size + 1])
    page.certificates = rows[:page_size]
    if len(rows) > page_size:
        page.next_cursor = make_cursor(page.certificates[-1])
    return page
    if after is not None:
        entity_id, pk = after
        following = certificates.filter(Q(entity_id__gte=entity_id) & (Q(entity_id__gt=entity_id) | Q(pk__gt=pk)))
    else:
        following = certificates
    with _serial_plans():
        # In the page's order, so that a broad term is counted by the same early-stopping walk.
        page.count = certificates.values("pk")[: COUNT_CAP + 1].count()
        rows = list(following[: page_size + 1])
    page.certificates = rows[:page_size]
    if len(rows) > page_size:
        page.next_cursor = make_cursor(page.certificates[-1])
    return page
