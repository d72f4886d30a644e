"""The pocket emergency card: A6, front (who, how to address, alerts, hospital) and back (numbers, contacts, QR)."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from ..compose.guest import GuestView
from ..pdf.templates import data_uri, render
from ..telephone import link_phones
from .contacts import key_contacts, qr_payload, qr_svg


def card_html(view: GuestView, stamp: str, guests_dir: Path, qr_cache: Path | None = None) -> str:
    g = view.guest
    photo = data_uri(guests_dir / g.photo) if g.photo else None
    return link_phones(render(  # every number a tel: link annotation in the PDF
        "card.html.j2",
        "card.css",
        view=view,
        g=g,
        photo=photo,
        contacts=key_contacts(view),
        qr=Markup(qr_svg(qr_payload(view), qr_cache)),
        stamp=stamp,
    ))
