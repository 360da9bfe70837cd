"""Lists read only each indicator's latest judgement, and say the same as the full history."""

import pytest
from django.contrib.auth.models import AnonymousUser

from goldthread.indicators import access
from goldthread.indicators.presenters.lists import judgement_series


@pytest.mark.parametrize("persona", ["public", "alice", "dana", "ed"])
def test_the_latest_only_read_matches_the_last_of_the_full_history(world, persona):
    user = world.personas()[
        {
            "public": "public",
            "alice": "performance_officer",
            "dana": "cabinet_member",
            "ed": "committee_member",
        }[persona]
    ]
    user = user or AnonymousUser()
    ids = list(access.indicators_for(user).values_list("pk", flat=True))
    full = judgement_series(user, ids)
    latest = judgement_series(user, ids, latest_only=True)
    assert {k: v[-1] for k, v in full.items()} == {k: v[0] for k, v in latest.items()}
    assert all(len(points) == 1 for points in latest.values())
