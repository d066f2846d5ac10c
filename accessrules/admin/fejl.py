"""Rule errors as caseworkers read them: the code, the seed's text (kept verbatim in
`accessrules.core.errors`) and a short Danish explanation of what to do."""

from accessrules.core.errors import Violation

FORKLARINGER: dict[int, str] = {
    3: "Borgerflytningen findes ikke.",
    1010: "CPR-nummeret kendes ikke af tjenesten.",
    1014: "Oplysningerne har ikke den rigtige form; ret det markerede felt.",
    4753: "Borgerens jobnet-CV er arkiveret, så datoerne kan ikke sættes.",
    4754: "Borgerens jobnet-CV er deaktiveret, så datoerne kan ikke sættes.",
    4823: "Borgerens jobnet-CV er låst, så datoerne kan ikke sættes.",
    6005: "Borgeren hører ikke til den organisation, der handles for.",
    9196: "CVEditEndDate skal være samme dag som eller efter overgivelsesdatoen.",
    9197: "Der er for mange dage mellem overgivelsesdatoen og CVEditEndDate.",
    9198: "Borgerens kontaktgruppe giver ikke ret til en asylovergivelse.",
    9200: "CVEditEndDate er passeret; datoerne kan ikke længere ændres.",
    9201: "Borgeren har ingen asylovergivelse at rette; opret den først.",
    9202: "Skriv en kommentar, når overgivelsesdatoen ændres.",
    9243: "De tidlige overgivelsesdatoer skal ligge på eller før overgivelsesdatoen.",
    9244: "Kommunekoden passer ikke til den, der handler.",
    9295: "Datoerne passer ikke sammen ved oprettelse/rettelse.",
    9296: "De tidlige overgivelsesdatoer må ikke angives her.",
    9302: "Borgeren har allerede en asylovergivelse; ret den i stedet.",
    9336: "Borgeren har intet jobnet-CV-nummer.",
    9338: "Kaldet til CV-tjenesten (GetCV) fejlede; prøv igen senere.",
    9346: "Kaldet til CV-tjenesten fejlede; intet blev gemt. Prøv igen senere.",
    60007: "Borgeren er død; flytningen kan ikke bekræftes.",
}

# 1014 on a CPR event names the field at fault; what it means there (SPEC 5a)
FELTFORKLARINGER: dict[tuple[int, str], str] = {
    (1014, "flyttedato"): "Flytningen er ikke nyere end borgerens nuværende bopæl, ligger "
    "for langt ude i fremtiden (CPR registrerer flytninger højst fire uger frem) eller uden for "
    "det tilladte datointerval.",
    (1014, "fraKommunekode"): "Fraflytningskommunen findes ikke i registret.",
    (1014, "tilKommunekode"): "Tilflytningskommunen findes ikke i registret.",
    (1014, "cpr"): "CPR-nummeret er ugyldigt eller kan ikke bruges (en død borger flytter ikke).",
    (1014, "haendelseId"): "Hændelses-id'et er brugt af en anden hændelse.",
    (1014, "type"): "Borgeren bor her allerede: det er en flytning.",
}


def fejlbesked(violation: Violation) -> str:
    """`9196 «seed text» – Danish explanation (felt: field)`."""
    felt = (violation.field or "").rpartition(".")[2]
    forklaring = FELTFORKLARINGER.get((violation.code, felt)) or FORKLARINGER.get(
        violation.code, ""
    )
    text = f"{violation.code} «{violation.text}»"
    if forklaring:
        text += f" – {forklaring}"
    if violation.field:
        text += f" (felt: {violation.field})"
    return text
