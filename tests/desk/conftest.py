from tests.reporting.conftest import audience, form  # noqa: F401 (fixtures: form HK)
