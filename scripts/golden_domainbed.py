"""Golden data for losslab's domain algorithms on the nn stack (src/adapt/algorithms/): every DomainBed update
(ERM, IRM, VREx, GroupDRO, Mixup, MLDG, CORAL, MMD, DANN) and losslab's domain-adaptation forms (CORAL, MMD, DAN and
DANN with an unlabelled target; DANN with Ganin's gradient reversal), written as plain PyTorch loops that follow
domainbed/algorithms.py line by line, run in float32 on tiny random data from the same initial weights; plus NumPy's
legacy Beta draws (Mixup's lambda) and DomainBed's hparams_registry.

  python3 scripts/golden_domainbed.py                         -> test/golden/domainbed.json
  DOMAINBED=/path/to/DomainBed python3 scripts/golden_domainbed.py
      additionally runs DomainBed's own algorithm classes (domainbed/algorithms.py, a checkout of
      https://github.com/facebookresearch/DomainBed; `timm` is stubbed) on the same data, weights and random draws,
      asserts they give the loops' losses and parameters, and records DomainBed's random_hparams.

Model: DomainBed's Featurizer for 1-d inputs, networks.MLP(d, W) (Linear(d, W) -> ReLU -> Linear(W, W) -> ReLU ->
Linear(W, W)), and a linear classifier; DANN's discriminator networks.MLP(W, D). Randomness: DomainBed draws its domain
permutations with torch.randperm and Mixup's lambda with np.random.beta; here both come from one
np.random.RandomState(seed) (permutation, then the betas in order), which losslab reproduces bit for bit.
"""
import copy
import json
import math
import os
import sys
import types

import numpy as np
import torch
import torch.nn.functional as F
from torch import autograd, nn
from domainbedlib import GradReverse, coral, mkmmd, mmd

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "golden", "domainbed.json")
D_IN, WIDTH, K = 6, 5, 3


def fl(a):
    return [float(v) for v in np.asarray(a.detach() if isinstance(a, torch.Tensor) else a, dtype=np.float64).reshape(-1)]


class MLP(nn.Module):
    """networks.MLP(n_inputs, n_outputs, hparams) with dropout 0."""

    def __init__(self, n_in, n_out, width, depth=3):
        super().__init__()
        self.input = nn.Linear(n_in, width)
        self.hiddens = nn.ModuleList([nn.Linear(width, width) for _ in range(depth - 2)])
        self.output = nn.Linear(width, n_out)

    def forward(self, x):
        x = F.relu(self.input(x))
        for h in self.hiddens:
            x = F.relu(h(x))
        return self.output(x)


def flat_params(module):
    return fl(torch.cat([p.detach().reshape(-1) for p in module.parameters()]))


def load_flat(module, flat):
    k = 0
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.tensor(flat[k:k + p.numel()], dtype=torch.float32).view_as(p))
            k += p.numel()


def make_data(rs, sizes, steps, n_unlabeled=0, unlabeled_size=None):
    """steps x domains minibatches of inputs ~ N(shift_e, 1) and labels; unlabelled target minibatches shifted further."""
    batches = []
    for s in range(steps):
        mbs = []
        for e, n in enumerate(sizes):
            x = (rs.normal(size=(n, D_IN)) + 0.3 * e).astype(np.float32)
            y = rs.randint(0, K, size=n).astype(np.int64)
            mbs.append((x, y))
        unl = [(rs.normal(size=(unlabeled_size or sizes[0], D_IN)) + 1.0).astype(np.float32) for _ in range(n_unlabeled)]
        batches.append((mbs, unl))
    return batches


def torch_batches(batch):
    mbs, unl = batch
    return [(torch.from_numpy(x), torch.from_numpy(y)) for x, y in mbs], [torch.from_numpy(u) for u in unl]


class Draws:
    """torch.randperm and np.random.beta replaced by one RandomState, as losslab draws them."""

    def __init__(self, seed):
        self.rs = np.random.RandomState(seed)

    def randperm(self, n, *args, **kwargs):
        return torch.from_numpy(self.rs.permutation(n))

    def beta(self, a, b, size=None):
        return self.rs.beta(a, b, size)


