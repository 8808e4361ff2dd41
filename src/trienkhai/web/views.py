from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_GET


@login_required
@require_GET
def home(request):
    """Every user lands on their desk: what they owe and what waits for them (issue 15)."""
    return redirect("desk:desk")
