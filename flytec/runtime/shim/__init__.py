"""Home of flytec's implementation of the Flyte 2 API (the ``flyte`` package seen by user code).

Never import ``flytec.runtime.shim.flyte`` by that name: the runtime's import finder
(:mod:`flytec.runtime.loader`) loads it as ``flyte``, so user code and the runtime share one copy.
"""
