"""Per-LO bundles, read back as an attacker with a lost tablet would: every byte of every bundle scanned for sensitive
values; the PDFs opened with each password; the locked page opened in Chromium before and after the password.

The bundles are built once for the module with the real CLI (the engine, WeasyPrint, pikepdf) in a copy of the
project, with the event secret in the test's own folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest
import thai_passages
from sensitive_values import found_in, sensitive_leaves

from build_tools.bundles.lock import page_key, unseal
from build_tools.bundles.membership import bundles
from build_tools.bundles.secret import event_secret, password, salt
from build_tools.profiles import Profile
from build_tools.project import Project, load_project

from app_support import ServedSite
from browser_support import chromium, chromium_available, file_url, watched_context
from conftest import REPO, copy_project, run_cli

THIRD_PARTY = ("assets/javascripts/lunr/", "assets/javascripts/bundle.", "assets/javascripts/workers/")
ANY_SEALED = re.compile(r'<script type="application/octet-stream"[^>]*>[A-Za-z0-9+/=]*</script>')
SEALED = re.compile(r'<script type="application/octet-stream" id="lo-locked"[^>]*>([^<]*)</script>')


#: The guests the bundles are built for: a spouse with an LO of her own who is also the backup LO (jp-tanaka), notes in
#: Markdown beside the record (il-mizrahi, my-fadzrul), Hebrew and Malay names. Every LO's bundle of the sample is the
#: same case (one guest, escorted or backed up), and each one built cost about 11 s of CPU: the sample's eighteen LOs
#: made the fixture take minutes.
BUNDLED_GUESTS = ("jp-tanaka", "il-mizrahi", "my-fadzrul")


def _with_guests(root: Path, kept: tuple[str, ...]) -> Path:
    """Leave only the ``kept`` guests in the project at ``root``, and in its event only their LOs."""
    project, diagnostics = load_project(root, root / "content", root / "guests", Profile.FULL)
    assert project is not None, diagnostics
    records = {r.id: r.guest for r in project.loaded.guests}
    assert set(kept) < set(records)
    needed = {lo for guest in kept for lo in (records[guest].lo, records[guest].backup_lo,
                                              records[guest].spouse.lo if records[guest].spouse else None) if lo}
    for path in (root / "guests").glob("*.*"):
        if not path.name.startswith("_") and path.stem not in kept:
            path.unlink()
    event = root / "guests" / "_event.yml"
    text = event.read_text(encoding="utf-8")
    for lo in project.loaded.event.los:
        if lo.id not in needed:
            text, removed = re.subn(rf"  - id: {re.escape(lo.id)}\n(?:    .*\n)*", "", text)
            assert removed == 1, lo.id
    event.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, sample_site: Path) -> tuple[Path, Path, Project]:
    """(the project copy, its bundles folder, the loaded full project).

    The copy carries the sample's published version and the sample is built first: the orientation handbook and the
    three guests' documents are then the sample's, from the session's PDF cache (a copy without ``published/`` stamps
    every document a draft of today and renders all of them again); the coordinators' boards are rendered.

    As the README says to: `make build`, then `make bundles`, which seals from the site just built (``full_site``);
    ``test_a_second_run…`` makes bundles whose run builds its own full site."""
    root = _with_guests(copy_project(tmp_path_factory.mktemp("bundles") / "project"), BUNDLED_GUESTS)
    shutil.copytree(REPO / "published", root / "published")
    secret_file = root.parent / "secret" / "event.key"
    built_site = run_cli("build", cwd=root)
    assert built_site.returncode == 0, built_site.stderr
    result = run_cli("bundles", "--out", str(root / "bundles"), cwd=root, env={"LO_SECRET_FILE": str(secret_file)})
    assert result.returncode == 0, result.stderr
    assert f"Sealing from the site built in {root / 'site'}/" in result.stderr
    assert secret_file.stat().st_mode & 0o777 == 0o600
    project, diagnostics = load_project(root, root / "content", root / "guests", Profile.FULL)
    assert project is not None, diagnostics
    assert [r.id for r in project.loaded.guests] == sorted(BUNDLED_GUESTS)
    assert 1 < len(project.loaded.event.los) < 2 * len(BUNDLED_GUESTS) + 1
    return root, root / "bundles", project


def _secret(root: Path) -> bytes:
    os.environ["LO_SECRET_FILE"] = str(root.parent / "secret" / "event.key")
    try:
        return event_secret(root)
    finally:
        del os.environ["LO_SECRET_FILE"]


def _members(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as opened:
        return {name.removeprefix("lo-briefing/"): opened.read(name) for name in opened.namelist()}


def _pdf_text(data: bytes, password: str | None = None) -> str:
    """The text a viewer extracts: PDFium's (Chrome, Android), which reads these handbooks ten times faster than
    poppler."""
    return thai_passages.pdfium_text(data, password=password)


def test_one_bundle_per_lo_and_one_for_the_coordinators(built: tuple[Path, Path, Project]) -> None:
    root, out, project = built
    expected = bundles(project.loaded.event, project.loaded.guests)
    assert sorted(p.name for p in out.iterdir()) == sorted([*(f"{b.id}.zip" for b in expected), ".bundles.json"])
    assert len(expected) == len(project.loaded.event.los) + 1
    for bundle in expected:
        members = _members(out / f"{bundle.id}.zip")
        pages = {name.removeprefix("guests/").removesuffix(".html") for name in members
                 if name.startswith("guests/") and name.count("/") == 1 and name.endswith(".html")} - {"index", "changes"}
        assert pages == set(bundle.guests), bundle.id
        assert "index.html" in members and "emergencies/index.html" in members and "pdf/orientation.pdf" in members
        assert ("guests/boards/index.html" in members) == (bundle.id == "coordinators")  # boards: across all guests
        assert "sw.js" in members and "manifest.webmanifest" in members  # the installable offline app
        for guest in bundle.guests:
            for path in (f"pdf/guest-{guest}.pdf", f"pdf/card-{guest}.pdf", f"pdf/runsheet-{guest}.pdf", f"kit/{guest}.ics"):
                assert path in members, (bundle.id, path)


def test_no_sensitive_value_of_any_guest_sits_in_plain_text_in_any_bundle(built: tuple[Path, Path, Project], tmp_path: Path) -> None:
    """Every member of every zip: text as it is, unencrypted PDFs through pdftotext, encrypted ones as their bytes.
    A member with the same bytes as one already scanned (a knowledge page in every bundle) is not scanned again."""
    root, out, project = built
    secrets = sensitive_leaves(project.loaded.event)
    for record in project.loaded.guests:
        secrets |= sensitive_leaves(record.guest)
    assert len(secrets) > 50 and any(s.startswith("+66") for s in secrets)
    long_secrets = {s for s in secrets if not (s.isdigit() and len(s) < 6)}
    scanned: set[bytes] = set()
    members = 0
    for archive in sorted(out.glob("*.zip")):
        for name, data in _members(archive).items():
            if name.startswith(THIRD_PARTY):  # Material's own scripts, the same bytes in every build (numbers in code)
                continue
            members += 1
            digest = hashlib.sha256(name.rsplit(".", 1)[-1].encode() + b"\0" + data).digest()
            if digest in scanned:
                continue
            scanned.add(digest)
            checked = secrets
            if name.endswith(".pdf") and b"/Encrypt" in data:  # opens with the password only; its bytes ciphertext
                with pytest.raises(pikepdf.PasswordError):
                    pikepdf.open(_write(tmp_path, data))
                text = data.decode("latin-1")  # (short numbers match the file's own offsets and lengths by chance)
                checked = long_secrets
            elif name.endswith(".pdf"):  # an unencrypted PDF as the text a viewer extracts
                text = _pdf_text(data)
            else:  # sealed blobs are ciphertext (base64 has digit runs by chance); what they hold: see the next test
                text = ANY_SEALED.sub("", data.decode("utf-8", errors="replace"))
            found = found_in(text, checked)
            assert found == [], f"{archive.name}:{name} holds {found[:5]}"
    # the scan looked at real bundles: over a hundred members each (the sample's nineteen bundles had over 1000 in all)
    assert members > 100 * len(list(out.glob("*.zip"))) and len(scanned) > 200, (members, len(scanned))


def test_each_bundle_unlocks_with_its_own_password_only_and_holds_its_guests_complete(
    built: tuple[Path, Path, Project], tmp_path: Path
) -> None:
    root, out, project = built
    secret = _secret(root)
    records = {r.id: r for r in project.loaded.guests}
    wanted = bundles(project.loaded.event, project.loaded.guests)
    passwords = {b.id: password(secret, b.id) for b in wanted}
    assert len(set(passwords.values())) == len(passwords)
    for bundle in wanted[:3] + wanted[-1:]:  # three LOs and the coordinators (every bundle is scanned above)
        members = _members(out / f"{bundle.id}.zip")
        other = next(p for b, p in passwords.items() if b != bundle.id)
        key = page_key(passwords[bundle.id], salt(secret, bundle.id))
        for guest in bundle.guests:
            pdf = members[f"pdf/guest-{guest}.pdf"]
            with pytest.raises(pikepdf.PasswordError):
                pikepdf.open(_write(tmp_path, pdf))
            with pytest.raises(pikepdf.PasswordError):
                pikepdf.open(_write(tmp_path, pdf), password=other)
            with pikepdf.open(_write(tmp_path, pdf), password=passwords[bundle.id]) as opened:
                assert opened.encryption.bits == 256 and opened.is_encrypted
            handbook = _pdf_text(pdf, passwords[bundle.id])
            page = members[f"guests/{guest}.html"].decode("utf-8")
            full = unseal(key, SEALED.search(page).group(1)).decode("utf-8")
            room = records[guest].guest.stay.room
            assert room in full and room in handbook and not _holds(page.replace(SEALED.search(page).group(0), ""), room)
            with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidTag: the wrong key opens nothing
                unseal(page_key(other, salt(secret, bundle.id)), SEALED.search(page).group(1))
            g = records[guest].guest
            shown = [g.stay.room, g.transport.plate, g.transport.driver.phone, g.transport.protective_police.phone,
                     *g.health.conditions, *g.health.medications, *(a.allergen for a in g.health.allergies)]
            assert [value for value in shown if value not in full] == [], (bundle.id, guest)
            assert g.transport.plate in handbook and g.transport.driver.phone in handbook


def test_the_password_sheet_lists_every_bundle_and_goes_nowhere_else(built: tuple[Path, Path, Project], tmp_path: Path) -> None:
    root, out, project = built
    sheet = tmp_path / "passwords.pdf"
    result = run_cli("password-sheet", "--out", str(sheet), cwd=root, env={"LO_SECRET_FILE": str(root.parent / "secret" / "event.key")})
    assert result.returncode == 0, result.stderr
    assert sheet.stat().st_mode & 0o777 == 0o600
    text = re.sub(r"\s+", "", _pdf_text(sheet.read_bytes()))
    secret = _secret(root)
    for bundle in bundles(project.loaded.event, project.loaded.guests):
        assert password(secret, bundle.id) in text
    every_byte = b"".join(data for archive in out.glob("*.zip") for data in _members(archive).values())
    assert password(secret, "coordinators").encode() not in every_byte


def test_a_second_run_keeps_unchanged_bundles_and_rebuilds_only_those_carrying_an_edited_guest(
    built: tuple[Path, Path, Project], tmp_path: Path
) -> None:
    root, out, project = built
    copy = copy_project(tmp_path / "project", root)  # the same files in another folder: the same inputs
    shutil.copytree(root / "published", copy / "published")
    folder = tmp_path / "bundles"
    shutil.copytree(out, folder)
    before = {p.name: p.read_bytes() for p in folder.glob("*.zip")}
    env = {"LO_SECRET_FILE": str(root.parent / "secret" / "event.key")}
    again = run_cli("bundles", "--out", str(folder), cwd=copy, env=env)
    assert again.returncode == 0, again.stderr
    assert f"All {len(before)} bundles" in again.stderr and "up to date" in again.stderr
    assert {p.name: p.read_bytes() for p in folder.glob("*.zip")} == before
    guest = copy / "guests" / "jp-tanaka.yml"
    guest.write_text(guest.read_text(encoding="utf-8").replace('room: "1204"', 'room: "1205"'), encoding="utf-8")
    edited = run_cli("bundles", "--out", str(folder), cwd=copy, env=env)
    assert edited.returncode == 0, edited.stderr
    assert "Sealing from" not in edited.stderr  # no build of the edited copy: the run builds its own full site
    carrying = {f"{b.id}.zip" for b in bundles(project.loaded.event, project.loaded.guests) if "jp-tanaka" in b.guests}
    assert len(carrying) >= 2  # the guest's LO and the coordinators at least
    assert {name for name, data in before.items() if (folder / name).read_bytes() != data} == carrying
    assert f"Wrote {len(carrying)} bundles" in edited.stderr


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason="Debian chromium is not installed (make test-tools)")
def test_a_locked_page_shows_no_sensitive_value_until_the_password_is_typed(
    built: tuple[Path, Path, Project], tmp_path: Path
) -> None:
    root, out, project = built
    secret = _secret(root)
    bundle = bundles(project.loaded.event, project.loaded.guests)[0]
    guest = next(r for r in project.loaded.guests if r.id == bundle.guests[0])
    with zipfile.ZipFile(out / f"{bundle.id}.zip") as archive:
        archive.extractall(tmp_path / "device")
    page_file = tmp_path / "device" / "lo-briefing" / "guests" / f"{guest.id}.html"
    g = guest.guest
    secrets = {g.stay.room, g.transport.plate, g.transport.driver.phone, g.transport.protective_police.phone,
               *g.health.conditions, *g.health.medications}  # what the page shows once unlocked
    with chromium() as browser, watched_context(browser) as (context, log):
        page = context.new_page()
        page.goto(file_url(page_file))
        before = page.inner_text("article")
        assert [s for s in secrets if _holds(before, s)] == []
        page.fill("#lo-passphrase", "wrong-password")
        page.click("[data-lo-lock] button")
        page.wait_for_function("document.querySelector('.lo-lock__status').textContent.includes('wrong')")
        page.fill("#lo-passphrase", password(secret, bundle.id))
        page.click("[data-lo-lock] button")
        page.wait_for_function("document.documentElement.classList.contains('lo-unlocked')", timeout=30_000)
        after = page.inner_text("article")
        missing = sorted(s for s in secrets if s not in after and s not in page.content())
        assert missing == [], missing
        assert page.eval_on_selector(f'a[href^="blob:"][download="{guest.id}.ics"]', "a => a.download") == f"{guest.id}.ics"
        page.goto(file_url(page_file))  # the same session: opened unlocked
        page.wait_for_function("document.documentElement.classList.contains('lo-unlocked')", timeout=30_000)
        assert guest.guest.stay.room in page.inner_text("article")
    assert log.external == []


def _holds(text: str, value: str) -> bool:
    """``value`` in ``text`` as a value of its own, not inside a longer token (a room number inside a hash)."""
    return bool(found_in(text, [value]))


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "open.pdf"
    path.write_bytes(data)
    return path


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason="Debian chromium is not installed (make test-tools)")
def test_a_bundle_is_the_offline_app_with_everything_on_the_device(built: tuple[Path, Path, Project], tmp_path: Path) -> None:
    """Served once over http://127.0.0.1 under a sub-path, the bundle's service worker takes the page; then with no
    network every page, the guest's locked page (unlocked with the password) and its encrypted PDF come from the
    device."""
    root, out, project = built
    secret = _secret(root)
    bundle = bundles(project.loaded.event, project.loaded.guests)[0]
    guest = bundle.guests[0]
    with zipfile.ZipFile(out / f"{bundle.id}.zip") as archive:
        archive.extractall(tmp_path / "unzipped")
    site = tmp_path / "unzipped" / "lo-briefing"
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    with chromium() as browser, ServedSite(tmp_path / "www", "lo", site) as served:
        context = browser.new_context(service_workers="allow")
        try:
            page = context.new_page()
            page.goto(served.url("index.html"))
            page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
            context.set_offline(True)
            served.down = True
            for rel in pages:
                response = page.goto(served.url(rel), wait_until="commit")  # the response is what is checked
                assert response is not None and response.ok and response.from_service_worker, rel
            page.goto(served.url(f"guests/{guest}.html"))
            page.fill("#lo-passphrase", password(secret, bundle.id))
            page.click("[data-lo-lock] button")
            page.wait_for_function("document.documentElement.classList.contains('lo-unlocked')", timeout=30_000)
            record = next(r for r in project.loaded.guests if r.id == guest)
            assert record.guest.stay.room in page.inner_text("article")
            pdf = page.evaluate("async (url) => { const r = await fetch(url); return r.ok ? (await r.arrayBuffer()).byteLength : -r.status; }",
                                f"../pdf/guest-{guest}.pdf")
            assert pdf == (site / "pdf" / f"guest-{guest}.pdf").stat().st_size
        finally:
            context.close()
