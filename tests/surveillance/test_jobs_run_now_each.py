"""The "Run now" button starts each registered daily job, not only some of them."""

from __future__ import annotations

from typing import Any

import pytest

from core.models import User
from surveillance.jobs import registered_jobs
from surveillance.models import JobRun

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("job", registered_jobs())
def test_run_now_starts_each_registered_job(client_for: Any, secretariat: User, job: str) -> None:
    response = client_for(secretariat).post(f"/supervision/jobs/{job}/run/")

    assert response.status_code == 302
    assert list(JobRun.objects.values_list("job", flat=True)) == [job]
