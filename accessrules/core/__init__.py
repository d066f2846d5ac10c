"""The ground floor of the ground floor: the error registry and DomainError, rules as objects,
the caller, CPR numbers, the one date parser, CPR masking and the bulk-load helpers. No web
framework and none of our models; only `bulk` uses Django's database layer."""
