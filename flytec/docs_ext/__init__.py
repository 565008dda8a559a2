"""Graphs in documentation sites: what the Sphinx extension (:mod:`flytec.sphinx`) and the
MkDocs plugin (:mod:`flytec.mkdocs`) share. Both draw through
:func:`flytec.codegen.graph.select.graph_view`, so a page shows what ``flytec graph`` draws."""
