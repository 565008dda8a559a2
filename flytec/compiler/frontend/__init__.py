"""The libcst frontend: source files -> ModuleIR (see flytec.model.module)."""
