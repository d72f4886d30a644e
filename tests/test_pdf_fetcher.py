"""WeasyPrint, as the PDF stage runs it, reads only our own files: whatever HTML reaches it (a knowledge page, a
sanitiser's miss), no file of the build machine is embedded and no URL is requested."""

from __future__ import annotations

import http.server
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from build_tools.pdf.render import _write_pdf


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], _Recorder.requests
    finally:
        server.shutdown()


def test_only_the_sites_own_files_reach_the_pdf(tmp_path: Path, listener: tuple[int, list[str]]) -> None:
    port, requests = listener
    site = tmp_path / "site"
    (site / "pdf").mkdir(parents=True)
    (site / "guide.txt").write_text("OUR-OWN-ATTACHMENT", encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("BUILD-MACHINE-SECRET", encoding="utf-8")
    (site / "link.txt").symlink_to(outside)  # inside the site by name, outside by target
    html = f"""<html><body><p>Body</p>
      <a rel="attachment" href="file:///etc/passwd">a</a>
      <a rel="attachment" href="{outside.as_uri()}">b</a>
      <a rel="attachment" href="{(site / 'link.txt').as_uri()}">c</a>
      <a rel="attachment" href="http://127.0.0.1:{port}/attached">d</a>
      <img src="http://127.0.0.1:{port}/image.png">
      <link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">
      <a rel="attachment" href="{(site / 'guide.txt').as_uri()}">ours</a>
    </body></html>"""
    target = tmp_path / "out.pdf"
    # plain PDF: poppler's pdfdetach cannot save an attachment from WeasyPrint's PDF/A-2u output (the fetcher is the same)
    written = _write_pdf(html, str(target), "0" * 64, None, variant="plain", site_dir=str(site))
    assert written.missing == ()
    for url in ("file:///etc/passwd", outside.as_uri(), f"http://127.0.0.1:{port}/attached", f"http://127.0.0.1:{port}/image.png"):
        assert any(url in warning for warning in written.warnings), written.warnings  # the build prints each refusal
    listing = subprocess.run(["pdfdetach", "-list", str(target)], capture_output=True, text=True, check=True).stdout
    assert listing.splitlines()[0] == "1 embedded files", listing  # only the site's own file
    saved = tmp_path / "saved"
    saved.mkdir()
    subprocess.run(["pdfdetach", "-saveall", "-o", str(saved), str(target)], check=True, capture_output=True)
    assert [p.read_text(encoding="utf-8") for p in saved.iterdir()] == ["OUR-OWN-ATTACHMENT"]
    data = target.read_bytes()
    assert b"BUILD-MACHINE-SECRET" not in data and b"root:x:" not in data
    assert requests == []
