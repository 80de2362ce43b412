"""The OpenAPI document Concord serves is valid OpenAPI 3.1 (openapi-spec-validator)."""
import pathlib

import yaml
from openapi_spec_validator import validate

DOCUMENT = pathlib.Path(__file__).resolve().parents[2] / "Sources/ConcordServer/Resources/openapi.yaml"


def test_openapi_document_is_valid():
    document = yaml.safe_load(DOCUMENT.read_text())
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert "/lookup" in document["paths"]
