"""An HTTP client that follows the SAML bindings as a browser does: it keeps cookies per host
and port, follows redirects (GET), and submits a page's form (hidden inputs, POST) when told
to, as a browser runs the HTTP-POST binding's auto-submit. Loopback only."""

import http.client
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

LOOPBACK = ("127.0.0.1", "localhost")
MAX_REDIRECTS = 10


@dataclass
class Page:
    url: str
    status: int
    headers: http.client.HTTPMessage
    body: str

    def cookies_set(self) -> list[str]:
        return self.headers.get_all("Set-Cookie") or []


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.links: list[tuple[str, str]] = []  # (id, href)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": attrs.get("action", ""),
                    "method": attrs.get("method", "get"),
                    "fields": {},
                }
            )
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value", "")
        elif tag == "a" and attrs.get("href"):
            self.links.append((attrs.get("id", ""), attrs["href"]))


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def link(html: str, element_id: str) -> str:
    parser = _Forms()
    parser.feed(html)
    return next(href for id_, href in parser.links if id_ == element_id)


class Browser:
    def __init__(self):
        self.cookies: dict[tuple[str, int], dict[str, str]] = {}
        self.history: list[Page] = []

    def cookie(self, url: str, name: str) -> str | None:
        parts = urlsplit(url)
        return self.cookies.get((parts.hostname, parts.port), {}).get(name)

    def _send(self, method: str, url: str, body: dict | None = None) -> Page:
        parts = urlsplit(url)
        if parts.hostname not in LOOPBACK:
            raise ValueError(f"loopback only, not {parts.hostname!r}")
        jar = self.cookies.setdefault((parts.hostname, parts.port), {})
        headers = {"Accept-Language": "da"}
        if jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            page = Page(url, response.status, response.headers, response.read().decode())
        finally:
            connection.close()
        for header in page.cookies_set():
            for name, morsel in SimpleCookie(header).items():
                expired = morsel["max-age"] == "0" or "1970" in morsel["expires"]
                if expired or not morsel.value:
                    jar.pop(name, None)
                else:
                    jar[name] = morsel.value
        self.history.append(page)
        return page

    def go(self, method: str, url: str, body: dict | None = None) -> Page:
        """One request, then its redirects followed with GET."""
        page = self._send(method, url, body)
        for _ in range(MAX_REDIRECTS):
            if page.status not in (301, 302, 303, 307, 308):
                return page
            page = self._send("GET", urljoin(page.url, page.headers["Location"]))
        raise AssertionError("too many redirects")

    def get(self, url: str) -> Page:
        return self.go("GET", url)

    def submit(self, page: Page, index: int = 0, **fields) -> Page:
        """Submit the page's form (its hidden inputs, plus `fields`), as the browser would."""
        form = forms_of(page.body)[index]
        action = urljoin(page.url, form["action"] or page.url)
        return self.go(form["method"].upper(), action, {**form["fields"], **fields})
