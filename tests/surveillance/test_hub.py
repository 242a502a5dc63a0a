"""The supervision hub leads staff to every supervision tool, each of which opens for them."""

from __future__ import annotations

from typing import Any

import pytest

from core.models import User
from surveillance.views_hub import TOOLS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["secretariat", "decision_maker"])
def test_every_tool_on_the_hub_opens_for_the_staff_who_see_it(client_for: Any, persona: str, request: Any) -> None:
    user: User = request.getfixturevalue(persona)
    client = client_for(user)

    hub = client.get("/supervision/")

    assert hub.status_code == 200
    links = [url for _tool, url in hub.context["tools"]]
    assert len(links) == len(TOOLS)
    for url in links:
        assert client.get(url).status_code == 200, url


def test_the_menu_leads_staff_to_the_hub_and_a_cab_user_is_refused(
    client_for: Any, secretariat: User, cab_admin: User
) -> None:
    assert 'href="/supervision/"' in client_for(secretariat).get("/work/").content.decode()
    assert client_for(cab_admin).get("/supervision/").status_code == 403
