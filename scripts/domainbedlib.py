"""Shared by the domain-adaptation golden scripts: DomainBed's and tllib's penalties in PyTorch.

  coral          DomainBed AbstractMMD.mmd(kernel_type='mean_cov') (= tllib CorrelationAlignmentLoss)
  mmd            DomainBed AbstractMMD.mmd(kernel_type='gaussian'), gaussian_kernel with gammas 1e-3 … 1e3
  mkmmd          tllib MultipleKernelMaximumMeanDiscrepancy, five Gaussian kernels (bandwidths 2^-3 … 2^1
                 times the mean squared distance); linear=True is the linear-time estimate
  GradReverse    the gradient reversal layer of DANN (tllib GradientReverseFunction)
"""
import torch


class GradReverse(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, lam):
        ctx.lam = lam
        return x.view_as(x)

    @staticmethod
    def backward(ctx, g):
        return -ctx.lam * g, None


def coral(x, y):
    mx, my = x.mean(0, keepdim=True), y.mean(0, keepdim=True)
    cx, cy = x - mx, y - my
    Cx, Cy = (cx.t() @ cx) / (len(x) - 1), (cy.t() @ cy) / (len(y) - 1)
    return (mx - my).pow(2).mean() + (Cx - Cy).pow(2).mean()


def cdist(x1, x2):
    x1n = x1.pow(2).sum(dim=-1, keepdim=True)
    x2n = x2.pow(2).sum(dim=-1, keepdim=True)
    return torch.addmm(x2n.transpose(-2, -1), x1, x2.transpose(-2, -1), alpha=-2).add_(x1n).clamp_min_(1e-30)


def gaussian_kernel(x, y, gammas=(0.001, 0.01, 0.1, 1, 10, 100, 1000)):
    D = cdist(x, y)
    K = torch.zeros_like(D)
    for g in gammas:
        K.add_(torch.exp(D.mul(-g)))
    return K


def mmd(x, y):
    return gaussian_kernel(x, x).mean() + gaussian_kernel(y, y).mean() - 2 * gaussian_kernel(x, y).mean()


def mkmmd(zs, zt, linear=True):
    b = zs.shape[0]
    f = torch.cat([zs, zt])
    D = ((f.unsqueeze(0) - f.unsqueeze(1)) ** 2).sum(2)
    K = sum(torch.exp(-D / (2 * (a * torch.mean(D.detach())))) for a in [2 ** k for k in range(-3, 2)])
    M = torch.zeros(2 * b, 2 * b)
    if linear:
        for i in range(b):
            s1, s2 = i, (i + 1) % b
            t1, t2 = s1 + b, s2 + b
            M[s1, s2] = 1.0 / b
            M[t1, t2] = 1.0 / b
            M[s1, t2] = -1.0 / b
            M[s2, t1] = -1.0 / b
    else:
        for i in range(b):
            for j in range(b):
                if i != j:
                    M[i][j] = 1.0 / (b * (b - 1))
                    M[i + b][j + b] = 1.0 / (b * (b - 1))
        for i in range(b):
            for j in range(b):
                M[i][j + b] = -1.0 / (b * b)
                M[i + b][j] = -1.0 / (b * b)
    return (K * M).sum() + 2.0 / (b - 1)
