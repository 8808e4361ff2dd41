"""A NUL character in the address: a 400 in the reader's language, never a 500.

PostgreSQL cannot compare text holding a NUL: a code looked up with one was a DataError
(found by tests/test_api_fuzz.py for bodies; these are the paths and query strings).
"""

import pytest

ADDRESSES = [
    "/api/v1/units/D1%00",
    "/api/v1/units/%00/descendants",
    "/api/v1/units/D1?on=2020-01-01%00",
    "/api/v1/analytics?indicator=%00&unit=D1&period=2020",
    "/dhis2/api/organisationUnits/D1%00",
    "/don-vi/D1%00/",
    "/don-vi/?q=%00",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_nul_in_the_address_is_refused_before_any_lookup(org, personas, web, address):
    client = web(personas.manager)
    response = client.get(address)
    assert response.status_code == 400
    if address.startswith(("/api/", "/dhis2/")):
        error = response.json()["error"]
        assert error["code"] == "invalid_character"
        text = error["message"]
    else:
        text = response.content.decode()
    assert "NUL" in text and "không hợp lệ" in text


def test_an_address_without_one_is_answered_as_before(org, personas, web):
    assert web(personas.manager).get("/api/v1/units/D1").status_code == 200
