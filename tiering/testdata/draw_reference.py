#!/usr/bin/env python3
"""An independent reference of tiering.Draw's method, version 1, for
TestDrawGolden: written from the method in Draw's documentation, with
PCG-DXSM as the PCG paper's 128-bit LCG and DXSM output function
(https://github.com/imneme/pcg-cpp, pcg_random.hpp; the constants are those
of Go's math/rand/v2 pcg.go) and Lemire's multiply-shift with rejection.
Run: python3 testdata/draw_reference.py"""

M64 = (1 << 64) - 1
M128 = (1 << 128) - 1
MUL = (2549297995355413924 << 64) | 4865540595714422341
INC = (6364136223846793005 << 64) | 1442695040888963407


class PCG:
    def __init__(self, seed1, seed2):
        self.state = (seed1 << 64) | seed2  # NewPCG(seed1, seed2): hi, lo

    def uint64(self):
        self.state = (self.state * MUL + INC) & M128
        hi, lo = self.state >> 64, self.state & M64
        hi ^= hi >> 32
        hi = (hi * 0xDA942042E4DD58B5) & M64
        hi ^= hi >> 48
        return (hi * (lo | 1)) & M64


def uniform(src, n):
    prod = src.uint64() * n
    hi, lo = prod >> 64, prod & M64
    if lo < n:
        thresh = ((1 << 64) - n) % n
        while lo < thresh:
            prod = src.uint64() * n
            hi, lo = prod >> 64, prod & M64
    return hi


def draw(entrants, winners, seed):
    left = sorted(entrants, key=lambda e: e[0].encode())
    src = PCG(seed, 0)
    out = []
    for _ in range(winners):
        total = sum(t or 1 for _, t in left)
        u = uniform(src, total)
        for i, (m, t) in enumerate(left):
            t = t or 1
            if u < t:
                out.append(m)
                del left[i]
                break
            u -= t
    return out


if __name__ == "__main__":
    entrants = [("王芳", 0), ("li.lei", 3), ("ann", 0), ("bob", 2), ("carol", 0), ("dave", 5)]
    for seed, k in [(20260305, 1), (20260305, 3), (0, 6)]:
        print(seed, k, draw(entrants, k, seed))
