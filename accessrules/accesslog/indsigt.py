"""Insight for one citizen (SPEC 7; GDPR art. 15, the CJEU's C-579/21 and Datatilsynet's
guidance on insight into logs): every access-log row of the retention period about the
citizen, from every organisation, in Danish, as rows, CSV and PDF.

A row says when, which organisation, who (an API client by name; a caseworker by
organisation and role, never by name), which operation and the outcome. A caseworker's role
is the one their `Sagsbehandler` row had at the time (its history), so a later change of role
does not rewrite the past. Making a report leaves an access-log row of its own
(`INDSIGT`, written by the caller: the admin view or the command).

The PDF is made with fpdf2: pure Python (no C extension or system library), small, kept up
to date, and its core fonts cover Danish (Latin-1) without shipping a font file.
"""

import csv
import datetime
import io
from bisect import bisect_right
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from accessrules.core.masking import mask_cpr
from accessrules.models import AccessLogEntry, Borger, Sagsbehandler

INDSIGT = "indsigt"  # the access-log handling of making a report
PERMISSION = "accessrules.indsigt"

# every access-log operation in Danish: the API's (accessrules.access.tables.Operation's values,
# which this layer does not import; a test holds the two together; an operation declared with
# its endpoint adds its own, `navngiv`) and the admin's
HANDLINGER: dict[str, str] = {
    "CreateFraflytningsbekraeftelse": "Bekræftelse af fraflytning (API)",
    "CreateTilflytningsbekraeftelse": "Bekræftelse af tilflytning (API)",
    "CreateAsylOvergivelse": "Oprettelse af asylovergivelse (API)",
    "UpdateAsylOvergivelse": "Rettelse af asylovergivelse (API)",
    "GetAsylOvergivelse": "Opslag af asylovergivelse (API)",
    "ListBorgerflytninger": "Liste over borgerflytninger (API)",
    "GetBorgerflytning": "Opslag af borgerflytning (API)",
    "GetAsylOvergivelseVedId": "Opslag af asylovergivelse ved id (API)",
    "GetAsylOvergivelseHistorik": "Opslag af asylovergivelsens historik (API)",
    "GetBorgerflytningHistorik": "Opslag af borgerflytningens historik (API)",
    "CreateCprHaendelser": "Hændelse fra CPR-registret (API)",
    "CreateAbonnement": "Oprettelse af abonnement (API)",
    "ListAbonnementer": "Liste over abonnementer (API)",
    "DeleteAbonnement": "Ophør af abonnement (API)",
    "CreateAbonnementHemmelighed": "Ny hemmelighed til abonnement (API)",
    "ListAbonnementHaendelser": "Abonnementets hændelser (API)",
    "admin:vis_borger": "Borgerens side vist i administrationen",
    "admin:find_cpr": "Borgeren søgt frem efter CPR-nummer",
    "admin:ikke_fundet": "Opslag i administrationen uden adgang",
    INDSIGT: "Indsigtsrapport dannet",
}
KOLONNER = ["Tidspunkt", "Organisation", "Hvem", "Handling", "Udfald"]


def navngiv(handling: str, navn: str) -> None:
    """Name an operation declared with its endpoint (`accessrules.api.endpoints.Endpoint`'s
    `navn`); naming it again the same way changes nothing."""
    if HANDLINGER.setdefault(handling, navn) != navn:
        raise ValueError(f"{handling} already has the name {HANDLINGER[handling]!r}")


def handling_navn(handling: str) -> str:
    return HANDLINGER.get(handling, handling)


def udfald(outcome: int, error_code: int | None) -> str:
    if 200 <= outcome < 300:
        return "Gennemført"
    text = "Afvist: ikke fundet" if outcome == 404 else "Afvist"
    return f"{text} (fejlkode {error_code})" if error_code else f"{text} ({outcome})"


@dataclass(frozen=True)
class Raekke:
    tidspunkt: datetime.datetime  # local time
    organisation: str
    hvem: str
    handling: str
    udfald: str

    def som_tekst(self) -> list[str]:
        return [
            f"{self.tidspunkt:%d.%m.%Y %H:%M}",
            self.organisation,
            self.hvem,
            self.handling,
            self.udfald,
        ]


def periode_start(now: datetime.datetime | None = None) -> datetime.datetime:
    now = now or timezone.now()
    return now - datetime.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)


def raekker(borger: Borger, now: datetime.datetime | None = None) -> list[Raekke]:
    """The citizen's rows of the retention period, oldest first: two statements (the rows,
    and the caseworkers' role history for the users among them)."""
    entries = list(
        AccessLogEntry.objects.filter(borger=borger, created_at__gte=periode_start(now))
        .select_related("client", "organisation")
        .order_by("created_at", "pk")
    )
    roller = _rollehistorik({e.user_id for e in entries if e.user_id})
    return [_raekke(entry, roller) for entry in entries]


