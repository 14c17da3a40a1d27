# Generates core/metrics/testdata/sklearn_golden.json with scikit-learn 1.2.1
# and scipy 1.10.1 (Debian bookworm), following reference-behaviour.md §10.
import json, numpy as np, sklearn, scipy
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import normalized_mutual_info_score as nmi, adjusted_rand_score as ari, f1_score
rng = np.random.default_rng(7)
cases = []
def official(yt, yp, base):
    D = max(yp.max(), yt.max()) + 1
    w = np.zeros((D, D), dtype=int)
    for i in range(yp.size):
        w[yp[i], yt[i]] += 1
    r, c = linear_sum_assignment(w.max() - w)
    m = dict(zip(r.tolist(), c.tolist()))
    # §10 step 4, as the reference's split_cluster_acc does: for each novel
    # class (the true classes of the samples flagged novel, in set order)
    # keep every sample of that class, base-flagged or not.
    keep = np.concatenate([np.where(yt == i)[0] for i in set(yt[~base].tolist())] or [np.array([], dtype=int)]).astype(int)
    t = yt[keep]; p = np.array([m[x] for x in yp[keep]], dtype=int)
    out = dict(assignment=[m[i] for i in range(D)])
    out["nmi"] = float(nmi(t, p)); out["ari"] = float(ari(t, p))
    out["f1"] = float(f1_score(t, p, average="micro")) if t.size else 0.0
    out["macro_f1"] = float(f1_score(t, p, average="macro", zero_division=0)) if t.size else 0.0
    return out
for k in range(60):
    n = int(rng.integers(1, 120))
    kt = int(rng.integers(1, 7)); kp = int(rng.integers(1, 9))
    off = int(rng.integers(0, 3))
    yt = rng.integers(0, kt, n) + off
    yp = rng.integers(0, kp, n)
    if k % 3 == 0:  # correlated predictions
        yp = np.where(rng.random(n) < 0.7, (yt * 2 + 1) % (kp + 3), yp)
    base = rng.random(n) < (0.3 if k % 2 else 0.0)
    c = dict(y_true=yt.tolist(), y_pred=yp.tolist(), is_base=base.tolist())
    c.update(official(yt, yp, base))
    cases.append(c)
lsa = []
for k in range(40):
    r = int(rng.integers(1, 7)); c = int(rng.integers(1, 7))
    m = rng.integers(0, 3, (r, c)).astype(float)  # many ties
    rr, cc = linear_sum_assignment(m)
    lsa.append(dict(cost=m.tolist(), rows=rr.tolist(), cols=cc.tolist()))
json.dump(dict(generator=f"sklearn {sklearn.__version__}, scipy {scipy.__version__}", cluster=cases, lsa=lsa),
          open(__import__("os").path.join(__import__("os").path.dirname(__import__("os").path.abspath(__file__)), "sklearn_golden.json"), "w"), indent=None)
print("ok", sklearn.__version__, scipy.__version__)
