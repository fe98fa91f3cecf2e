"""newsledger: raw news in, an auditable ledger out.

Every item (entity mention, quote, claim, event, figure, time expression)
carries character offsets into ``article.text`` so it can be checked against
the words it came from.
"""

__version__ = "0.1.0"
SCHEMA = "newsledger.record/1"
