from django.urls import path

from bench.views import ceiling, same_asylovergivelse, same_bekraeft, same_flows
from config.urls import urlpatterns as service_urlpatterns

urlpatterns = [
    path("bench/ceiling", ceiling),
    path("bench/same/asylovergivelse", same_asylovergivelse),
    path("bench/same/flows", same_flows),
    path("bench/same/bekraeft", same_bekraeft),
    *service_urlpatterns,
]
