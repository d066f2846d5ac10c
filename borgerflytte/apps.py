from django.apps import AppConfig


class BorgerflytteConfig(AppConfig):
    name = "borgerflytte"
    verbose_name = "BorgerFlytte"
