"""Standard Webhooks signatures (https://www.standardwebhooks.com/), made with that project's
own library: `webhook-id`, `webhook-timestamp` and `webhook-signature` (HMAC-SHA256 over
"id.timestamp.body"), one signature per live secret (two during a rotation)."""

import base64
import datetime
import secrets

from standardwebhooks.webhooks import Webhook

PREFIX = "whsec_"


def ny_hemmelighed() -> str:
    """A new signing secret: 32 random bytes, base64, with the standard's prefix."""
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def headers(
    *, msg_id: str, body: str, hemmeligheder: list[str], tidspunkt: datetime.datetime
) -> dict[str, str]:
    signatures = [
        Webhook(hemmelighed).sign(msg_id=msg_id, timestamp=tidspunkt, data=body)
        for hemmelighed in hemmeligheder
    ]
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(tidspunkt.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
