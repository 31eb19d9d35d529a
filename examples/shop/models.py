"""The records the rest of the shop passes around."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Product:
    sku: str
    name: str
    price: float
    stock: int = 0
    tags: list[str] = field(default_factory=list)


@dataclass
class OrderLine:
    sku: str
    quantity: int
    unit_price: float

    @property
    def total(self) -> float:
        return self.quantity * self.unit_price


@dataclass
class Order:
    order_id: int
    customer: str
    lines: list[OrderLine] = field(default_factory=list)
    status: str = "new"

    @property
    def total(self) -> float:
        return sum(line.total for line in self.lines)
