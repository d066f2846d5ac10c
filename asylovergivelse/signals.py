from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from asylovergivelse.models import Asylovergivelse


@receiver(pre_create_historical_record, sender=Asylovergivelse.history.model)
def record_caller(sender, instance, history_instance, **kwargs):
    """Copy the API client and organisation of the change onto the history row."""
    caller = getattr(instance, "history_caller", None)
    if caller is not None:
        history_instance.api_client = caller.client
        history_instance.organisation = caller.organisation
