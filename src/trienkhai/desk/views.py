"""The desk page: the landing page of every logged-in user."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from trienkhai.desk import context
from trienkhai.desk.work import desk_of


@login_required
@require_GET
def desk(request):
    """What the user owes and what waits for them, most urgent first, each one click away."""
    today = timezone.localdate()
    found = desk_of(request.user, today)
    context.remember(request.user, found.total)
    page = {
        "desk": found,
        "today": today,
        "reports_url": reverse("reporting:list"),
    }
    return render(request, "desk/desk.html", page)
