"""Emergency procedures on a phone: the first action and the numbers to call at the top of every procedure, the
procedures listed first on the emergencies index, and each procedure beside this guest's own facts on a guest page.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..knowledge import KnowledgePage, ProcedureMeta
from ..model import ContactRole, Event
from ..telephone import tel_uri
from .field import Call, delegation_doctors, render_html
from .guest import GuestView

INDEX = "emergencies/index.md"
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2}
SEVERITY_LABELS = {"critical": "วิกฤต (critical)", "high": "สูง (high)", "medium": "ปานกลาง (medium)"}
MEDICAL = {"vip-illness", "allergic-reaction", "food-poisoning"}
SECURITY = {"security-incident", "protest-roadblock", "missing-member"}
ROLE_NAMES = {
    ContactRole.MAIN_COORDINATOR: "ผู้ประสานงานหลัก (Main coordinator)",
    ContactRole.BACKUP_COORDINATOR: "ผู้ประสานงานสำรอง (Backup coordinator)",
    ContactRole.MEDICAL: "ทีมแพทย์ของงาน (Event medical team)",
    ContactRole.POLICE: "ประสานงานตำรวจ (Police coordination)",
    ContactRole.TRANSPORT: "ฝ่ายยานพาหนะ (Transport desk)",
    ContactRole.SECRETARIAT: "ฝ่ายเลขานุการ (Secretariat)",
    ContactRole.EMBASSY: "สถานเอกอัครราชทูต (Embassy)",
}


@dataclass(frozen=True)
class GuestProcedure:
    """A procedure as a guest page lists it: where it is, how urgent, and this guest's facts that matter for it."""

    name: str  # file name without .md
    title: str
    severity: str
    facts: list[tuple[str, str]]  # (label, value) — values are text; numbers in them become tel: links later


def _name(page: KnowledgePage) -> str:
    return page.path.rsplit("/", 1)[-1][:-3]


def ordered(procedures: list[KnowledgePage]) -> list[KnowledgePage]:
    """Most urgent first, then by title."""
    return sorted(procedures, key=lambda p: (SEVERITY_ORDER.get(getattr(p.meta, "severity", "medium"), 9), p.meta.title))


def calls(meta: ProcedureMeta, event: Event) -> list[Call]:
    """The procedure's ``call`` list (else its ``numbers``) as tap targets, with the event's contacts filled in."""
    out: list[Call] = []
    for target in meta.call or list(meta.numbers):
        number = next((n for n in event.emergency_numbers if n.number == target), None)
        if number is not None or target.isdigit():
            role = f"{number.th} ({number.en})" if number else target
            out.append(Call(role, "", target, tel_uri(target)))
            continue
        role = ContactRole(target)
        contact = next((c for c in event.contacts if c.role is role), None)
        if contact is not None:
            out.append(Call(ROLE_NAMES.get(role, role.value), contact.name, contact.phone, tel_uri(contact.phone)))
    return out


def first_action_box(meta: ProcedureMeta, event: Event) -> str:
    """The box at the top of a procedure page (HTML block), or "" when the page gives no first action."""
    if not meta.first_action:
        return ""
    return str(render_html("procedure-first.html.j2", action=meta.first_action, calls=calls(meta, event)))


def procedures_overview(procedures: list[KnowledgePage], event: Event) -> str:
    """The list of procedures that opens the emergencies index: most urgent first, each with its numbers."""
    rows = [(_name(p), p.meta, calls(p.meta, event)) for p in ordered(procedures) if isinstance(p.meta, ProcedureMeta)]
    return str(render_html("procedures.html.j2", rows=rows, severity=SEVERITY_LABELS))


def procedure_prefixes(pages: dict[str, KnowledgePage], event: Event) -> dict[str, str]:
    """Markdown put before knowledge pages: the first action box of every procedure that has one, and the list of
    procedures (most urgent first) before the explainer of the emergencies index."""
    procedures = [p for p in pages.values() if isinstance(p.meta, ProcedureMeta)]
    out = {p.path: first_action_box(p.meta, event) + "\n" for p in procedures if isinstance(p.meta, ProcedureMeta) and p.meta.first_action}
    if INDEX in pages and procedures:
        out[INDEX] = procedures_overview(procedures, event) + "\n"
    return out


def guest_procedures(view: GuestView, procedures: list[KnowledgePage]) -> list[GuestProcedure]:
    """Every procedure, most urgent first, with the facts of this guest an LO needs while following it."""
    g = view.guest
    hospital = f"{view.hospital.name.th} {view.hospital.phone}" if view.hospital else "—"
    allergies = ", ".join(f"{a.allergen} ({a.severity})" for a in g.health.allergies) or "ไม่มี (none)"
    doctors = ", ".join(f"{name} {phone or ''}".strip() for name, phone in delegation_doctors(view))
    out = []
    for page in ordered(procedures):
        if not isinstance(page.meta, ProcedureMeta):
            continue
        name = _name(page)
        facts: list[tuple[str, str]] = []
        if name in MEDICAL:
            facts.append(("โรงพยาบาล (Hospital)", hospital))
            facts.append(("แพ้ (Allergies)", allergies))
            if doctors:
                facts.append(("แพทย์ของคณะ (Delegation's doctor)", doctors))
        elif name in SECURITY:
            facts.append(("ตำรวจอารักขา (Protective police)", view.facts["protective_police"]))
        elif name == "vehicle-breakdown":
            facts.append(("รถ (Car)", view.facts["car_plate"]))
            facts.append(("คนขับ (Driver)", view.facts["driver"]))
        # others: the link alone (the main coordinator is among the quick calls at the top of the page)
        out.append(GuestProcedure(name, page.meta.title, SEVERITY_LABELS[page.meta.severity], facts))
    return out

