"""The language server (``flytec lsp``): a shell over the same library API as the CLI."""
