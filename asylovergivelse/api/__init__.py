"""asylovergivelse's HTTP: its endpoints (`endpoints`), the seed's DTOs as serializers, the
viewsets, the URLs. The domain beside it imports none of it."""
