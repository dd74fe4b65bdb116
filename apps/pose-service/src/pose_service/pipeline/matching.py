"""Box overlap and greedy one-to-one matching, shared by the MoveNet and BlazePose trackers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def box_iou(a: Sequence[float], b: Sequence[float]) -> float:
    """Boxes as x_min, y_min, x_max, y_max."""
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0


def greedy_match(costs: Iterable[tuple[float, int, int]], max_cost: float) -> dict[int, int]:
    """(cost, track, candidate) triples -> {candidate: track}, cheapest pairs first: enough for a few people."""
    assigned: dict[int, int] = {}
    used: set[int] = set()
    for cost, track, candidate in sorted(costs):
        if cost <= max_cost and track not in used and candidate not in assigned:
            assigned[candidate] = track
            used.add(track)
    return assigned
