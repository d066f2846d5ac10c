"""The admin's contact-group column and filter, labelled from the one table
(`accessrules.core.kontaktgrupper`): the same Danish words in lists, filters and forms."""

from django.contrib import admin

from accessrules.core.kontaktgrupper import INGEN, KONTAKTGRUPPER, kontaktgruppe_navn


def kontaktgruppe_filter(field: str) -> type[admin.SimpleListFilter]:
    """A list filter on `field` (e.g. `borger__kontaktgruppe`) with the table's fixed choices
    and "(ingen)"; the query parameter is the field's name."""

    class KontaktgruppeFilter(admin.SimpleListFilter):
        title = "kontaktgruppe"
        parameter_name = field

        def lookups(self, request, model_admin):
            return [*KONTAKTGRUPPER.items(), ("-", INGEN)]

        def queryset(self, request, queryset):
            value = self.value()
            if not value:
                return queryset
            return queryset.filter(**{field: "" if value == "-" else value})

    return KontaktgruppeFilter


@admin.display(description="kontaktgruppe", ordering="kontaktgruppe")
def kontaktgruppe_kolonne(borger) -> str:
    return kontaktgruppe_navn(borger.kontaktgruppe)
