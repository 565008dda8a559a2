# flytec stubs for the Flyte 2 SDK (flyte 2.x): the public names of ``flyte.__all__`` with
# types precise enough for mypy to check calls between tasks.  Typing only; not the SDK's code.
# mypy uses these only when the real ``flyte`` package is not installed (or when asked to).
import logging

# Submodules that ``import flyte`` loads (flyte.io, flyte.remote and flyte.durable need their
# own import).
from flyte import errors as errors
from flyte import models as models
from flyte import syncify as syncify
from flyte._cache import Cache as Cache
from flyte._cache import CachePolicy as CachePolicy
from flyte._cache import CacheRequest as CacheRequest
from flyte._checkpoint import BaseCheckpoint as BaseCheckpoint
from flyte._checkpoint import Checkpoint as Checkpoint
from flyte._checkpoint import latest_checkpoint as latest_checkpoint
from flyte._condition import ConditionWebhook as ConditionWebhook
from flyte._condition import new_condition as new_condition
from flyte._context import ctx as ctx
from flyte._context import current_domain as current_domain
from flyte._context import current_project as current_project
from flyte._custom_context import custom_context as custom_context
from flyte._custom_context import get_custom_context as get_custom_context
from flyte._deploy import ImageBuild as ImageBuild
from flyte._deploy import build as build
from flyte._deploy import build_images as build_images
from flyte._deploy import deploy as deploy
from flyte._doc import Documentation as Documentation
from flyte._group import group as group
from flyte._image import Image as Image
from flyte._initialize import init as init
from flyte._initialize import init_from_api_key as init_from_api_key
from flyte._initialize import init_from_config as init_from_config
from flyte._initialize import init_in_cluster as init_in_cluster
from flyte._initialize import init_passthrough as init_passthrough
from flyte._initialize import is_control_plane_available as is_control_plane_available
from flyte._initialize import load_interactive_ctx as load_interactive_ctx
from flyte._initialize import load_plugin_config as load_plugin_config
from flyte._link import Link as Link
from flyte._map import map as map
from flyte._pod import PodTemplate as PodTemplate
from flyte._resources import AMD_GPU as AMD_GPU
from flyte._resources import APPLE_SILICON as APPLE_SILICON
from flyte._resources import GPU as GPU
from flyte._resources import HABANA_GAUDI as HABANA_GAUDI
from flyte._resources import TPU as TPU
from flyte._resources import Device as Device
from flyte._resources import DeviceClass as DeviceClass
from flyte._resources import Neuron as Neuron
from flyte._resources import Resources as Resources
from flyte._retry import Backoff as Backoff
from flyte._retry import RetryStrategy as RetryStrategy
from flyte._reusable_environment import ReusePolicy as ReusePolicy
from flyte._run import rerun as rerun
from flyte._run import run as run
from flyte._run import run_python_script as run_python_script
from flyte._run import with_runcontext as with_runcontext
from flyte._secret import Secret as Secret
from flyte._secret import SecretRequest as SecretRequest
from flyte._serve import AppHandle as AppHandle
from flyte._serve import serve as serve
from flyte._serve import with_servecontext as with_servecontext
from flyte._task import AsyncFunctionTaskTemplate as AsyncFunctionTaskTemplate
from flyte._task import TaskTemplate as TaskTemplate
from flyte._task_environment import Environment as Environment
from flyte._task_environment import TaskEnvironment as TaskEnvironment
from flyte._timeout import Timeout as Timeout
from flyte._timeout import TimeoutType as TimeoutType
from flyte._trace import trace as trace
from flyte._trigger import Cron as Cron
from flyte._trigger import FixedRate as FixedRate
from flyte._trigger import OnArtifact as OnArtifact
from flyte._trigger import Trigger as Trigger
from flyte._trigger import TriggeredArtifact as TriggeredArtifact
from flyte._trigger import TriggeredPartition as TriggeredPartition
from flyte._trigger import TriggerTime as TriggerTime

__version__: str
logger: logging.Logger
system_logger: logging.Logger

def version() -> str: ...
