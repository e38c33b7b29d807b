from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from findash.flags.bucketing import rollout_bucket, rollout_includes
from findash.flags.state import FlagState, flag_decide

tenant_ids = st.builds(
    lambda kind, number: f"{kind}_{number}",
    st.sampled_from(["user", "org"]),
    st.integers(min_value=1, max_value=10**12),
)
percentages = st.integers(min_value=0, max_value=100)


def _in(tenant_id: str, rollout: int, group_id: str = "dashboard") -> bool:
    state = FlagState(key="dashboard", enabled=True, rollout=rollout, group_id=group_id)
    return flag_decide(state, tenant_id=tenant_id).enabled


@settings(max_examples=60, deadline=None)
@given(tenant_id=tenant_ids, p=percentages, q=percentages)
def test_a_tenant_in_at_p_percent_stays_in_at_every_higher_percentage(
    tenant_id: str, p: int, q: int
) -> None:
    low, high = sorted((p, q))
    if _in(tenant_id, low):
        assert _in(tenant_id, high)


def test_stickiness_over_thousands_of_tenants_and_every_stage() -> None:
    ids = [f"org_{n}" for n in range(1, 3001)]
    previously_in: set[str] = set()
    for rollout in range(0, 101):
        now_in = {tenant_id for tenant_id in ids if _in(tenant_id, rollout)}
        assert previously_in <= now_in, f"someone dropped out going to {rollout} %"
        previously_in = now_in
    assert previously_in == set(ids)


def test_at_25_percent_about_a_quarter_of_10000_random_tenants_are_in() -> None:
    rng = random.Random(20261123)
    ids = {f"{rng.choice(['user', 'org'])}_{rng.randrange(1, 10**9)}" for _ in range(10_000)}
    while len(ids) < 10_000:
        ids.add(f"org_{rng.randrange(1, 10**9)}")
    share_percent = 100 * sum(_in(tenant_id, 25) for tenant_id in ids) / len(ids)
    assert 23 <= share_percent <= 27


@settings(max_examples=60, deadline=None)
@given(tenant_id=tenant_ids, group_id=st.text(min_size=1, max_size=30))
def test_buckets_run_from_1_to_100_and_0_and_100_percent_are_absolute(
    tenant_id: str, group_id: str
) -> None:
    bucket = rollout_bucket(group_id=group_id, tenant_id=tenant_id)
    assert 1 <= bucket <= 100
    assert not rollout_includes(rollout=0, bucket=bucket)
    assert rollout_includes(rollout=100, bucket=bucket)


def test_the_group_id_reshuffles_who_is_in() -> None:
    ids = [f"user_{n}" for n in range(1, 401)]
    in_dashboard = {t for t in ids if _in(t, 50, group_id="dashboard")}
    in_other = {t for t in ids if _in(t, 50, group_id="reports")}
    assert in_dashboard != in_other


def test_known_buckets_match_unleash_normalized_value() -> None:
    # Unleash: normalizedValue(id, groupId) = murmurhash3("groupId:id", 0) % 100 + 1.
    # Feature.flexibleRollout.10 is on for userId 174 and off for 499 (client spec 10).
    assert rollout_bucket(group_id="Feature.flexibleRollout.10", tenant_id="174") <= 10
    assert rollout_bucket(group_id="Feature.flexibleRollout.10", tenant_id="499") > 10


def test_buckets_equal_an_independent_murmur3() -> None:
    from findash.flags.bucketing import rollout_bucket
    from tests.flags.murmur import expected_bucket, murmur3_32

    assert murmur3_32(b"") == 0
    assert murmur3_32(b"hello") == 0x248BFA47  # the reference implementation's value
    for index in range(500):
        tenant = f"user_{index}"
        assert rollout_bucket(group_id="dashboard", tenant_id=tenant) == expected_bucket(
            "dashboard", tenant
        )
