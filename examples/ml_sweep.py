"""Hyperparameter sweep: grid search with GPU trainers.

* The grid (learning rates x depths) comes from the run's inputs.
* Every grid point is trained in its own action on the GPU ``trainer`` env
  (``gpu="T4:1"``), all at once via ``asyncio.gather``.
* Dataclasses carry structured inputs/outputs between tasks.
* The driver picks the best model by validation loss and runs ``evaluate``
  on it; ``main`` returns two outputs (``-> tuple[float, str]``): the test
  accuracy and the winning model id.

"Training" is a deterministic closed-form stand-in, so the example runs on a
laptop in milliseconds.
"""

# flytec-example: run main --learning_rates '[0.01, 0.1, 0.5]' --max_depths '[2, 6]'
# flytec-expect: [0.95, "gbm-lr0.1-d6"]

import asyncio
import itertools
from dataclasses import dataclass

import flyte

trainer_image = flyte.Image.from_debian_base(python_version=(3, 12)).with_pip_packages("scikit-learn")

trainer_env = flyte.TaskEnvironment(
    name="trainer",
    image=trainer_image,
    resources=flyte.Resources(cpu=4, memory="16Gi", gpu="T4:1"),
)

sweep_env = flyte.TaskEnvironment(
    name="sweep_driver",
    resources=flyte.Resources(cpu=1, memory="1Gi"),
    depends_on=[trainer_env],
)


@dataclass
class HyperParams:
    learning_rate: float
    max_depth: int
    epochs: int = 10


@dataclass
class TrainedModel:
    model_id: str
    params: HyperParams
    val_loss: float


@trainer_env.task(retries=1)
async def train(params: HyperParams, dataset: str) -> TrainedModel:
    """Train one model (simulated: loss is smallest near lr=0.1, depth=6)."""
    loss = (params.learning_rate - 0.1) ** 2 * 10 + abs(params.max_depth - 6) * 0.02 + 1 / params.epochs
    return TrainedModel(
        model_id=f"gbm-lr{params.learning_rate}-d{params.max_depth}",
        params=params,
        val_loss=round(loss, 4),
    )


@trainer_env.task
async def evaluate(model: TrainedModel, dataset: str) -> float:
    """Test-set accuracy of one model (simulated)."""
    return round(max(0.0, 1.0 - model.val_loss / 2), 4)


@sweep_env.task
async def main(
    learning_rates: list[float],
    max_depths: list[int],
    dataset: str = "s3://example-bucket/churn/v3",
) -> tuple[float, str]:
    grid = [HyperParams(learning_rate=lr, max_depth=d) for lr, d in itertools.product(learning_rates, max_depths)]

    with flyte.group("sweep"):
        models = await asyncio.gather(*[train(params, dataset) for params in grid])

    best = min(models, key=lambda m: (m.val_loss, m.model_id))
    accuracy = await evaluate(best, dataset)
    return accuracy, best.model_id


if __name__ == "__main__":
    flyte.init_from_config()
    r = flyte.run(main, learning_rates=[0.01, 0.1, 0.5], max_depths=[2, 6])
    print(r.name)
    print(r.url)
