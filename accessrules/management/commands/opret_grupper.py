from django.core.management.base import BaseCommand

from accessrules.sagsbehandlere.grupper import opret_grupper


class Command(BaseCommand):
    help = (
        'Create or refresh the "Sagsbehandler" group (view every domain model, CPR masked) '
        'and the "Support" group (also change citizens, relations, transitions, flows and '
        "CVs, and see full CPR numbers). Idempotent. A caseworker's role (opret_sagsbehandler, "
        "SAML sign-in) puts the user in one of them."
    )

    def handle(self, *args, **options):
        counts = opret_grupper()
        self.stdout.write(
            f"Sagsbehandler: {counts['Sagsbehandler']} permissions; Support: {counts['Support']}."
        )
