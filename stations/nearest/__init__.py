"""The nearest lookup, the product's hot path, in one package, one job per module.

From the HTTP entry to the SQL: `http` (the ASGI fast path and the documented route) calls `app.state.nearest`,
a `service.Nearest` built in the app's lifespan on the read pool; it parses the query string (`params`, which also
documents the parameters), runs `search` (the over-fetch loop over `db.nearest_sql`'s one statement, through the
small `search.Reads` protocol that `db.read_pool.ReadPool` implements), and shapes the reply (`reply`, with
`navigation` links). `caches.NearestCaches` owns everything kept between lookups and its `reset()`; `opening` says
whether a station is open at a moment; `query` holds the validated lookup.
"""

from stations.nearest.caches import NearestCaches
from stations.nearest.query import DEFAULT_LIMIT, MAX_LIMIT, Nearby, NearestQuery, amenity_codes, make_query
from stations.nearest.service import Nearest

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "Nearby", "Nearest", "NearestCaches", "NearestQuery", "amenity_codes",
           "make_query"]
