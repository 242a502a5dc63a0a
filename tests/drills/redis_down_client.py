"""Pages used in a process whose broker is down (run by ``test_redis_down.py``; not a test module).

``python -m tests.drills.redis_down_client <username> <cb id> <csv file>``, with ``REDIS_URL``
naming a closed port and ``CELERY_TASK_ALWAYS_EAGER=0``: the CB member ``username`` uploads the
file through the upload page, and a visitor sends a complaint through the public form. Both
pages enqueue Celery tasks after their change commits. Writes the answers as one JSON object on
stdout, for the test to read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(username: str, cb_id: str, csv_path: str) -> dict[str, object]:
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import setup_test_environment

    from core.models import User

    setup_test_environment()  # the test client's host name, and e-mails kept in memory
    clerk = Client(HTTP_ACCEPT_LANGUAGE="en")
    clerk.force_login(User.objects.get(username=username))
    upload = clerk.post(
        "/certificate-uploads/new/",
        {"cb": cb_id, "file": SimpleUploadedFile("certificates.csv", Path(csv_path).read_bytes())},
    )
    visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
    complaint = visitor.post(
        "/complaints/new/",
        {
            "kind": "fake_certificate",
            "certificate_number": "00124Q99999R0M",
            "subject": "证书疑似伪造",
            "description": "供应商出示的证书查不到。",
            "complainant_name": "王芳",
            "complainant_email": "wang.fang@example.cn",
            "complainant_phone": "",
            "website": "",
        },
    )
    lookup = visitor.get("/certificates/", {"q": "华建"})
    return {
        "upload": [upload.status_code, upload.get("Location", "")],
        "complaint": [complaint.status_code, complaint.get("Location", "")],
        "lookup": lookup.status_code,
    }


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main(*sys.argv[1:4])) + "\n")