def random_pairs(minibatches, draws):
    perm = draws.randperm(len(minibatches)).tolist()
    pairs = []
    for i in range(len(minibatches)):
        j = i + 1 if i < (len(minibatches) - 1) else 0
        xi, yi = minibatches[perm[i]]
        xj, yj = minibatches[perm[j]]
        n = min(len(xi), len(xj))
        pairs.append(((xi[:n], yi[:n]), (xj[:n], yj[:n])))
    return pairs


def split_meta(minibatches, n_meta_test, draws):
    n = len(minibatches)
    perm = draws.randperm(n).tolist()
    train, test = perm[:(n - n_meta_test)], perm[-n_meta_test:]
    pairs = []
    for k, i in enumerate(train):
        j = test[k % len(test)]
        (xi, yi), (xj, yj) = minibatches[i], minibatches[j]
        m = min(len(xi), len(xj))
        pairs.append(((xi[:m], yi[:m]), (xj[:m], yj[:m])))
    return pairs


def irm_penalty(logits, y):
    scale = torch.tensor(1.).requires_grad_()
    g1 = autograd.grad(F.cross_entropy(logits[::2] * scale, y[::2]), [scale], create_graph=True)[0]
    g2 = autograd.grad(F.cross_entropy(logits[1::2] * scale, y[1::2]), [scale], create_graph=True)[0]
    return torch.sum(g1 * g2)


