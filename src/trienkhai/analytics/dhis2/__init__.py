"""A subset of the DHIS2 Web API under /dhis2/api/, so that DHIS2 tools push and pull
trienkhai's data unchanged.

Identifiers are trienkhai's codes, as DHIS2 reads them with ``idScheme=CODE``:

=======================  =============================================================
DHIS2                    trienkhai
=======================  =============================================================
organisation unit        unit code (``HU-VT``)
data element             indicator code (``luot_tham_gia``)
category combo           disaggregation code (``doi_tuong``), or ``default``
category option combo    disaggregation option code (``dang_vien``), or ``default``
data set                 form code (``BC35-VT-6T``)
period                   the same ids (``2020S1``, ``2021``, ``2021Q3``, ``202107``);
                         relative ones (``LAST_YEAR``) in analytics
=======================  =============================================================

Every write asks reporting's rules (``cells.refusals``: scope, assignment, entry window,
locked reports) and goes through its writers (``bulk.write_checked`` for values,
``services.submit`` for registrations); reads ask ``accounts.policy``; totals come from
the rollup engine.
"""
