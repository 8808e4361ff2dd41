"""Tables the rollups keep: derived data, rebuilt from the values and the hierarchy at will.

- ``Closure``: for each unit, its ancestors (itself at depth 0) over intervals of days
  in which they stay the same. A unit's first interval reaches back to 1900 and its
  last one forward without end, so that looking up a period's last day gives the
  chain the period totals into (``structure.Structure.reference_day``) with one
  indexed lookup.
- ``Total``: per (indicator, option, stored period, unit, status), the sum, count, minimum and
  maximum of the values of the units *below* it (its own values are read beside it,
  from the values: a unit with nobody below has no totals); for "last in period"
  indicators also per
  containing period (2020 from the units' latest of 2020S1, 2020S2 …). Numbers are
  integers in units of 10⁻⁴ (values have four decimals), so sums are exact on SQLite
  too.
- ``StaleMark``: the hierarchy changed (on ``day``, kept for the record); the closure and
  the totals it reaches are refreshed outside the request (``rebuild.refresh``), and
  reads answer from the values meanwhile.
"""

from django.db import models

SCALE = 10_000
"""Values are stored with four decimals: totals are kept as integers of 10⁻⁴."""


class Closure(models.Model):
    descendant = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    ancestor = models.ForeignKey(
        "orgs.Unit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    depth = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            # The chain a unit's value totals into on a day (the live rollups' writes).
            models.Index(fields=["descendant", "valid_from"], name="closure_descendant"),
            # The units under an ancestor (recomputing one total from the values).
            models.Index(fields=["ancestor", "valid_from"], name="closure_ancestor"),
        ]


class Total(models.Model):
    # No foreign-key constraints in the database (Django still cascades deletes): every
    # row is derived from values whose own keys are checked, and PostgreSQL checked the
    # two keys of each of the ~200,000 rows a 200,000-value import writes, at commit.
    indicator = models.ForeignKey(
        "reporting.Indicator",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    option = models.CharField(max_length=40, blank=True)
    period = models.CharField(max_length=10)
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    status = models.PositiveSmallIntegerField(
        default=0,
        help_text="The values counted: those whose review level (DataValue.status) is at "
        "least this — 0 all, 1 submitted or approved, 2 approved (decision 0020).",
    )
    total = models.BigIntegerField(default=0, help_text="Sum × 10⁴.")
    count = models.IntegerField(default=0)
    low = models.BigIntegerField(null=True, blank=True, help_text="Minimum × 10⁴.")
    high = models.BigIntegerField(null=True, blank=True, help_text="Maximum × 10⁴.")

    class Meta:
        constraints = [
            # One total per cell; also the lookup of units × periods × indicators. The
            # unit leads: a table asks for a few units and many (often all) indicators,
            # and PostgreSQL only narrows an index scan by lists on its leading columns
            # (led by the indicator it scanned the whole table: 1 s for 7,500 cells).
            # The status last: a read asks for one status of the rows of a (unit, period).
            models.UniqueConstraint(
                fields=["unit", "period", "indicator", "option", "status"],
                name="total_unit_cell_status",
            ),
        ]


class StaleMark(models.Model):
    day = models.DateField(
        null=True,
        blank=True,
        help_text="When the hierarchy changed, for the record (the refresh works out what "
        "the change reaches from the closure itself).",
    )
