"""A crawler of the admin, for tests that must hold on every page a user can reach.

`crawl(client)` starts at the admin's index and follows every link and GET form target under
`/admin/` (query strings included: each filter, ordering, date hierarchy step and page of a list,
not their combinations), each URL once, as the signed-in test client; redirects within the admin
are followed too. It returns the pages
it fetched, each with its URL, status and HTML, so a test checks what it needs on all of them
(issue 20: no masked CPR recoverable; the caseworkers' issue: no overflow at 1366 px).

`plant_text(text_for)` writes CPR-bearing free text into every text field of the domain apps'
rows (history rows included), so that a crawl shows every place free text is rendered.

`recoverable_cprs(html, cprs)`: the planted CPRs of which a page shows more than a masked
rendering does (`DDMMYY-xxxx`): the birth date followed by a masked digit, dash or not.
"""

import html as htmllib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.apps import apps
from django.db import models

ADMIN = "/admin/"
# not pages to read: signing out, and Django's "view on site" redirect out of the admin
SKIPPED = ("/admin/logout/", "/admin/r/", "/admin/jsi18n/")
DOMAIN_APPS = ("accessrules", "asylovergivelse", "borgerflytte")


@dataclass(frozen=True)
class Page:
    url: str
    status: int
    html: str


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.found.append(attributes["href"])
        elif tag == "form" and (attributes.get("method") or "get").lower() == "get":
            self.found.append(attributes.get("action") or "")


def _links(base: str, text: str) -> list[str]:
    parser = _Links()
    parser.feed(text)
    urls = []
    for href in parser.found:
        url = urljoin(base, htmllib.unescape(href))
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith(ADMIN):
            continue
        if parts.path.startswith(SKIPPED):
            continue
        # the filters a change page carries back to its list change nothing on the page
        query = "&".join(
            q for q in parts.query.split("&") if q and not q.startswith("_changelist_filters=")
        )
        urls.append(parts.path + (f"?{query}" if query else ""))
    return urls


def crawl(client, *, start: str = ADMIN, limit: int = 600) -> list[Page]:
    """Every admin page reachable from `start` for the client's user (at most `limit`)."""
    queue, seen, pages = [start], {start}, []
    while queue and len(pages) < limit:
        url = queue.pop(0)
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        text = response.content.decode() if "text/html" in content_type else ""
        pages.append(Page(url, response.status_code, text))
        found = _links(url, text)
        if response.status_code in (301, 302) and response.get("Location"):
            found.append(response["Location"])
        for link in _links(url, "".join(f'<a href="{u}">' for u in found)):
            # every filter, ordering and page of a list once, not their combinations
            combined = "?" in url and "?" in link and link.split("?")[0] == url.split("?")[0]
            if link not in seen and not combined:
                seen.add(link)
                queue.append(link)
    return pages


def text_fields(model) -> list[models.Field]:
    """The model's free-text fields: char and text fields without choices, long enough to
    hold a CPR (a CPR field itself is not free text)."""
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and field.name != "cpr"
        and (field.max_length or 100) >= 16
    ]


def plant_text(text_for, *, skip=lambda model, field: False) -> int:
    """Every domain row's free text (history rows too) set to `text_for(model, field, row)`
    (cut to the field's length), and a `"tekst"` key added to every JSON object, except the
    fields `skip(model, field)` names; the number of fields written."""
    written = 0
    for app_label in DOMAIN_APPS:
        for model in apps.get_app_config(app_label).get_models():
            fields = [f for f in text_fields(model) if not skip(model, f)]
            json_fields = [f for f in model._meta.get_fields() if isinstance(f, models.JSONField)]
            for row in model.objects.all():
                values = {f.name: text_for(model, f, row)[: f.max_length] for f in fields}
                values |= {
                    f.name: {**getattr(row, f.name), "tekst": text_for(model, f, row)}
                    for f in json_fields
                    if isinstance(getattr(row, f.name), dict)
                }
                if values:
                    model.objects.filter(pk=row.pk).update(**values)
                    written += len(values)
    return written


def recoverable_cprs(text: str, cprs) -> set[str]:
    """The CPRs of which `text` shows more than DDMMYY-xxxx."""
    plain = htmllib.unescape(text)
    return {cpr for cpr in cprs if re.search(rf"(?<!\d){cpr[:6]}-?{cpr[6]}", plain) is not None}