class Loop:
    """One algorithm's update, following domainbed/algorithms.py."""

    def __init__(self, name, hp, n_domains, n_unlabeled, draws, total_steps):
        self.name, self.hp, self.draws, self.total = name, hp, draws, total_steps
        self.featurizer = MLP(D_IN, WIDTH, WIDTH)
        self.classifier = nn.Linear(WIDTH, K)
        self.network = nn.Sequential(self.featurizer, self.classifier)
        self.count = 0
        self.q = None
        if name == "dann":
            self.discriminator = MLP(WIDTH, n_domains + n_unlabeled, hp["mlp_width"], hp["mlp_depth"])
        self.opt = torch.optim.Adam(self.network.parameters(), lr=hp["lr"], weight_decay=hp["weight_decay"])

    def modules(self):
        return [self.featurizer, self.classifier] + ([self.discriminator] if self.name == "dann" else [])

    def init_optimizers(self):
        hp = self.hp
        self.opt = torch.optim.Adam(self.network.parameters(), lr=hp["lr"], weight_decay=hp["weight_decay"])
        if self.name == "dann":
            betas = (hp["beta1"], 0.9)
            if hp["adversary"] == "alternating":
                self.disc_opt = torch.optim.Adam(self.discriminator.parameters(), lr=hp["lr_d"], weight_decay=hp["weight_decay_d"], betas=betas)
                self.gen_opt = torch.optim.Adam(self.network.parameters(), lr=hp["lr_g"], weight_decay=hp["weight_decay_g"], betas=betas)
            else:
                self.joint = torch.optim.Adam([dict(params=self.network.parameters(), lr=hp["lr_g"], weight_decay=hp["weight_decay_g"]),
                                               dict(params=self.discriminator.parameters(), lr=hp["lr_d"], weight_decay=hp["weight_decay_d"])], betas=betas)

    def step(self, minibatches, unlabeled):
        getattr(self, "u_" + self.name)(minibatches, unlabeled)

    def backward_step(self, loss, opt=None):
        opt = opt or self.opt
        opt.zero_grad()
        loss.backward()
        opt.step()
        return float(loss)

    def u_erm(self, mbs, unl):
        all_x = torch.cat([x for x, _ in mbs])
        all_y = torch.cat([y for _, y in mbs])
        return self.backward_step(F.cross_entropy(self.network(all_x), all_y))

    def u_irm(self, mbs, unl):
        hp = self.hp
        pw = hp["irm_lambda"] if self.count >= hp["irm_penalty_anneal_iters"] else 1.0
        nll, penalty = 0., 0.
        all_logits = self.network(torch.cat([x for x, _ in mbs]))
        idx = 0
        for x, y in mbs:
            logits = all_logits[idx:idx + x.shape[0]]
            idx += x.shape[0]
            nll += F.cross_entropy(logits, y)
            penalty += irm_penalty(logits, y)
        nll /= len(mbs)
        penalty /= len(mbs)
        loss = nll + pw * penalty
        if self.count == hp["irm_penalty_anneal_iters"]:
            self.opt = torch.optim.Adam(self.network.parameters(), lr=hp["lr"], weight_decay=hp["weight_decay"])
        r = self.backward_step(loss)
        self.count += 1
        return r

    def u_vrex(self, mbs, unl):
        hp = self.hp
        pw = hp["vrex_lambda"] if self.count >= hp["vrex_penalty_anneal_iters"] else 1.0
        all_logits = self.network(torch.cat([x for x, _ in mbs]))
        idx = 0
        losses = torch.zeros(len(mbs))
        for i, (x, y) in enumerate(mbs):
            logits = all_logits[idx:idx + x.shape[0]]
            idx += x.shape[0]
            losses[i] = F.cross_entropy(logits, y)
        mean = losses.mean()
        loss = mean + pw * ((losses - mean) ** 2).mean()
        if self.count == hp["vrex_penalty_anneal_iters"]:
            self.opt = torch.optim.Adam(self.network.parameters(), lr=hp["lr"], weight_decay=hp["weight_decay"])
        r = self.backward_step(loss)
        self.count += 1
        return r

    def u_groupdro(self, mbs, unl):
        if self.q is None:
            self.q = torch.ones(len(mbs))
        losses = torch.zeros(len(mbs))
        for m, (x, y) in enumerate(mbs):
            losses[m] = F.cross_entropy(self.network(x), y)
            self.q[m] *= (self.hp["groupdro_eta"] * losses[m].data).exp()
        self.q /= self.q.sum()
        return self.backward_step(torch.dot(losses, self.q))

    def u_mixup(self, mbs, unl):
        objective = 0
        for (xi, yi), (xj, yj) in random_pairs(mbs, self.draws):
            lam = self.draws.beta(self.hp["mixup_alpha"], self.hp["mixup_alpha"])
            x = lam * xi + (1 - lam) * xj
            p = self.network(x)
            objective += lam * F.cross_entropy(p, yi)
            objective += (1 - lam) * F.cross_entropy(p, yj)
        objective /= len(mbs)
        return self.backward_step(objective)

    def u_mldg(self, mbs, unl):
        num_mb = len(mbs)
        objective = 0
        self.opt.zero_grad()
        for p in self.network.parameters():
            if p.grad is None:
                p.grad = torch.zeros_like(p)
        for (xi, yi), (xj, yj) in split_meta(mbs, self.hp["n_meta_test"], self.draws):
            inner = copy.deepcopy(self.network)
            inner_opt = torch.optim.Adam(inner.parameters(), lr=self.hp["lr"], weight_decay=self.hp["weight_decay"])
            inner_obj = F.cross_entropy(inner(xi), yi)
            inner_opt.zero_grad()
            inner_obj.backward()
            inner_opt.step()
            for pt, ps in zip(self.network.parameters(), inner.parameters()):
                if ps.grad is not None:
                    pt.grad.data.add_(ps.grad.data / num_mb)
            objective += inner_obj.item()
            lj = F.cross_entropy(inner(xj), yj)
            gj = autograd.grad(lj, inner.parameters(), allow_unused=True)
            objective += (self.hp["mldg_beta"] * lj).item()
            for p, g in zip(self.network.parameters(), gj):
                if g is not None:
                    p.grad.data.add_(self.hp["mldg_beta"] * g.data / num_mb)
        self.opt.step()
        return objective / num_mb

    def alignment(self, mbs, unl, distance):
        # DomainBed's AbstractMMD.update, with the unlabelled target minibatches joining the pairs (losslab)
        feats = [self.featurizer(x) for x, _ in mbs] + [self.featurizer(u) for u in unl]
        objective, penalty = 0, 0
        n = len(feats)
        for i in range(len(mbs)):
            objective += F.cross_entropy(self.classifier(feats[i]), mbs[i][1])
        for i in range(n):
            for j in range(i + 1, n):
                penalty += distance(feats[i], feats[j])
        objective /= len(mbs)
        if n > 1:
            penalty /= (n * (n - 1) / 2)
        self.nll = float(objective)
        return self.backward_step(objective + self.hp["mmd_gamma"] * penalty)

    def u_coral(self, mbs, unl):
        return self.alignment(mbs, unl, coral)

    def u_mmd(self, mbs, unl):
        return self.alignment(mbs, unl, mmd)

    def u_dan(self, mbs, unl):
        return self.alignment(mbs, unl, mkmmd)

    def u_dann(self, mbs, unl):
        hp = self.hp
        xs = [x for x, _ in mbs] + list(unl)
        all_y = torch.cat([y for _, y in mbs])
        n_lab = sum(len(x) for x, _ in mbs)
        disc_labels = torch.cat([torch.full((x.shape[0],), i, dtype=torch.int64) for i, x in enumerate(xs)])
        if hp["adversary"] == "reversal":
            lam = hp["lambda"] * (2.0 / (1.0 + math.exp(-10.0 * min(1.0, self.count / self.total))) - 1.0)
            z = self.featurizer(torch.cat(xs))
            cls = F.cross_entropy(self.classifier(z[:n_lab]), all_y)
            disc = F.cross_entropy(self.discriminator(GradReverse.apply(z, lam)), disc_labels)
            self.count += 1
            return self.backward_step(cls + disc, self.joint)
        self.count += 1
        all_z = self.featurizer(torch.cat(xs))
        disc_input = all_z
        disc_out = self.discriminator(disc_input)
        disc_loss = F.cross_entropy(disc_out, disc_labels)
        input_grad = autograd.grad(F.cross_entropy(disc_out, disc_labels, reduction='sum'), [disc_input], create_graph=True)[0]
        grad_penalty = (input_grad ** 2).sum(dim=1).mean(dim=0)
        disc_loss += hp["grad_penalty"] * grad_penalty
        d = hp["d_steps_per_g_step"]
        if self.count % (1 + d) < d:
            self.disc_opt.zero_grad()
            disc_loss.backward()
            self.disc_opt.step()
            return float(disc_loss)
        cls = F.cross_entropy(self.classifier(all_z[:n_lab]), all_y)
        gen_loss = cls + (hp["lambda"] * -disc_loss)
        self.disc_opt.zero_grad()
        self.gen_opt.zero_grad()
        gen_loss.backward()
        self.gen_opt.step()
        return float(gen_loss)


