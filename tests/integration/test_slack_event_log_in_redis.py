"""The Slack event record in a real Redis: one claim wins across replicas, entries expire."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import redis

from channels.slack_dedup import REDIS_KEY_PREFIX, RedisSlackEventLog
from tests.support.redis_server import RedisServer


def test_a_retried_event_is_claimed_once_by_any_of_several_replicas(
    redis_server: RedisServer,
) -> None:
    replicas = [RedisSlackEventLog(redis_server.url(3)) for _ in range(4)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        claims = list(pool.map(lambda i: replicas[i % 4].claim("Ev-retried"), range(16)))

    assert claims.count(True) == 1


def test_an_event_seen_under_any_of_its_keys_is_not_new(redis_server: RedisServer) -> None:
    log = RedisSlackEventLog(redis_server.url(3))

    assert log.claim("Ev-1", "msg:C1:1700000000.0001")
    assert not log.claim("Ev-2", "msg:C1:1700000000.0001")  # app_mention and message twins


def test_entries_expire_after_the_time_to_live(redis_server: RedisServer) -> None:
    RedisSlackEventLog(redis_server.url(3), ttl_seconds=60).claim("Ev-ttl")

    ttl = redis.Redis.from_url(redis_server.url(3)).ttl(REDIS_KEY_PREFIX + "Ev-ttl")

    assert 0 < ttl <= 60
