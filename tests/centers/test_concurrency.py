"""Two people move the same buyer at the same moment, on two database connections."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from centers.models import Buyer, BuyerStatusChange
from centers.services import buyer_change_status
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(buyer_id: int, moves: list[tuple[str, str]], users) -> list[str]:
    """Run the moves at once, one thread (so one connection) each; return "ok" or "stale" per move."""
    barrier = threading.Barrier(len(moves))
    results = [None] * len(moves)

    def move(index, to_status, expected):
        try:
            barrier.wait(timeout=10)
            buyer_change_status(
                buyer_id=buyer_id, to_status=to_status, expected_status=expected, by=users[index]
            )
            results[index] = "ok"
        except ValidationError as error:
            results[index] = error.code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=move, args=(i, to, expected)) for i, (to, expected) in enumerate(moves)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.parametrize("attempt", range(10))
def test_two_simultaneous_moves_of_one_buyer_never_lose_one_silently(attempt, center_user, staff_user):
    buyer = f.BuyerFactory(center=center_user.center)

    results = _race(buyer.pk, [("contacted", "prospect"), ("dropped", "prospect")], [center_user, staff_user])

    buyer.refresh_from_db()
    history = list(BuyerStatusChange.objects.filter(buyer=buyer).order_by("changed_at", "pk"))
    # Exactly one move wins; the other is told the status changed under it. Nothing is lost quietly:
    # every applied move is in the history, and the buyer shows the last one.
    assert sorted(results) == ["ok", "stale"]
    assert len(history) == results.count("ok") == 1
    assert buyer.status == history[-1].to_status
    assert buyer.version == 2


def test_moves_from_different_starting_points_are_all_kept(center_user, staff_user):
    buyer = f.BuyerFactory(center=center_user.center)
    buyer_change_status(buyer_id=buyer.pk, to_status="contacted", expected_status="prospect", by=staff_user)

    # Both saw "contacted"; both want to move it on. One wins, one is refused; the history has both
    # the first move and the winner.
    results = _race(
        buyer.pk, [("interested", "contacted"), ("negotiating", "contacted")], [center_user, staff_user]
    )

    assert sorted(results) == ["ok", "stale"]
    assert BuyerStatusChange.objects.filter(buyer=buyer).count() == 2
    assert Buyer.objects.get(pk=buyer.pk).version == 3
