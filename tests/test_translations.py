"""The Simplified Chinese catalogue is complete, keeps every placeholder, and is compiled."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
BRACE = re.compile(r"\{[a-z_]*(?::[^}]*)?\}")
PERCENT = re.compile(r"%\([a-z_]+\)[sd]")

pytestmark = pytest.mark.smoke


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(CATALOGUE / "django.po"))


def _texts(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_every_message_has_a_chinese_translation(po: polib.POFile) -> None:
    untranslated = [e.msgid for e in po if not e.obsolete and not all(_texts(e))]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_translations_keep_every_placeholder(po: polib.POFile) -> None:
    """A plural entry's forms follow its plural source ("One item" has no counter; Chinese has one form)."""
    broken = []
    for entry in po:
        for pattern in (BRACE, PERCENT):
            wanted = [sorted(pattern.findall(entry.msgid))]
            if entry.msgid_plural:
                wanted.append(sorted(pattern.findall(entry.msgid_plural)))
            for text in _texts(entry):
                if sorted(pattern.findall(text)) not in wanted:
                    broken.append((entry.msgid, text))
    assert broken == []


def test_the_compiled_catalogue_matches_the_sources(po: polib.POFile) -> None:
    """``make messages`` compiles django.mo; a .po edited without recompiling fails here."""
    compiled = {(e.msgid, e.msgstr) for e in polib.mofile(str(CATALOGUE / "django.mo")) if not e.msgid_plural}
    source = {(e.msgid, e.msgstr) for e in po if not e.obsolete and not e.msgid_plural and e.msgstr}
    assert source - compiled == set()


def test_the_public_directory_speaks_chinese_by_default(client_for) -> None:
    response = client_for(None, language="zh-hans").get("/directory/")
    assert '<html lang="zh-hans"' in response.content.decode()
    assert "获认可机构公开名录" in response.content.decode()
