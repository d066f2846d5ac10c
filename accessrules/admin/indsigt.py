"""A citizen's insight report in the admin (SPEC 7): found by a POSTed CPR (never in a URL),
then a page by the citizen's id, with the same report as CSV and PDF. Only with the insight
permission (`accessrules.indsigt`: the "STAR-support" group, STAR's Support by default); every
page and download leaves an access-log row (`indsigt`). The report itself:
`accessrules.accesslog.indsigt`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from accessrules.accesslog import indsigt
from accessrules.accesslog import log as accesslog
from accessrules.core.caller import Caller
from accessrules.models import Borger
from accessrules.sagsbehandlere import IngenOrganisation, caller_for


def caller(request) -> Caller:
    try:
        return caller_for(request.user)
    except IngenOrganisation:
        return Caller(organisation=None, user=request.user, label="admin")


class IndsigtMixin:
    """For BorgerAdmin: its URLs `borger_indsigt_find`, `borger_indsigt`, `..._csv`, `..._pdf`.
    `find_form` is the POSTed CPR form."""

    find_form = None

    def indsigt_urls(self) -> list:
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("indsigt/", view(self.indsigt_find_view), name="borger_indsigt_find"),
            path("<int:pk>/indsigt/", view(self.indsigt_view), name="borger_indsigt"),
            path(
                "<int:pk>/indsigt/csv/",
                view(self.indsigt_view),
                {"format": "csv"},
                name="borger_indsigt_csv",
            ),
            path(
                "<int:pk>/indsigt/pdf/",
                view(self.indsigt_view),
                {"format": "pdf"},
                name="borger_indsigt_pdf",
            ),
        ]

    def _kraev_indsigt(self, request) -> None:
        if not request.user.has_perm(indsigt.PERMISSION):
            raise PermissionDenied("Kun med tilladelsen til indsigtsrapporter.")

    def indsigt_find_view(self, request):
        self._kraev_indsigt(request)
        form = self.find_form(request.POST or None)
        if request.method == "POST" and form.is_valid():
            borger = Borger.objects.filter(cpr=form.cleaned_data["cpr"]).first()
            if borger is not None:
                return HttpResponseRedirect(reverse("admin:borger_indsigt", args=[borger.pk]))
            accesslog.write(
                handling=indsigt.INDSIGT,
                caller=caller(request),
                borger=None,
                outcome=404,
                error_code=1010,
            )
            form.add_error("cpr", "Ingen borger med dette CPR-nummer.")
        context = {
            **self.admin_site.each_context(request),
            "title": "Indsigt for en borger",
            "form": form,
            "opts": self.opts,
            "form_url": reverse("admin:borger_indsigt_find"),
        }
        return TemplateResponse(request, "admin/accessrules/borger/indsigt_find.html", context)

    def indsigt_view(self, request, pk, format=""):
        self._kraev_indsigt(request)
        borger = Borger.objects.filter(pk=pk).first()
        if borger is None:
            raise Http404("Borgeren findes ikke.")
        now = timezone.now()
        rows = indsigt.raekker(borger, now)
        titel = indsigt.overskrift(borger, now)
        accesslog.write(
            handling=indsigt.INDSIGT,
            caller=caller(request),
            borger=borger,
            outcome=200,
            error_code=None,
        )
        filnavn = f"indsigt-{timezone.localtime(now):%Y%m%d-%H%M}"  # no key: it is sequential
        if format == "csv":
            return _download(indsigt.som_csv(rows), "text/csv; charset=utf-8", f"{filnavn}.csv")
        if format == "pdf":
            return _download(indsigt.som_pdf(rows, titel), "application/pdf", f"{filnavn}.pdf")
        context = {
            **self.admin_site.each_context(request),
            "title": "Indsigt i opslag",
            "overskrift": titel,
            "kolonner": indsigt.KOLONNER,
            "raekker": [row.som_tekst() for row in rows],
            "borger": borger,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/accessrules/borger/indsigt.html", context)


def _download(content: bytes, content_type: str, filnavn: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filnavn}"'
    response["Cache-Control"] = "no-store"
    return response
