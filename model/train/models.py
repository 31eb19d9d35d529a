"""Teacher and student networks. Both map (input_ids, depth_ids, attention_mask) to
(score logit [B], category logits [B, C], per-token tag logits [B, T]).

Teacher: a small BERT encoder built with transformers' BertModel; the loop depth of each token is
fed through BERT's token-type embeddings. Student: embeddings, one dilated convolution and one
self-attention block, small enough to stay under 1 MB once quantized.
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


class Teacher(nn.Module):
    def __init__(self, vocab_size: int, hidden: int = 192, layers: int = 3, heads: int = 4):
        super().__init__()
        from transformers import BertConfig, BertModel

        config = BertConfig(
            vocab_size=vocab_size,
            hidden_size=hidden,
            num_hidden_layers=layers,
            num_attention_heads=heads,
            intermediate_size=hidden * 2,
            max_position_embeddings=MAX_LEN,
            type_vocab_size=MAX_DEPTH + 1,
            hidden_dropout_prob=0.1,
            attention_probs_dropout_prob=0.1,
            pad_token_id=0,
        )
        self.encoder = BertModel(config, add_pooling_layer=False)
        self.heads = Heads(hidden)

    def forward(self, ids, depths, mask):
        out = self.encoder(input_ids=ids, token_type_ids=depths, attention_mask=mask)
        return self.heads(out.last_hidden_state, mask)


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


class Student(nn.Module):
    def __init__(self, vocab_size: int, dim: int = 96, heads: int = 4, ff: int = 192):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.depth = nn.Embedding(MAX_DEPTH + 1, dim)
        self.pos = nn.Embedding(MAX_LEN, dim)
        self.conv = nn.Conv1d(dim, dim, kernel_size=5, padding=2)
        self.norm0 = nn.LayerNorm(dim)
        self.attn = SelfAttention(dim, heads)
        self.norm1 = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, ff), nn.GELU(), nn.Linear(ff, dim))
        self.norm2 = nn.LayerNorm(dim)
        self.heads = Heads(dim)

    def forward(self, ids, depths, mask):
        t = ids.shape[1]
        positions = torch.arange(t, device=ids.device).unsqueeze(0)
        x = self.tok(ids) + self.depth(depths) + self.pos(positions)
        m = mask.unsqueeze(-1).to(x.dtype)
        x = self.norm0(x + torch.nn.functional.gelu(self.conv((x * m).transpose(1, 2)).transpose(1, 2)))
        x = self.norm1(x + self.attn(x, mask))
        x = self.norm2(x + self.ff(x))
        return self.heads(x, mask)


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
