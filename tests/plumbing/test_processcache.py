"""ProcessCache (accessrules.processcache): the bound in seconds and in entries."""

from accessrules.processcache import ProcessCache


def test_a_value_is_reused_within_the_bound_only():
    cache = ProcessCache()
    cache.put_many({"a": 1}, now=100.0)
    assert cache.get("a", ttl=30, now=129.9) == 1
    assert cache.get("a", ttl=30, now=130.0) is None
    assert cache.get("b", ttl=30, now=100.0) is None


def test_a_full_cache_drops_everything_before_storing():
    cache = ProcessCache(max_entries=2)
    cache.put_many({"a": 1, "b": 2})
    cache.put_many({"c": 3})
    assert cache.values() == [3]
    cache.pop("c")
    cache.pop("missing")
    assert cache.values() == []
