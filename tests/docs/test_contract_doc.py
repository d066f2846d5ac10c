"""docs/contract.md's generated half (every operation with its scopes, headers, access table
and codes; every code of the registry) is what config.contractdoc renders from
docs/openapi.yaml and the registry: run `python -m config.contractdoc` after changing either."""

from accessrules.core import errors
from config import contractdoc


def test_the_contract_doc_is_current():
    current, wanted = contractdoc.rendered_contract()
    assert current == wanted, "docs/contract.md is stale: run `python -m config.contractdoc`"


def test_it_lists_every_operation_and_every_code():
    text = contractdoc.CONTRACT.read_text()
    for heading in (
        "`GET /v1/Asylovergivelse`: GetAsylOvergivelse",
        "`POST /v1/Asylovergivelse`: CreateAsylOvergivelse",
        "`PUT /v1/Asylovergivelse`: UpdateAsylOvergivelse",
        "`GET /v1/BorgerFlytte`: ListBorgerflytninger",
        "`POST /v1/BorgerFlytte/action/bekraeftfraflytning`: CreateFraflytningsbekraeftelse",
        "`POST /v1/BorgerFlytte/action/bekraefttilflytning`: CreateTilflytningsbekraeftelse",
        "`POST /v1/CprHaendelser`: CreateCprHaendelser",
    ):
        assert heading in text, heading
    for code in errors.REGISTRY:
        assert f'<a id="code-{code}"></a>`{code}`' in text, code


def test_a_stale_contract_is_caught(tmp_path, monkeypatch):
    stale = tmp_path / "contract.md"
    text = contractdoc.CONTRACT.read_text()
    stale.write_text(text.replace(contractdoc.END, "a line by hand\n" + contractdoc.END))
    monkeypatch.setattr(contractdoc, "CONTRACT", stale)
    assert contractdoc.main(["--check"]) == 1
    assert contractdoc.main([]) == 0
    assert contractdoc.main(["--check"]) == 0
