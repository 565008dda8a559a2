"""flytec's implementation of the Flyte 2 SDK (``flyte``) for local runs.

Loaded as ``flyte`` by ``flytec run``. Mirrors the SDK's public names and keyword arguments;
names that mean nothing locally are accepting stand-ins (see ``_standin.py``).
"""

from __future__ import annotations

import logging as _logging
from typing import Any

from flyte import errors
from flyte._config import (
    AMD_GPU,
    APPLE_SILICON,
    GPU,
    HABANA_GAUDI,
    TPU,
    AppHandle,
    Backoff,
    BaseCheckpoint,
    Cache,
    CachePolicy,
    CacheRequest,
    Checkpoint,
    ConditionWebhook,
    Cron,
    Device,
    DeviceClass,
    Documentation,
    FixedRate,
    ImageBuild,
    Link,
    Neuron,
    OnArtifact,
    PodTemplate,
    Resources,
    RetryStrategy,
    ReusePolicy,
    Secret,
    SecretRequest,
    Timeout,
    TimeoutType,
    Trigger,
    TriggeredArtifact,
    TriggeredPartition,
    TriggerTime,
    VersionParameters,
)
from flyte._context import ctx, custom_context, get_custom_context, group
from flyte._environment import Environment, TaskEnvironment
from flyte._image import Image
from flyte._map import map
from flyte._run import (
    build,
    build_images,
    current_domain,
    current_project,
    deploy,
    init,
    init_from_api_key,
    init_from_config,
    init_in_cluster,
    init_passthrough,
    is_control_plane_available,
    rerun,
    run,
    with_runcontext,
)
from flyte._standin import StandIn, module_getattr
from flyte._task import AsyncFunctionTaskTemplate, TaskTemplate
from flyte._task import task_registry as _task_registry  # noqa: F401 (used by flytec)
from flyte._trace import trace

__version__ = "2.12.1+flytec"
logger = _logging.getLogger("flyte.user")
system_logger = _logging.getLogger("flyte")


def version() -> str:
    return __version__


def latest_checkpoint(*args: Any, **kwargs: Any) -> None:
    return None


def new_condition(*args: Any, **kwargs: Any) -> Any:
    return StandIn(_standin_name="condition")


def serve(*args: Any, **kwargs: Any) -> Any:
    return StandIn(_standin_name="serve")


def with_servecontext(*args: Any, **kwargs: Any) -> Any:
    return StandIn(_standin_name="servecontext")


def load_interactive_ctx(*args: Any, **kwargs: Any) -> None:
    return None


def load_plugin_config(*args: Any, **kwargs: Any) -> Any:
    return None


def run_python_script(*args: Any, **kwargs: Any) -> Any:
    raise errors.RuntimeUserError("NotSupported", "run_python_script is not supported by flytec")


# Any other public name of the SDK exists as an accepting stand-in.
__getattr__ = module_getattr(__name__)

__all__ = [
    "AMD_GPU",
    "APPLE_SILICON",
    "GPU",
    "HABANA_GAUDI",
    "TPU",
    "AppHandle",
    "AsyncFunctionTaskTemplate",
    "Backoff",
    "BaseCheckpoint",
    "Cache",
    "CachePolicy",
    "CacheRequest",
    "Checkpoint",
    "ConditionWebhook",
    "Cron",
    "Device",
    "DeviceClass",
    "Documentation",
    "Environment",
    "FixedRate",
    "Image",
    "ImageBuild",
    "Link",
    "Neuron",
    "OnArtifact",
    "PodTemplate",
    "Resources",
    "RetryStrategy",
    "ReusePolicy",
    "Secret",
    "SecretRequest",
    "TaskEnvironment",
    "TaskTemplate",
    "Timeout",
    "TimeoutType",
    "Trigger",
    "TriggerTime",
    "TriggeredArtifact",
    "TriggeredPartition",
    "VersionParameters",
    "build",
    "build_images",
    "ctx",
    "current_domain",
    "current_project",
    "custom_context",
    "deploy",
    "errors",
    "get_custom_context",
    "group",
    "init",
    "init_from_api_key",
    "init_from_config",
    "init_in_cluster",
    "init_passthrough",
    "is_control_plane_available",
    "latest_checkpoint",
    "load_interactive_ctx",
    "load_plugin_config",
    "logger",
    "map",
    "new_condition",
    "rerun",
    "run",
    "run_python_script",
    "serve",
    "system_logger",
    "trace",
    "version",
    "with_runcontext",
    "with_servecontext",
]