DEFAULTS = dict(lr=1e-3, weight_decay=0.0, batch_size=8, mlp_width=WIDTH, mlp_depth=3, mlp_dropout=0.0, nonlinear_classifier=False)
DANN_DEFAULTS = dict(**{"lambda": 1.0}, weight_decay_d=0.0, d_steps_per_g_step=1, grad_penalty=0.0, beta1=0.5, lr_g=1e-3, lr_d=1e-3,
                     weight_decay_g=0.0, adversary="alternating")


def run_case(case_id, name, hp_extra, sizes, steps, seed, n_unlabeled=0, lr=1e-2):
    rs = np.random.RandomState(seed)
    torch.manual_seed(seed)
    hp = dict(DEFAULTS, lr=lr, **(DANN_DEFAULTS if name == "dann" else {}))
    hp.update(hp_extra)
    if name == "dann":
        hp.update(lr_g=lr, lr_d=lr, mlp_width=WIDTH)
    data = make_data(rs, sizes, steps, n_unlabeled)
    draws = Draws(seed + 1)
    loop = Loop(name, hp, len(sizes), n_unlabeled, draws, steps)
    loop.init_optimizers()
    init = [flat_params(m) for m in loop.modules()]
    losses = []
    nlls = []
    for batch in data:
        mbs, unl = torch_batches(batch)
        losses.append(getattr(loop, "u_" + name)(mbs, unl))
        nlls.append(getattr(loop, "nll", None))
    final = [flat_params(m) for m in loop.modules()]
    case = dict(id=case_id, algorithm=name, hparams={k: v for k, v in hp.items() if k not in ("nonlinear_classifier",)}, sizes=list(sizes), steps=steps,
                nUnlabeled=n_unlabeled, drawSeed=seed + 1, dIn=D_IN, width=WIDTH, k=K,
                batches=[dict(x=[fl(x) for x, _ in b[0]], y=[[int(v) for v in y] for _, y in b[0]], u=[fl(u) for u in b[1]]) for b in data],
                init=init, losses=losses, nlls=nlls, final=final)
    return case, init, data


