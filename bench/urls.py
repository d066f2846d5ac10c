from django.urls import path

from bench.views import ceiling, ceiling_bekraeft, ceiling_flows
from config.urls import urlpatterns as service_urlpatterns

urlpatterns = [
    path("bench/ceiling", ceiling),
    path("bench/ceiling/flows", ceiling_flows),
    path("bench/ceiling/bekraeft", ceiling_bekraeft),
    *service_urlpatterns,
]
