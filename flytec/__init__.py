"""flytec: a workflow compiler and static analyzer for Flyte 2 code.

Data flows one way: source -> compiler (IR) -> analyzer (diagnostics, graphs)
-> codegen (plans, manifests, pictures) -> runtime (executes plans).
Shared models live in :mod:`flytec.model`.
"""

__version__ = "0.1.0"
