"""How far behind the primary a replica is, in seconds, measured the same way whether the primary is busy or idle.

Each check round reads the primary's WAL position (`PRIMARY_POSITION`) and remembers when it did. A replica that has
replayed up to a position the primary had at time t holds everything committed before t, so it is at most now - t
behind: its lag is measured from the newest remembered position it has reached. An idle primary's position stands
still, so a replica that has replayed it is 0 s behind however long ago the last commit was (the usual
`now() - pg_last_xact_replay_timestamp()` grows without bound then). A replica cut off from a primary that keeps
writing falls behind by the clock. With the primary down no position is added: a replica that reached the last one
known is as fresh as anything can be, and is used.

A replica behind every remembered position (a process that has just started, or a replica far behind) is at least
as old as the oldest of them, and at least as old as the last commit it replayed while WAL waits to be replayed
(`REPLICA_POSITION`'s `replay_behind_s`: replay paused or slower than the primary).
"""

from __future__ import annotations

from collections import deque

PRIMARY_POSITION = "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn AS position"
"""The primary's WAL write position in bytes (an error on a server in recovery: it is not a primary)."""

REPLICA_POSITION = """
SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END - '0/0'::pg_lsn
       AS position,
       CASE WHEN pg_is_in_recovery() AND pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()
            THEN coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) ELSE 0 END
       AS replay_behind_s
"""
"""What a replica has replayed, in bytes (a promoted replica, no longer in recovery: where it writes), and how old
its last replayed commit is when received WAL waits to be replayed (else 0)."""


class LagMeter:
    """The primary's positions over the last `window` seconds (the newest always kept), and lags measured on them."""

    def __init__(self, *, window: float) -> None:
        self.window = window
        self.positions: deque[tuple[float, int]] = deque()  # (monotonic time, position), oldest first

    def primary_at(self, position: int, *, now: float) -> None:
        """Remember that the primary's WAL was at `position` at `now`; forget positions older than the window."""
        self.positions.append((now, position))
        while len(self.positions) > 1 and now - self.positions[0][0] > self.window:
            self.positions.popleft()

    def lag(self, replayed: int, *, now: float, replay_behind_s: float = 0.0) -> float:
        """Seconds the replica at `replayed` is behind: at most now - (when the primary was at the newest position it
        has reached), 0 when it has reached the newest known one (or none is known: the primary has not answered
        since this process started); behind all of them, at least the oldest's age or `replay_behind_s`."""
        if not self.positions or replayed >= self.positions[-1][1]:
            return 0.0
        for seen_at, position in reversed(self.positions):
            if position <= replayed:
                return now - seen_at
        return max(now - self.positions[0][0], replay_behind_s)
