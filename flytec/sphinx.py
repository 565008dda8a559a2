"""Sphinx extension: ``extensions = ["flytec.sphinx"]`` in conf.py adds the ``flytec-graph``
directive (docs/graphs-in-docs.md). Needs Sphinx (flytec's ``docs`` extra)."""

from flytec.docs_ext.sphinx_ext import FlytecGraph, setup

__all__ = ["FlytecGraph", "setup"]
