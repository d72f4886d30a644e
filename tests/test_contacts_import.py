"""The guest's .vcf as phones and one-contact-per-file address books read it: every card has a UID, people have
their family name, given names and title or rank in their own fields, desks and places are organisations, and
fixed lines are typed as work voice. Imported into khard (Debian's), which refuses cards without a UID."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from build_tools.fieldkit.contacts import vcards
from build_tools.fieldkit.names import PersonName, split_name
from build_tools.profiles import Profile
from build_tools.project import load_project

from conftest import REPO

CARD = re.compile(r"BEGIN:VCARD\r\n.*?END:VCARD\r\n", re.S)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("คุณสมชาย ใจดี (Mr. Somchai Jaidee)", PersonName("Jaidee", "Somchai", "Mr.")),
        ("ร.ต.อ. อารักษ์ มั่นคง (Pol. Capt. Arak Mankhong)", PersonName("Mankhong", "Arak", "Pol. Capt.")),
        ("H.E. Dr. Hiroshi Tanaka", PersonName("Tanaka", "Hiroshi", "H.E. Dr.")),
        ("ด.ต. นำทาง ฉับไว", PersonName("ฉับไว", "นำทาง", "ด.ต.")),
        ("คุณมาลี ดีใจ", PersonName("ดีใจ", "มาลี", "คุณ")),
        ("Yuki Tanaka", PersonName("Tanaka", "Yuki", "")),
        ("Madonna", PersonName("Madonna", "", "")),
    ],
)
def test_names_split_into_family_given_and_title(written: str, expected: PersonName) -> None:
    assert split_name(written) == expected


@pytest.fixture(scope="module")
def cards() -> dict[str, list[str]]:
    project, problems = load_project(REPO, REPO / "content", REPO / "guests", Profile.FULL)
    assert project is not None, problems
    return {view.id: CARD.findall(vcards(view)) for view in project.views}


def test_every_card_has_a_unique_uid_and_typed_numbers(cards: dict[str, list[str]]) -> None:
    uids = [re.search(r"^UID:(.+)\r$", card, re.M).group(1) for found in cards.values() for card in found]
    assert len(uids) == len(set(uids)) == sum(len(found) for found in cards.values())
    tanaka = "".join(cards["jp-tanaka"])
    assert "N:Mankhong;Arak;;Pol. Capt.;\r\n" in tanaka, "the protective police officer: family, given, rank"
    assert "N:;;;;\r\nORG:ศูนย์ยานพาหนะ (Transport desk)" in tanaka, "a desk is an organisation"
    assert re.search(r"^TEL;TYPE=WORK,VOICE:\+66 2 000 1000\r$", tanaka, re.M), "the hotel's switchboard is a fixed line"
    assert re.search(r"^TEL;TYPE=CELL:\+66 82 000 1001\r$", tanaka, re.M), "the driver's mobile"


@pytest.mark.skipif(shutil.which("khard") is None, reason="khard is not installed (make test-tools)")
def test_khard_loads_every_card_and_sorts_people_by_family_name(cards: dict[str, list[str]], tmp_path: Path) -> None:
    book = tmp_path / "book"
    book.mkdir()
    for number, card in enumerate(cards["jp-tanaka"]):
        (book / f"{number}.vcf").write_bytes(card.encode("utf-8"))
    config = tmp_path / "khard.conf"
    config.write_text(
        f"[addressbooks]\n[[lo]]\npath = {book}\n\n[general]\ndefault_action = list\neditor = /bin/true\n"
        "merge_editor = /bin/true\n\n[contact table]\ndisplay = last_name\nsort = last_name\n",
        encoding="utf-8",
    )
    listed = subprocess.run(["khard", "-c", str(config), "list"], capture_output=True, text=True, check=True).stdout
    rows = [line for line in listed.splitlines() if re.match(r"^\d+\s", line)]
    assert len(rows) == len(cards["jp-tanaka"]), listed
    people = [re.match(r"^\d+\s+(\S+), ", row).group(1) for row in rows if re.match(r"^\d+\s+[A-Za-z]+, ", row)]
    assert "Mankhong" in people and "Sato" in people
    assert people == sorted(people, key=str.lower)
