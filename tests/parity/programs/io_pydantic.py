"""Pydantic models in and out."""

import flyte
from pydantic import BaseModel

env = flyte.TaskEnvironment(name="io_pydantic")


class Order(BaseModel):
    id: int
    items: list[str]
    total: float = 0.0


@env.task
async def price(order: Order) -> Order:
    return Order(id=order.id, items=order.items, total=2.5 * len(order.items))


@env.task
async def main(order: Order) -> Order:
    priced = await price(order)
    print(type(priced).__name__, priced.total)
    return priced

# parity: main {"order": {"id": 7, "items": ["a", "b"]}}
