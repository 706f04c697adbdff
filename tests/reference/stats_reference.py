"""Reference values for tests/unit/stats.test.ts, computed with SciPy, independently of
the TypeScript code. Run: python3 tests/reference/stats_reference.py (SciPy >= 1.11)."""
import json
import math

import numpy as np
from scipy import integrate, optimize, special, stats

out = {}

# Wilson score interval: SciPy's binomtest(...).proportion_ci(method="wilson").
out["wilson"] = [
    [k, n, conf, *map(float, stats.binomtest(k, n).proportion_ci(confidence_level=conf, method="wilson"))]
    for k, n, conf in [(12, 100, 0.95), (0, 50, 0.95), (50, 50, 0.95), (1, 1000, 0.95), (12, 100, 0.9), (480, 10000, 0.99)]
]


# SRM: SciPy's chi-square goodness of fit.
def srm(obs, w):
    total = sum(obs)
    exp = [total * x / sum(w) for x in w]
    return float(stats.chisquare(obs, exp).pvalue)


out["srm"] = [[obs, w, srm(obs, w)] for obs, w in [([5100, 4900], [1, 1]), ([1000, 1100, 950], [1, 1, 1]), ([7150, 2850], [0.7, 0.3]), ([5300, 4700], [1, 1])]]


# P(best) under Beta(1, 1) priors: numerical integration with SciPy's quad.
def p_best(arms):
    post = [stats.beta(1 + c, 1 + n - c) for n, c in arms]
    res = []
    for i, d in enumerate(post):
        f = lambda x, i=i, d=d: d.pdf(x) * np.prod([o.cdf(x) for j, o in enumerate(post) if j != i])
        res.append(float(integrate.quad(f, 0, 1, points=[d.mean()], limit=500, epsabs=1e-12)[0]))
    return res


out["pBest"] = [[arms, p_best(arms)] for arms in [[(1000, 100), (1000, 130)], [(200, 10), (180, 12)], [(1000, 100), (1000, 130), (1000, 120)], [(500, 40), (520, 45), (480, 30), (510, 44)]]]

# Regularised incomplete beta: SciPy's betainc.
out["betaIncomplete"] = [[x, a, b, float(special.betainc(a, b, x))] for x, a, b in [(0.06, 13, 189), (0.5, 0.3, 29.7), (0.9, 5, 2), (0.001, 1, 1001), (0.3, 400.5, 900.25)]]


# Beta-binomial mixture (Howard et al. 2021): ln ∫ L(p) dBeta(p) − ln L(q0), with SciPy's betaln.
def evidence(s, f, q0, a, b):
    return float(special.betaln(a + s, b + f) - special.betaln(a, b) - special.xlogy(s, q0) - special.xlogy(f, 1 - q0))


out["mixtureEvidence"] = [[s, f, q0, a, b, evidence(s, f, q0, a, b)] for s, f, q0, a, b in [(73, 2627, 0.06, 9, 141), (0, 500, 0.02, 1, 49), (40, 0, 0.5, 60.5, 60.5), (130.5, 1200.25, 0.1, 2, 18)]]


# Its always-valid interval: the rates whose evidence stays below ln(1/alpha), by SciPy's brentq.
def mixture_interval(s, f, a, b, alpha):
    g = lambda q: evidence(s, f, q, a, b) - math.log(1 / alpha)
    mle = s / (s + f)
    low = 0.0 if s == 0 else optimize.brentq(g, 1e-300, mle, xtol=1e-15)
    high = 1.0 if f == 0 else optimize.brentq(g, mle, 1 - 1e-16, xtol=1e-15)
    return [low, high]


out["mixtureInterval"] = [[s, f, a, b, alpha, *mixture_interval(s, f, a, b, alpha)] for s, f, a, b, alpha in [(73, 2627, 9, 141, 0.025), (253, 2547, 9, 141, 0.025), (1, 149, 3, 47, 0.025), (0, 500, 60.5, 60.5, 0.025), (40, 0, 60.5, 60.5, 0.025), (720, 480, 60.5, 60.5, 0.00833333333333)]]


# The plan: visitors per arm where the signup-share rule, read after every signup, has
# called the minimum lift a winner with probability 0.8, at the target with an even split.
# First passage over the whole distribution of the treatment's count (no truncation):
# after each signup the mass where the rule has decided "better" is taken out.
def plan(target, mde, treatments, alpha=0.05):
    w = 0.5
    share = w * (1 + mde) / (w * (1 + mde) + 1 - w)
    weight = w * (1 - w) / (share - w) ** 2
    a, b = w * weight, (1 - w) * weight
    threshold = math.log(treatments / alpha)
    mass = np.zeros(1)
    mass[0] = 1.0
    called = 0.0
    k = 0
    while called < 0.8:
        k += 1
        mass = np.append(mass * (1 - share), 0.0) + np.append(0.0, mass * share)
        x = np.arange(k + 1)
        log_evidence = special.betaln(a + x, b + k - x) - special.betaln(a, b) - k * math.log(w)
        decided = (x > w * k) & (log_evidence > threshold)
        called += mass[decided].sum()
        mass[decided] = 0.0
    return math.ceil(k / (target * (2 + mde)))


out["plan"] = [[t, m, k, plan(t, m, k)] for t, m, k in [(0.06, 0.2, 1), (0.1, 0.3, 1), (0.05, 0.2, 3), (0.02, 0.5, 2), (0.3, 0.2, 1)]]


# Bayesian reading. An idea: prior Beta(2t, 2(1 - t)), P(rate > target) by SciPy's beta.sf.
out["aboveTarget"] = [[n, s, t, float(stats.beta.sf(t, 2 * t + s, 2 * (1 - t) + n - s))] for n, s, t in [(300, 21, 0.06), (20, 0, 0.05), (150, 1, 0.06), (2000, 130, 0.06), (17, 1, 0.06)]]


# A variant: one prior Beta(2r, 2(1 - r)) for both arms, r the pooled conversion.
def reading(nc, cc, nt, ct):
    r = (cc + ct) / (nc + nt)
    a, b = 2 * r, 2 * (1 - r)
    pc, pt = stats.beta(a + cc, b + nc - cc), stats.beta(a + ct, b + nt - ct)
    lo, hi = pc.ppf(1e-13), pc.isf(1e-13)
    beats = integrate.quad(lambda x: pc.pdf(x) * pt.sf(x), lo, hi, limit=500, epsabs=1e-13)[0]
    # E[max(pC − pT, 0)] = ∫ f_T(t) ∫_t^1 (c − t) f_C(c) dc dt
    inner = lambda t: pc.mean() * stats.beta(a + cc + 1, b + nc - cc).sf(t) - t * pc.sf(t)
    lt, ht = pt.ppf(1e-13), pt.isf(1e-13)
    loss = integrate.quad(lambda t: pt.pdf(t) * inner(t), lt, ht, limit=500, epsabs=1e-14)[0]
    cdf = lambda q: integrate.quad(lambda x: pc.pdf(x) * pt.cdf(min(1.0, (1 + q) * x)), lo, hi, limit=500, epsabs=1e-13)[0]
    quantile = lambda p: optimize.brentq(lambda q: cdf(q) - p, -0.999999, 1e4, xtol=1e-12)
    return [beats, quantile(0.5), quantile(0.025), quantile(0.975), loss]


out["reading"] = [[nc, cc, nt, ct, *reading(nc, cc, nt, ct)] for nc, cc, nt, ct in [(1000, 100, 1000, 130), (500, 3, 500, 40), (200, 10, 180, 12), (40, 1, 40, 1), (8000, 480, 8000, 500)]]

print(json.dumps(out, indent=1))
