"""/api/v1/analytics: totals of any indicator over any subtree and period."""

from ninja import Router

router = Router(tags=["analytics"])
