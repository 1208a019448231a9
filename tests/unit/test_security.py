"""The token-bucket rate limiter, with a controlled clock."""

from __future__ import annotations

from assistant.interfaces.api.security import RateLimiter


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_refill_per_client() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=3, clock=clock)
    assert [limiter.hit("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.hit("a")
    assert 0.9 <= wait <= 1.0  # one token per second
    assert limiter.hit("b") == 0.0  # other clients are not affected
    clock.now += 1.0
    assert limiter.hit("a") == 0.0
    assert limiter.hit("a") > 0
    clock.now += 60
    assert [limiter.hit("a") for _ in range(3)] == [0.0, 0.0, 0.0]  # never above the burst
    assert limiter.hit("a") > 0


def test_idle_clients_are_forgotten() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=5, clock=clock)
    for i in range(100):
        limiter.hit(f"client-{i}")
    clock.now += 120
    limiter.hit("new")
    assert len(limiter._buckets) == 1
