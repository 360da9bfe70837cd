"""Statistical process control (XmR charts) the NHS "Making Data Count" way.

Pure Python and numpy, no Django. The default rules are NHSRplotthedots 0.2.2's, as set out
in the project's SPC specification; other Making Data Count tools' rules are options, off by
default. See ``docs/spc.md`` for the plain-English help and
``docs/adr/0003-spc-constant-series.md`` for the one deliberate deviation (flat series).

    >>> result = xmr([5, 6, 5, 7, 6, 5, 6, 7, 5, 6, 7, 6, 5, 30], improvement="decrease")
    >>> str(result.label[-1]), result.variation_icon
    ('Above UCL', 'concern_high')
"""

from goldthread.analysis.spc._api import WARNING_THRESHOLD, xmr, xmr_batch
from goldthread.analysis.spc._engine import LIMIT, NEAR_LIMIT, SCREEN
from goldthread.analysis.spc._result import LABELS, SpcResult

__all__ = [
    "LABELS",
    "LIMIT",
    "NEAR_LIMIT",
    "SCREEN",
    "WARNING_THRESHOLD",
    "SpcResult",
    "xmr",
    "xmr_batch",
]
