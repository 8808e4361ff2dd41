"""The desk page: the landing page of every logged-in user."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from trienkhai.desk.work import desk_of


@login_required
@require_GET
def desk(request):
    """What the user owes and what waits for them, most urgent first, each one click away."""
    today = timezone.localdate()
    context = {
        "desk": desk_of(request.user, today),
        "today": today,
        "reports_url": reverse("reporting:list"),
    }
    return render(request, "desk/desk.html", context)
