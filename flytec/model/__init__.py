"""Models shared by every part of flytec (compiler, analyzer, codegen, runtime).

Nothing here imports from the parts; the parts import from here.
"""
