"""Re-encrypt the subscriptions' secrets under the current key: `manage.py
rekrypter_hemmeligheder` (the middle step of a key rotation, docs/operations.md)."""

from django.core.management.base import BaseCommand

from accessrules.notifikationer import services


class Command(BaseCommand):
    help = (
        "Encrypt every subscription secret again under NOTIFICATION_SECRET_KEY (each read with "
        "that key or one of NOTIFICATION_SECRET_OLD_KEYS). Afterwards the old keys can go."
    )

    def handle(self, *args, **options):
        count = services.rekrypter_hemmeligheder()
        self.stdout.write(f"{count} subscriptions' secrets encrypted under the current key")
