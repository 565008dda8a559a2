"""MkDocs plugin: ``plugins: [flytec]`` in mkdocs.yml draws ``flytec-graph`` fenced blocks
(docs/graphs-in-docs.md). Needs MkDocs (flytec's ``docs`` extra)."""

from flytec.docs_ext.mkdocs_plugin import FlytecPlugin, FlytecPluginConfig

__all__ = ["FlytecPlugin", "FlytecPluginConfig"]
