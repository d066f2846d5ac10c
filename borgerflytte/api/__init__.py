"""borgerflytte's HTTP: its endpoints (`endpoints`), the seed's DTOs as serializers, the
viewsets, the URLs, the list's filters and its cursor paging. The domain beside it imports
none of it."""
