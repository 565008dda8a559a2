"""All rules; importing this package registers them (one module per rule)."""

from flytec.analyzer.rules.deploy import (  # noqa: F401
    cache_version_keyword,
    dependency_cycle,
    duplicate_environment_name,
    environment_name,
    kubernetes_values,
    missing_dependency,
    newer_python_api,
    reusable_override,  # noqa: F401
    reuse_policy,
)
from flytec.analyzer.rules.global_state import global_state_read, global_state_write  # noqa: F401
from flytec.analyzer.rules.nondeterminism import (  # noqa: F401
    non_durable_sleep,
    nondeterministic_control_flow,
    nondeterministic_order,
    nondeterministic_output,
    nondeterministic_task_input,
)
from flytec.analyzer.rules.oom import (  # noqa: F401
    cpu_in_driver,
    driver_assembles_results,  # noqa: F401
    fanout_over_run_scale,
    file_read_whole,
    large_inline_output,
    unbounded_map,
)
from flytec.analyzer.rules.structure import (  # noqa: F401  # noqa: F401
    conditionally_bound_result,
    except_builtin_around_task,
    map_exceptions_unchecked,
    override_falsy_ignored,
    remote_task_positional,
    sync_map_in_async,
    sync_task_in_async,
    task_call_in_trace,
    task_not_module_level,
    task_variadic_parameters,
    unawaited_gather,
    unawaited_task_call,
)
from flytec.analyzer.rules.syntax import file_problems, unused_noqa  # noqa: F401
from flytec.analyzer.rules.types import (  # noqa: F401
    missing_annotation,
    mypy_rules,
    pickled_annotation,
    raw_dataframe_argument,
    task_argument_type,
    task_call_arity,
    task_output_unpacking,
    tuple_return,
    unknown_task_keyword,
)
