"""Caseworkers sign in through SAML 2.0 (SPEC 7; djangosaml2 over pysaml2): the identity
provider (the municipality's, e.g. KOMBIT's Context Handler) asserts the caseworker's
job-function roles, each scoped by an organisation's CVR number, as OIOSAML's basic privilege
profile; on every sign-in that assertion sets the caseworker's organisation and role.

- `config`: the service provider's pysaml2 configuration, from the settings;
- `rettigheder`: reading the privilege attribute (no framework);
- `tildeling`: from an assertion's attributes to (organisation, role), or a refusal;
- `backend`, `views`, `urls`: djangosaml2's hooks, the refusal page.
"""
