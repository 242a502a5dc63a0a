"""What the application tests share: files of each type, and applications made ready for a move."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accreditation.choices_applications import REQUIRED_DOCUMENTS, ApplicationType
from accreditation.models import (
    Accreditation,
    Application,
    ApplicationDocument,
    ApplicationScopeItem,
    Cab,
    Programme,
)
from accreditation.services.applications import (
    application_add_item,
    application_attach_document,
    application_create,
    application_submit,
)
from core.models import User
from tests.accreditation.service_assertions import register_snapshot
from tests.conftest import LAB_ITEM

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
NEW_ITEM = {**LAB_ITEM, "parameter": "过氧化值", "method": "GB 5009.227-2016"}


def office_file(part: str) -> bytes:
    """A minimal Office Open XML package: ``word/`` for .docx, ``xl/`` for .xlsx."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{part}document.xml", "<doc/>")
    return buffer.getvalue()


def pdf(name: str = "application-form.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def attach_required(application: Application, actor: User) -> None:
    for kind in REQUIRED_DOCUMENTS[application.type]:
        application_attach_document(application=application, actor=actor, kind=kind, upload=pdf(f"{kind}.pdf"))


def draft_extension(cab: Cab, accreditation: Accreditation, actor: User, *, complete: bool = True) -> Application:
    application = application_create(
        cab=cab, programme=accreditation.programme, type=ApplicationType.EXTENSION, actor=actor
    )
    if complete:
        application_add_item(application=application, actor=actor, attributes=NEW_ITEM)
        attach_required(application, actor)
    return application


def submitted_extension(cab: Cab, accreditation: Accreditation, actor: User) -> Application:
    return application_submit(application=draft_extension(cab, accreditation, actor), actor=actor)


MS_ITEM = {"standard": "ISO 9001:2015", "sectors": ["IAF 28"]}


def draft_initial(
    cab: Cab, programme: Programme, actor: User, *, complete: bool = True, item: dict[str, Any] | None = None
) -> Application:
    application = application_create(cab=cab, programme=programme, type=ApplicationType.INITIAL, actor=actor)
    if complete:
        application_add_item(application=application, actor=actor, attributes=item or NEW_ITEM)
        attach_required(application, actor)
    return application


_APPLICATION_TABLES = (Application, ApplicationScopeItem, ApplicationDocument)


def _snapshot(media_root: Path | None) -> dict[str, Any]:
    snapshot: dict[str, Any] = register_snapshot()
    for model in _APPLICATION_TABLES:
        snapshot[model._meta.label] = list(model._default_manager.order_by("pk").values())
    if media_root is not None:
        snapshot["files"] = sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file())
    return snapshot


@contextmanager
def nothing_changes(media_root: Path | None = None) -> Iterator[None]:
    """Around a refused call: every register and application table, and the stored files, as before."""
    before = _snapshot(media_root)
    yield
    after = _snapshot(media_root)
    for label, rows in before.items():
        assert after[label] == rows, f"{label} changed"
