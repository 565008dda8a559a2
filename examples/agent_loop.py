"""A tool-using LLM agent loop.

The driver alternates between asking the "LLM" for the next action and
executing that action as a tool. The loop is dynamic: it keeps going while
the last tool result (a *task output*) says the agent is not finished, and
stops after ``max_steps`` no matter what.

* LLM calls are ``@flyte.trace`` functions: they run inside the driver
  container, and their inputs/outputs are recorded, so if the driver is
  retried the already-made LLM calls are replayed instead of re-issued (LLM
  output is not deterministic in real life).
* Tools (search, calculator, final answer) are tasks: each call is its own
  action with its own inputs/outputs and can run on different hardware.

The LLM is a deterministic stub (a tiny rule-based policy), so the example
runs offline and always takes the same path.
"""

# flytec-example: run main --question '"What is the population of Lisbon times 3?"' --max_steps 6
# flytec-expect: {"answer": "1636500", "steps": 3, "finished": true, "transcript": ["search(population of Lisbon) -> Lisbon has a population of 545500.", "calculator(545500 * 3) -> 1636500", "final_answer(1636500) -> 1636500"]}

import re
from dataclasses import dataclass, field

import flyte

env = flyte.TaskEnvironment(
    name="agent",
    resources=flyte.Resources(cpu=1, memory="1Gi"),
    secrets=[flyte.Secret(key="openai-api-key", as_env_var="OPENAI_API_KEY")],
)

# Read-only "knowledge base" behind the search tool.
_DOCS = {
    "lisbon": "Lisbon has a population of 545500.",
    "porto": "Porto has a population of 232000.",
}


@dataclass
class ToolCall:
    tool: str
    argument: str


@dataclass
class ToolResult:
    output: str
    finished: bool = False


@dataclass
class AgentRun:
    answer: str
    steps: int
    finished: bool
    transcript: list[str] = field(default_factory=list)


@flyte.trace
async def call_llm(question: str, transcript: list[str]) -> ToolCall:
    """Ask the model for the next action (stubbed, deterministic policy)."""
    if not transcript:
        city = re.search(r"population of (\w+)", question)
        return ToolCall("search", f"population of {city.group(1) if city else question}")
    last = transcript[-1]
    if last.startswith("search("):
        number = re.search(r"(\d+)\.?$", last)
        factor = re.search(r"times (\d+)", question)
        if number and factor:
            return ToolCall("calculator", f"{number.group(1)} * {factor.group(1)}")
        return ToolCall("final_answer", last.split(" -> ", 1)[1])
    return ToolCall("final_answer", last.split(" -> ", 1)[1])


@env.task
async def search(query: str) -> ToolResult:
    """Look a query up in the knowledge base."""
    for key, doc in _DOCS.items():
        if key in query.lower():
            return ToolResult(output=doc)
    return ToolResult(output="no results")


@env.task
async def calculator(expression: str) -> ToolResult:
    """Evaluate ``<int> <op> <int>`` (no eval())."""
    match = re.fullmatch(r"\s*(-?\d+)\s*([-+*/])\s*(-?\d+)\s*", expression)
    if not match:
        return ToolResult(output=f"cannot parse {expression!r}")
    a, op, b = int(match.group(1)), match.group(2), int(match.group(3))
    if op == "/" and b == 0:
        return ToolResult(output="division by zero")
    value = {"+": a + b, "-": a - b, "*": a * b, "/": a // b}[op]
    return ToolResult(output=str(value))


@env.task
async def final_answer(text: str) -> ToolResult:
    """Terminal tool: marks the run as finished."""
    return ToolResult(output=text.strip(), finished=True)


@env.task
async def main(question: str, max_steps: int = 5) -> AgentRun:
    transcript: list[str] = []
    result = ToolResult(output="")
    steps = 0
    while not result.finished and steps < max_steps:
        steps += 1
        call = await call_llm(question, transcript)
        if call.tool == "search":
            result = await search(call.argument)
        elif call.tool == "calculator":
            result = await calculator(call.argument)
        else:
            result = await final_answer(call.argument)
        transcript.append(f"{call.tool}({call.argument}) -> {result.output}")

    answer = result.output if result.finished else ""
    return AgentRun(answer=answer, steps=steps, finished=result.finished, transcript=transcript)


if __name__ == "__main__":
    flyte.init_from_config()
    r = flyte.run(main, question="What is the population of Lisbon times 3?", max_steps=6)
    print(r.name)
    print(r.url)
