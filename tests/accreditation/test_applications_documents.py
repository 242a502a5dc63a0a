"""Documents attached to applications: allowed types by name and by content, size, stored names.

Chen is a plain member of ``cab``; ``accreditation`` is ``cab`` accredited under CL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accreditation.models import Accreditation, Application, ApplicationDocument, Cab
from accreditation.services.applications import application_attach_document, application_remove_document
from accreditation.uploads import sanitised_label
from core.errors import DomainError, StateConflict
from core.models import User
from tests.accreditation.applications_helpers import (
    JPG,
    PDF,
    PNG,
    draft_extension,
    media,
    nothing_changes,
    office_file,
    pdf,
    submitted_extension,
)

__all__ = ["media"]


@pytest.fixture
def draft(cab: Cab, cab_user: User, accreditation: Accreditation) -> Application:
    return draft_extension(cab, accreditation, cab_user, complete=False)


def stored_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("form.pdf", PDF),
        ("手册.docx", office_file("word/")),
        ("records.xlsx", office_file("xl/")),
        ("chart.jpg", JPG),
        ("chart.JPEG", JPG),
        ("chart.png", PNG),
    ],
)
def test_each_allowed_type_is_stored_under_a_generated_name(
    draft: Application, cab_user: User, media: Path, name: str, content: bytes
) -> None:
    document = application_attach_document(
        application=draft, actor=cab_user, kind="other", upload=SimpleUploadedFile(name, content)
    )

    extension = name.rsplit(".", 1)[1].lower()
    folder, stored = document.file.name.rsplit("/", 1)
    assert folder == f"applications/{draft.pk}"
    assert len(stored) == 32 + 1 + len(extension) and stored.endswith(f".{extension}")
    assert (document.label, document.size, document.uploaded_by) == (name, len(content), cab_user)
    assert (media / document.file.name).read_bytes() == content


def test_a_path_traversal_name_is_only_a_label_and_never_a_path(
    draft: Application, cab_user: User, media: Path
) -> None:
    document = application_attach_document(
        application=draft, actor=cab_user, kind="other", upload=pdf("../../etc/passwd\x00<x>.pdf")
    )

    assert document.label == "passwd__x_.pdf"
    assert stored_files(media) == [document.file.name]
    assert ".." not in document.file.name


def test_a_windows_path_keeps_only_its_last_part() -> None:
    assert sanitised_label("C:\\Users\\陈\\质量手册.pdf") == "质量手册.pdf"
    assert sanitised_label("..") == "document"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("form.pdf", PNG),
        ("manual.docx", PDF),
        ("manual.docx", office_file("xl/")),
        ("chart.png", b"GIF89a" + b"\x00" * 10),
        ("records.xlsx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_a_file_whose_content_does_not_match_its_type_is_refused(
    draft: Application, cab_user: User, media: Path, name: str, content: bytes
) -> None:
    with nothing_changes(media), pytest.raises(DomainError) as refused:
        application_attach_document(
            application=draft, actor=cab_user, kind="other", upload=SimpleUploadedFile(name, content)
        )

    assert refused.value.code == "file_content_mismatch"


@pytest.mark.parametrize("name", ["script.exe", "page.html", "archive.zip", "noextension", "form.pdf.exe"])
def test_a_type_outside_the_list_is_refused_by_its_name(
    draft: Application, cab_user: User, media: Path, name: str
) -> None:
    with nothing_changes(media), pytest.raises(DomainError) as refused:
        application_attach_document(application=draft, actor=cab_user, kind="other", upload=pdf(name))

    assert (refused.value.code, refused.value.detail) == (
        "file_type_not_allowed",
        {"allowed": ["pdf", "docx", "xlsx", "jpg", "jpeg", "png"]},
    )


def test_a_file_over_the_size_limit_is_refused(draft: Application, cab_user: User, media: Path, settings: Any) -> None:
    settings.APPLICATION_DOCUMENT_MAX_BYTES = 1024

    with nothing_changes(media), pytest.raises(DomainError) as refused:
        application_attach_document(
            application=draft, actor=cab_user, kind="other", upload=pdf(content=PDF + b"0" * 1024)
        )

    assert (refused.value.code, refused.value.detail) == ("file_too_large", {"size": len(PDF) + 1024, "limit": 1024})


def test_the_default_limit_is_twenty_megabytes(draft: Application, cab_user: User, media: Path) -> None:
    big = pdf(content=PDF + b"0" * (20 * 1024 * 1024 - len(PDF) + 1))

    with nothing_changes(media), pytest.raises(DomainError) as refused:
        application_attach_document(application=draft, actor=cab_user, kind="other", upload=big)

    assert refused.value.code == "file_too_large"


def test_an_empty_file_is_refused(draft: Application, cab_user: User, media: Path) -> None:
    with nothing_changes(media), pytest.raises(DomainError) as refused:
        application_attach_document(application=draft, actor=cab_user, kind="other", upload=pdf(content=b""))

    assert refused.value.code == "empty_file"


def test_an_unknown_kind_is_refused(draft: Application, cab_user: User, media: Path) -> None:
    with nothing_changes(media), pytest.raises(DomainError) as refused:
        application_attach_document(application=draft, actor=cab_user, kind="selfie", upload=pdf())

    assert refused.value.code == "invalid_document_kind"


def test_removing_a_document_deletes_its_row_and_its_file(
    draft: Application, cab_user: User, media: Path, django_capture_on_commit_callbacks: object
) -> None:
    document = application_attach_document(application=draft, actor=cab_user, kind="other", upload=pdf())

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        application_remove_document(document=document, actor=cab_user)

    assert (ApplicationDocument.objects.count(), stored_files(media)) == (0, [])


def test_documents_of_a_submitted_application_cannot_change(
    cab: Cab, cab_user: User, accreditation: Accreditation, media: Path
) -> None:
    application = submitted_extension(cab, accreditation, cab_user)

    with nothing_changes(media), pytest.raises(StateConflict) as refused:
        application_attach_document(application=application, actor=cab_user, kind="other", upload=pdf())

    assert refused.value.code == "not_editable"
