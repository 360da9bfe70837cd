"""Signals other apps listen to, so the indicators app need not know about them.

`judgements_published` is sent inside `publish()`'s transaction, after judgements have been
marked published, with `judgements` (the ones newly published) and `actor`; and inside
`republish()`'s, with the one judgement re-published. Receivers run in
the same transaction, so what they write commits or rolls back with the publication.
"""

from __future__ import annotations

from django.dispatch import Signal

judgements_published = Signal()
