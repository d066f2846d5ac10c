"""Static files served by the app itself (WhiteNoise): Swagger UI's and the admin's."""

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client

SWAGGER_CSS = "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css"
ADMIN_CSS = "admin/css/base.css"


@pytest.mark.parametrize("name", [SWAGGER_CSS, ADMIN_CSS])
def test_static_files_are_served_without_collectstatic_in_tests(client, name):
    response = client.get(f"/static/{name}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")


def test_production_static_files_are_collected_compressed_and_cache_busted(settings, tmp_path):
    """STATIC_MANIFEST's storage, as `collectstatic` then gunicorn would serve it."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)

    for name in (SWAGGER_CSS, ADMIN_CSS):
        url = staticfiles_storage.url(name)
        assert url != f"/static/{name}"  # a content hash in the name
        response = Client().get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "immutable" in response["Cache-Control"]
