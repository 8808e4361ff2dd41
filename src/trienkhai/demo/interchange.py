"""Agency identifier codes (mã định danh, QĐ 20/2020/QĐ-TTg) for the demo's Party bodies.

INVENTED: the real codes of these bodies are not in the source documents. They have the
standard's form (000.00.00.G22: four groups of 3, 2, 2, 3) with a "Z" in the top group,
which no real code is known to use, so that the demo can export and import edXML
packages between its registers (docs/EDXML.md). Idempotent.
"""

from trienkhai.common.actors import DEMO
from trienkhai.orgs import services
from trienkhai.orgs.models import Unit

AGENCY_CODES = {
    "TU-KG": "000.00.00.Z91",
    "HU-VT": "000.00.01.Z91",
    "BTGHU-VT": "000.01.01.Z91",
    "BCD35-VT": "000.02.01.Z91",
    "TU-BK": "000.00.00.Z06",
    "HU-CD": "000.00.01.Z06",
    "BTGHU-CD": "000.01.01.Z06",
    "BCD35-CD": "000.02.01.Z06",
}


def load() -> None:
    for unit in Unit.objects.filter(code__in=AGENCY_CODES, agency_code=""):
        services.set_agency_code(acting_user=DEMO, unit=unit, agency_code=AGENCY_CODES[unit.code])
