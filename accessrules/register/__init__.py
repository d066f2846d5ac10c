"""Loading the register document (SPEC 7a) into the database: one transaction, upsert by
natural keys, so a re-run changes nothing. Apps add top-level sections with `@section` and
per-citizen keys with `@borger_field` (see docs/operations.md, "The register document")."""

from accessrules.register.framework import (
    ImportContext,
    RecordError,
    borger_field,
    import_register,
    section,
)

__all__ = ["ImportContext", "RecordError", "borger_field", "import_register", "section"]