def domainbed_check(domainbed, case, init, data):
    """Runs DomainBed's own class on the same data, weights and draws; asserts the loop's numbers."""
    algorithms = domainbed["algorithms"]
    misc = domainbed["misc"]
    name = case["algorithm"]
    cls = dict(erm="ERM", irm="IRM", vrex="VREx", groupdro="GroupDRO", mixup="Mixup", mldg="MLDG", coral="CORAL", mmd="MMD", dann="DANN")[name]
    hp = dict(domainbed["hparams_registry"].default_hparams(cls, "RotatedMNIST"))
    hp.update(DEFAULTS)
    for k, v in case["hparams"].items():
        if k in hp or k in ("irm_lambda", "irm_penalty_anneal_iters", "vrex_lambda", "vrex_penalty_anneal_iters", "groupdro_eta", "mixup_alpha",
                            "mldg_beta", "n_meta_test", "mmd_gamma"):
            hp[k] = v
    torch.manual_seed(0)
    alg = algorithms.get_algorithm_class(cls)((D_IN,), K, len(case["sizes"]), hp)
    mods = [alg.featurizer, alg.classifier] + ([alg.discriminator] if name == "dann" else [])
    for m, flat in zip(mods, init):
        load_flat(m, flat)
    draws = Draws(case["drawSeed"])
    saved = torch.randperm, np.random.beta
    torch.randperm, np.random.beta = draws.randperm, draws.beta
    misc.torch.randperm = draws.randperm
    try:
        losses = []
        for batch in data:
            mbs, _ = torch_batches(batch)
            r = alg.update(mbs)
            losses.append(float(r.get("loss", r.get("disc_loss", r.get("gen_loss")))))
    finally:
        torch.randperm, np.random.beta = saved
    final = [flat_params(m) for m in mods]
    # DomainBed's AbstractMMD reports the classification objective as 'loss'
    want = case["nlls"] if name in ("coral", "mmd") else case["losses"]
    assert np.allclose(losses, want, rtol=1e-5, atol=1e-6), (case["id"], losses, want)
    for a, b in zip(final, case["final"]):
        assert np.allclose(a, b, rtol=1e-5, atol=1e-6), case["id"]
    return True


def plain(h):
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in h.items()}


def load_domainbed(path):
    sys.path.insert(0, path)
    sys.modules.setdefault("timm", types.ModuleType("timm"))
    from domainbed import algorithms, hparams_registry
    from domainbed.lib import misc
    return dict(algorithms=algorithms, hparams_registry=hparams_registry, misc=misc)


