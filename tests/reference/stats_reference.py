"""Reference values for tests/unit/stats.test.ts, computed with SciPy, independently of
the TypeScript code. Run: python3 tests/reference/stats_reference.py (SciPy >= 1.11)."""
import json
import math

import numpy as np
from scipy import integrate, stats

out = {}

# Wilson score interval: SciPy's binomtest(...).proportion_ci(method="wilson").
out["wilson"] = [
    [k, n, conf, *map(float, stats.binomtest(k, n).proportion_ci(confidence_level=conf, method="wilson"))]
    for k, n, conf in [(12, 100, 0.95), (0, 50, 0.95), (50, 50, 0.95), (1, 1000, 0.95), (12, 100, 0.9), (480, 10000, 0.99)]
]


# Pooled two-proportion z-test: textbook formula with SciPy's normal survival function.
def ztest(nc, cc, nt, ct):
    p = (cc + ct) / (nc + nt)
    se = math.sqrt(p * (1 - p) * (1 / nc + 1 / nt))
    z = (ct / nt - cc / nc) / se
    return [z, float(2 * stats.norm.sf(abs(z)))]


out["ztest"] = [[nc, cc, nt, ct, *ztest(nc, cc, nt, ct)] for nc, cc, nt, ct in [(1000, 100, 1000, 130), (5000, 250, 4800, 260), (2000, 90, 2100, 60)]]


# Relative lift, delta method.
def lift_var(nc, cc, nt, ct):
    pc, pt = cc / nc, ct / nt
    var = pt * (1 - pt) / (nt * pc**2) + pt**2 * pc * (1 - pc) / (nc * pc**4)
    return pt / pc - 1, var


def lift_ci(nc, cc, nt, ct, conf):
    lift, var = lift_var(nc, cc, nt, ct)
    z = stats.norm.ppf(1 - (1 - conf) / 2)
    return [lift, lift - z * math.sqrt(var), lift + z * math.sqrt(var)]


out["lift"] = [[nc, cc, nt, ct, conf, *lift_ci(nc, cc, nt, ct, conf)] for nc, cc, nt, ct, conf in [(1000, 100, 1000, 130, 0.95), (5000, 250, 4800, 260, 0.9), (2000, 90, 2100, 60, 0.95)]]


# Sequential: asymptotic normal-mixture confidence sequence (Waudby-Smith et al. 2023,
# eqs. 9, 155 and 161), written from the paper's formulas with NumPy.
def sequential(nc, cc, nt, ct, alpha, tuning):
    lift, var = lift_var(nc, cc, nt, ct)
    n = nc + nt
    rho = np.sqrt((-2 * np.log(alpha) + np.log(-2 * np.log(alpha) + 1)) / tuning)
    nrho = n * rho**2 + 1
    half = np.sqrt(var * n) * np.sqrt(2 * nrho * np.log(np.sqrt(nrho) / alpha) / (n * rho) ** 2)
    t2 = lift**2 * n / var
    log_e = rho**2 * t2 / (2 * nrho) - 0.5 * np.log(nrho)
    p = 1.0 if log_e <= 0 else float(min(np.exp(-log_e), 1.0))
    return [lift, float(lift - half), float(lift + half), p]


out["sequential"] = [[nc, cc, nt, ct, a, t, *sequential(nc, cc, nt, ct, a, t)] for nc, cc, nt, ct, a, t in [(1000, 100, 1000, 130, 0.05, 5000), (20000, 1000, 20000, 1150, 0.05, 5000), (3000, 150, 3000, 200, 0.1, 10000)]]


# Holm: written out from Holm (1979).
def holm(ps):
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    adj, run = [0.0] * m, 0.0
    for rank, i in enumerate(order):
        run = max(run, min(1.0, (m - rank) * ps[i]))
        adj[i] = run
    return adj


out["holm"] = [[ps, holm(ps)] for ps in [[0.01, 0.04, 0.03, 0.005], [0.2, 0.001, 0.04], [0.5]]]

# SRM: SciPy's chi-square goodness of fit.
def srm(obs, w):
    total = sum(obs)
    exp = [total * x / sum(w) for x in w]
    return float(stats.chisquare(obs, exp).pvalue)


out["srm"] = [[obs, w, srm(obs, w)] for obs, w in [([5100, 4900], [1, 1]), ([1000, 1100, 950], [1, 1, 1]), ([7150, 2850], [0.7, 0.3]), ([5300, 4700], [1, 1])]]


# Sample size per arm, two-sided two-proportion z-test (Fleiss, no continuity correction).
def sample_size(p1, mde, alpha, power):
    p2 = p1 * (1 + mde)
    pbar = (p1 + p2) / 2
    za, zb = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    return math.ceil((za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / (p2 - p1) ** 2)


out["sampleSize"] = [[p, m, a, pw, sample_size(p, m, a, pw)] for p, m, a, pw in [(0.1, 0.2, 0.05, 0.8), (0.05, 0.1, 0.05, 0.8), (0.3, -0.1, 0.01, 0.9)]]


# P(best) under Beta(1, 1) priors: numerical integration with SciPy's quad.
def p_best(arms):
    post = [stats.beta(1 + c, 1 + n - c) for n, c in arms]
    res = []
    for i, d in enumerate(post):
        f = lambda x, i=i, d=d: d.pdf(x) * np.prod([o.cdf(x) for j, o in enumerate(post) if j != i])
        res.append(float(integrate.quad(f, 0, 1, points=[d.mean()], limit=500, epsabs=1e-12)[0]))
    return res


out["pBest"] = [[arms, p_best(arms)] for arms in [[(1000, 100), (1000, 130)], [(200, 10), (180, 12)], [(1000, 100), (1000, 130), (1000, 120)], [(500, 40), (520, 45), (480, 30), (510, 44)]]]

print(json.dumps(out, indent=1))
