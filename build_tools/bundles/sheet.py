"""The password sheet: one slip per bundle (LO, guests, password), for the trainer to cut and hand out in person.

Made only when asked (``lo-briefing password-sheet``), straight to the file named, never into the PDF cache, a
bundle or the site.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from ..pdf.templates import render
from ..profiles import Profile
from ..project import load_project
from .membership import bundles
from .secret import event_secret, password


def password_sheet(root: Path, target: Path) -> int:
    project, diagnostics = load_project(root, root / "content", root / "guests", Profile.FULL)
    if project is None:
        for diagnostic in diagnostics:
            print(diagnostic)
        return 1
    secret = event_secret(root)
    names = {view.id: view.display_name for view in project.views}
    slips = [
        {"bundle": b.id, "name": b.name, "guests": [names[g] for g in b.guests], "password": password(secret, b.id)}
        for b in bundles(project.loaded.event, project.loaded.guests)
    ]
    html = render("passwords.html.j2", "passwords.css", event=project.loaded.event.event, slips=slips, mark=Markup(""))
    from weasyprint import HTML

    target.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html).write_pdf(target)
    target.chmod(0o600)
    print(f"Wrote {target} ({len(slips)} passwords): print it, hand each slip over in person, then delete the file.")
    return 0