def main():
    path = os.environ.get("DOMAINBED")
    domainbed = load_domainbed(path) if path else None
    specs = [
        ("erm", "erm", {}, (8, 10, 12), 3, 0, 0),
        ("irm", "irm", dict(irm_lambda=100.0, irm_penalty_anneal_iters=2), (8, 10, 12), 5, 1, 0),
        ("vrex", "vrex", dict(vrex_lambda=10.0, vrex_penalty_anneal_iters=2), (8, 10, 12), 5, 2, 0),
        ("groupdro", "groupdro", dict(groupdro_eta=0.5), (8, 10, 12), 4, 3, 0),
        ("mixup", "mixup", dict(mixup_alpha=0.2), (8, 10, 12), 4, 4, 0),
        ("mixup-alpha2", "mixup", dict(mixup_alpha=2.0), (8, 10, 12), 3, 5, 0),
        ("mldg", "mldg", dict(mldg_beta=1.0, n_meta_test=2), (8, 10, 12, 9), 4, 6, 0),
        ("mldg-1", "mldg", dict(mldg_beta=0.5, n_meta_test=1), (8, 10, 12), 3, 7, 0),
        ("coral", "coral", dict(mmd_gamma=1.0), (8, 10, 12), 4, 8, 0),
        ("mmd", "mmd", dict(mmd_gamma=1.0), (8, 10, 12), 4, 9, 0),
        ("dann", "dann", {}, (8, 10, 12), 4, 10, 0),
        ("dann-gp-d2", "dann", dict(grad_penalty=0.5, d_steps_per_g_step=2, **{"lambda": 0.3}), (8, 10, 12), 6, 11, 0),
        ("coral-target", "coral", dict(mmd_gamma=2.0), (8, 8), 3, 12, 1),
        ("mmd-target", "mmd", dict(mmd_gamma=1.0), (8, 8), 3, 13, 1),
        ("dan-target", "dan", dict(mmd_gamma=1.0), (8, 8), 3, 14, 1),
        ("dann-reversal-target", "dann", dict(adversary="reversal"), (8, 10), 4, 15, 1),
        ("dann-alternating-target", "dann", {}, (8, 10), 4, 16, 1),
    ]
    cases = []
    checked = []
    for case_id, name, extra, sizes, steps, seed, n_unl in specs:
        case, init, data = run_case(case_id, name, extra, sizes, steps, seed, n_unl)
        cases.append(case)
        if domainbed and n_unl == 0 and name != "dan":
            domainbed_check(domainbed, case, init, data)
            checked.append(case_id)
    betas = []
    for seed, a, b in [(0, 0.2, 0.2), (1, 2.0, 2.0), (2, 0.5, 3.0), (3, 1.0, 1.0)]:
        betas.append(dict(seed=seed, a=a, b=b, values=fl(np.random.RandomState(seed).beta(a, b, size=12))))
    registry = None
    if domainbed:
        registry = []
        for alg in ["ERM", "IRM", "VREx", "GroupDRO", "Mixup", "MLDG", "CORAL", "MMD", "DANN"]:
            for seed in range(4):
                registry.append(dict(algorithm=alg, seed=seed, hparams=plain(domainbed["hparams_registry"].random_hparams(alg, "RotatedMNIST", seed))))
            registry.append(dict(algorithm=alg, seed=None, hparams=plain(domainbed["hparams_registry"].default_hparams(alg, "RotatedMNIST"))))
    versions = dict(torch=torch.__version__, numpy=np.__version__)
    if path:
        versions["domainbed"] = os.environ.get("DOMAINBED_COMMIT") or os.popen("git -C %s rev-parse HEAD 2>/dev/null" % path).read().strip() or "checkout at " + path
    elif os.path.exists(OUT):
        # without DomainBed at hand, keep the registry and the record of the last cross-check when the cases are unchanged
        old = json.load(open(OUT))
        registry = old.get("registry")
        if json.loads(json.dumps(cases)) == old.get("cases"):
            checked = old.get("checkedAgainstDomainBed", [])
            if "domainbed" in old.get("versions", {}):
                versions["domainbed"] = old["versions"]["domainbed"]
    with open(OUT, "w") as f:
        json.dump(dict(versions=versions, checkedAgainstDomainBed=checked, cases=cases, betas=betas, registry=registry), f, separators=(",", ":"))
        f.write("\n")
    print("wrote", OUT, "; checked against DomainBed's classes:", ", ".join(checked) or "none (set DOMAINBED)")


if __name__ == "__main__":
    main()
