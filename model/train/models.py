"""The ranking network. It maps (input_ids, depth_ids, attention_mask) to (score logit [B],
category logits [B, C], per-token tag logits [B, T]); its learned file-level aggregate combines
the unit logits of one file into the file's logit.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from hasten.model.features import CATEGORIES, MAX_DEPTH, MAX_LEN


class Heads(nn.Module):
    def __init__(self, hidden: int, n_categories: int = len(CATEGORIES)):
        super().__init__()
        self.score = nn.Linear(2 * hidden, 1)
        self.category = nn.Linear(2 * hidden, n_categories)
        self.tag = nn.Linear(hidden, 1)

    def forward(self, h: torch.Tensor, mask: torch.Tensor):
        m = mask.unsqueeze(-1).to(h.dtype)
        mean = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
        mx = (h + (m - 1.0) * 1e4).max(1).values
        pooled = torch.cat([mean, mx], dim=-1)
        return self.score(pooled).squeeze(-1), self.category(pooled), self.tag(h).squeeze(-1)


class SelfAttention(nn.Module):
    """Plain multi-head attention written with matmuls so it exports cleanly to ONNX."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, mask):
        b, t, d = x.shape
        hd = d // self.heads
        q, k, v = self.qkv(x).reshape(b, t, 3, self.heads, hd).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
        att = att + (1.0 - mask[:, None, None, :].to(x.dtype)) * -1e4
        att = att.softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, d)
        return self.out(y)


class Probabilities(nn.Module):
    """The exported graph: probabilities instead of logits, so the runtime needs no math."""

    def __init__(self, net: nn.Module):
        super().__init__()
        self.net = net

    def forward(self, input_ids, depth_ids, attention_mask):
        score, cat, tag = self.net(input_ids, depth_ids, attention_mask)
        return torch.sigmoid(score), torch.softmax(cat, -1), torch.sigmoid(tag)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


class Block(nn.Module):
    def __init__(self, dim: int, heads: int, ff: int):
        super().__init__()
        self.attn = SelfAttention(dim, heads)
        self.norm1 = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, ff), nn.GELU(), nn.Linear(ff, dim))
        self.norm2 = nn.LayerNorm(dim)

    def forward(self, x, mask):
        x = self.norm1(x + self.attn(x, mask))
        return self.norm2(x + self.ff(x))


class Ranker(nn.Module):
    """The ranking student: embeddings (token, loop depth, position), one convolution, ``layers``
    attention blocks and the three heads; plus the learned file-level aggregate of unit logits,
    which runs outside the exported graph (its three numbers travel in the vocabulary file)."""

    def __init__(self, vocab_size: int, dim: int = 128, heads: int = 4, layers: int = 2):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.depth = nn.Embedding(MAX_DEPTH + 1, dim)
        self.pos = nn.Embedding(MAX_LEN, dim)
        self.conv = nn.Conv1d(dim, dim, kernel_size=5, padding=2)
        self.norm0 = nn.LayerNorm(dim)
        self.blocks = nn.ModuleList(Block(dim, heads, 2 * dim) for _ in range(layers))
        self.heads = Heads(dim)
        # file logit = T * log(sum_i exp(s_i / T)) + count_weight * log(n) + bias
        self.raw_temperature = nn.Parameter(torch.tensor(0.5))
        self.count_weight = nn.Parameter(torch.tensor(0.0))
        self.bias = nn.Parameter(torch.tensor(0.0))

    def forward(self, ids, depths, mask):
        t = ids.shape[1]
        positions = torch.arange(t, device=ids.device).unsqueeze(0)
        x = self.tok(ids) + self.depth(depths) + self.pos(positions)
        m = mask.unsqueeze(-1).to(x.dtype)
        x = self.norm0(x + torch.nn.functional.gelu(self.conv((x * m).transpose(1, 2)).transpose(1, 2)))
        for block in self.blocks:
            x = block(x, mask)
        return self.heads(x, mask)

    def temperature(self):
        return torch.nn.functional.softplus(self.raw_temperature) + 0.05

    def aggregate(self, unit_logits: torch.Tensor, owner: torch.Tensor, n_files: int) -> torch.Tensor:
        temp = self.temperature()
        out = []
        for f in range(n_files):
            s = unit_logits[owner == f]
            n = torch.tensor(float(max(len(s), 1)))
            lse = temp * torch.logsumexp(s / temp, 0) if len(s) else torch.tensor(-10.0)
            out.append(lse + self.count_weight * torch.log(n) + self.bias)
        return torch.stack(out)

    def aggregate_params(self) -> dict:
        return {
            "temperature": round(float(self.temperature().detach()), 6),
            "count_weight": round(float(self.count_weight.detach()), 6),
            "bias": round(float(self.bias.detach()), 6),
        }