def _rollehistorik(user_ids: set[int]) -> dict[int, tuple[list, list]]:
    """user id -> (history dates, their rows), oldest first, for a look-up by time."""
    found: dict[int, tuple[list, list]] = {}
    if not user_ids:
        return found
    rows = (
        Sagsbehandler.history.filter(user_id__in=user_ids)
        .select_related("organisation")
        .order_by("history_date")
    )
    for row in rows:
        dates, kept = found.setdefault(row.user_id, ([], []))
        dates.append(row.history_date)
        kept.append(row)
    return found


def _rolle_paa(roller, user_id: int, when: datetime.datetime):
    dates, rows = roller.get(user_id, ([], []))
    index = bisect_right(dates, when) - 1
    if index < 0 or rows[index].history_type == "-":
        return None
    return rows[index]


def _raekke(entry: AccessLogEntry, roller) -> Raekke:
    organisation = entry.organisation
    if entry.client_id:
        hvem = f"API-klient «{entry.client.navn}»"
    elif entry.user_id:
        rolle = _rolle_paa(roller, entry.user_id, entry.created_at)
        if rolle is not None:
            organisation = organisation or rolle.organisation
            hvem = f"En medarbejder med rollen {rolle.get_rolle_display()}"
        else:
            hvem = "En medarbejder (driftsadgang)"
    else:
        hvem = "Driften (kommando)"
    return Raekke(
        tidspunkt=timezone.localtime(entry.created_at),
        organisation=f"{organisation.navn} ({organisation.reference})" if organisation else "—",
        hvem=hvem,
        handling=handling_navn(entry.handling),
        udfald=udfald(entry.outcome, entry.error_code),
    )


def overskrift(borger: Borger, now: datetime.datetime | None = None) -> str:
    now = timezone.localtime(now or timezone.now())
    start = timezone.localtime(periode_start(now))
    return (
        f"Indsigt i opslag på borger {mask_cpr(borger.cpr)}, "
        f"{start:%d.%m.%Y} – {now:%d.%m.%Y} (dannet {now:%d.%m.%Y %H:%M})"
    )


def som_csv(rows: list[Raekke]) -> bytes:
    """Semicolon-separated, UTF-8 with a byte-order mark: Excel opens it as Danish text."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(KOLONNER)
    writer.writerows(row.som_tekst() for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


PDF_BREDDER = (26, 72, 66, 66, 47)  # mm, landscape A4 (277 mm inside the margins)


def som_pdf(rows: list[Raekke], titel: str) -> bytes:
    from fpdf import FPDF  # imported on use: only the PDF needs it

    pdf = FPDF(orientation="L", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_title("Indsigt i opslag")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 7, _latin1(titel), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=8)
    pdf.multi_cell(
        0,
        5,
        _latin1(
            "Hver række er ét opslag på eller én ændring af borgerens oplysninger i "
            "Borgerindsats: hvornår, af hvilken organisation, hvem (et IT-system ved navn, en "
            "medarbejder ved sin rolle), hvad og med hvilket udfald."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    if not rows:
        pdf.cell(0, 6, _latin1("Ingen opslag i perioden."), new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())
    _pdf_raekke(pdf, KOLONNER, bold=True)
    for row in rows:
        _pdf_raekke(pdf, row.som_tekst())
    return bytes(pdf.output())


LINJE = 4.2  # mm per line of text in the table


def _pdf_raekke(pdf, cells: list[str], *, bold: bool = False) -> None:
    """One row: each cell wrapped at its column's width (words, by the font's metrics), a
    new page first if the row would not fit, a rule below."""
    pdf.set_font("Helvetica", "B" if bold else "", 8)
    wrapped = [
        _ombryd(pdf, _latin1(text), width - 2)
        for width, text in zip(PDF_BREDDER, cells, strict=True)
    ]
    height = LINJE * max(len(lines) for lines in wrapped)
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
    top, x = pdf.get_y(), pdf.l_margin
    for width, lines in zip(PDF_BREDDER, wrapped, strict=True):
        for n, line in enumerate(lines):
            pdf.set_xy(x, top + n * LINJE)
            pdf.cell(width, LINJE, line)
        x += width
    pdf.line(pdf.l_margin, top + height, x, top + height)
    pdf.set_xy(pdf.l_margin, top + height)


def _ombryd(pdf, text: str, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if line and pdf.get_string_width(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line]


def _latin1(text: str) -> str:
    replaced = text.replace("–", "-").replace("→", "->")
    return replaced.encode("latin-1", "replace").decode("latin-1")
