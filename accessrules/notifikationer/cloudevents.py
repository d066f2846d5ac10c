"""A notification as a CloudEvents 1.0 event in structured mode (the whole event is the JSON
body, `application/cloudevents+json`)."""

import json

from django.conf import settings

from accessrules.models import Notifikation

CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"


def event(notifikation: Notifikation) -> dict:
    return {
        "specversion": "1.0",
        "id": str(notifikation.id),
        "source": settings.NOTIFICATION_SOURCE,
        "type": notifikation.type,
        "subject": notifikation.subject,
        "time": notifikation.tidspunkt.isoformat().replace("+00:00", "Z"),
        "datacontenttype": "application/json",
        "data": notifikation.data,
    }


def body(notifikation: Notifikation) -> str:
    return json.dumps(event(notifikation), ensure_ascii=False, separators=(",", ":"))
