"""MurmurHash3 x86 32-bit written out from the reference algorithm, so rollout tests expect
buckets computed independently of the code under test (which uses the mmh3 package)."""

from __future__ import annotations

_MASK = 0xFFFFFFFF


def _rotl(value: int, bits: int) -> int:
    return ((value << bits) | (value >> (32 - bits))) & _MASK


def murmur3_32(data: bytes, seed: int = 0) -> int:
    c1, c2 = 0xCC9E2D51, 0x1B873593
    h = seed & _MASK
    whole = len(data) // 4 * 4
    for start in range(0, whole, 4):
        k = int.from_bytes(data[start : start + 4], "little")
        k = _rotl((k * c1) & _MASK, 15) * c2 & _MASK
        h = (_rotl(h ^ k, 13) * 5 + 0xE6546B64) & _MASK
    tail = data[whole:]
    if tail:
        k = int.from_bytes(tail, "little")
        k = _rotl((k * c1) & _MASK, 15) * c2 & _MASK
        h ^= k
    h ^= len(data)
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _MASK
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _MASK
    return h ^ (h >> 16)


def expected_bucket(group_id: str, tenant_id: str) -> int:
    """Unleash's normalizedValue: 1..100."""
    return murmur3_32(f"{group_id}:{tenant_id}".encode()) % 100 + 1
