"""The contact groups (kontaktgruppe) this service knows, with their Danish labels: the one
table the admin's lists, forms and filters use (fixed filter choices, so a filter costs no
scan of the citizens). SPEC 7a keeps contact groups free text: a code not in the table is
shown as itself."""

KONTAKTGRUPPER: dict[str, str] = {
    "flygtning": "Flygtning",
    "familiesammenfoert": "Familiesammenført",
    "jobparat": "Jobparat",
    "aktivitetsparat": "Aktivitetsparat",
    "uddannelsesparat": "Uddannelsesparat",
}
INGEN = "(ingen)"


def kontaktgruppe_navn(kode: str | None) -> str:
    """The Danish label of a code; an unknown code as itself; none as "(ingen)"."""
    if not kode:
        return INGEN
    return KONTAKTGRUPPER.get(kode, kode)
