"""``python -m flytec.runtime ...`` is ``flytec run ...``."""

from flytec.cli.run import run

run(prog_name="python -m flytec.runtime")
