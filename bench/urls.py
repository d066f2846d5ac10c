from django.urls import path

from bench.views import ceiling
from config.urls import urlpatterns as service_urlpatterns

urlpatterns = [path("bench/ceiling", ceiling), *service_urlpatterns]
