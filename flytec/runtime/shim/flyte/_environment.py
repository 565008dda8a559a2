"""``flyte.TaskEnvironment``: validated like the SDK; ``env.task`` builds task templates."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from flyte._config import Cache, Resources, ReusePolicy, Secret, cache_from_request
from flyte._image import Image
from flyte._task import TaskTemplate, register

_NAME = re.compile(r"^[a-z0-9]+([_-][a-z0-9]+)*$")
_ENVIRONMENTS: list[Environment] = []


@dataclass
class Environment:
    name: str
    depends_on: list[Environment] = field(default_factory=list)
    pod_template: Any = None
    description: str | None = None
    secrets: Any = None
    env_vars: dict[str, str] | None = None
    resources: Resources | None = None
    interruptible: bool = False
    image: str | Image | Literal["auto"] | None = "auto"

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME.match(self.name):
            raise ValueError(
                f"Environment name '{self.name}' must be in snake or kebab case, lowercase "
                "letters and digits"
            )
        if self.image is not None and not isinstance(self.image, (str, Image)):
            raise TypeError(f"image must be a str or Image, got {type(self.image).__name__}")
        if self.secrets is not None:
            items = self.secrets if isinstance(self.secrets, list) else [self.secrets]
            if not all(isinstance(s, (str, Secret)) for s in items):
                raise TypeError("secrets must be a str, Secret or a list of them")
        for dep in self.depends_on:
            if not isinstance(dep, Environment):
                raise TypeError(f"depends_on entries must be Environments, got {dep!r}")
        if self.resources is not None and not isinstance(self.resources, Resources):
            raise TypeError("resources must be a flyte.Resources")
        if self.env_vars is not None and not isinstance(self.env_vars, dict):
            raise TypeError("env_vars must be a dict")
        _ENVIRONMENTS.append(self)

    def add_dependency(self, *env: Environment) -> None:
        for e in env:
            if not isinstance(e, Environment):
                raise TypeError(f"Expected Environment, got {type(e)}")
            if e.name == self.name:
                raise ValueError("Cannot add self as a dependency")
        self.depends_on.extend(env)


@dataclass
class TaskEnvironment(Environment):
    include: tuple[str, ...] = ()
    service_account: str | None = None
    cache: Any = "disable"
    reusable: ReusePolicy | None = None
    plugin_config: Any = None
    queue: str | None = None
    _tasks: dict[str, TaskTemplate] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.cache, (str, Cache)):
            raise TypeError("cache must be a str or flyte.Cache")
        self.cache = cache_from_request(self.cache)

    @property
    def tasks(self) -> dict[str, TaskTemplate]:
        return dict(self._tasks)

    def clone_with(
        self,
        name: str,
        image: Any = None,
        resources: Any = None,
        env_vars: Any = None,
        secrets: Any = None,
        depends_on: Any = None,
        description: Any = None,
        interruptible: Any = None,
        include: Any = None,
        service_account: Any = None,
        **kwargs: Any,
    ) -> TaskEnvironment:
        extra = set(kwargs) - {"cache", "reusable", "plugin_config", "queue"}
        if extra:
            raise TypeError(f"Invalid keyword arguments: {sorted(extra)}")
        return replace(
            self,
            name=name,
            image=image or self.image,
            resources=resources or self.resources,
            env_vars=env_vars or self.env_vars,
            secrets=secrets or self.secrets,
            depends_on=depends_on if depends_on is not None else list(self.depends_on),
            description=description or self.description,
            interruptible=self.interruptible if interruptible is None else interruptible,
            include=include or self.include,
            service_account=service_account or self.service_account,
            _tasks={},
            **kwargs,
        )

    @classmethod
    def from_task(cls, name: str, *tasks: TaskTemplate, depends_on: Any = None) -> TaskEnvironment:
        env = cls(name=name, depends_on=list(depends_on or []))
        for t in tasks:
            env._tasks[t.name] = t
        return env

    def task(
        self,
        _func: Callable[..., Any] | None = None,
        *,
        short_name: str | None = None,
        cache: Any = None,
        retries: Any = 0,
        timeout: Any = 0,
        docs: Any = None,
        pod_template: Any = None,
        report: bool = False,
        interruptible: bool | None = None,
        max_inline_io_bytes: int = 10 * 1024 * 1024,
        queue: str | None = None,
        service_account: str | None = None,
        triggers: Any = (),
        links: Any = (),
        task_resolver: Any = None,
        entrypoint: bool = False,
        produces_artifacts: bool = False,
    ) -> Any:
        def decorator(func: Callable[..., Any]) -> TaskTemplate:
            for p in inspect.signature(func).parameters.values():
                if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                    raise ValueError(
                        f"Function {func.__name__} cannot have variable positional or keyword "
                        "arguments."
                    )
            is_async = inspect.iscoroutinefunction(func)
            if self.reusable is not None and not is_async and self.reusable.concurrency > 1:
                raise ValueError("Reusable sync tasks cannot have concurrency > 1")
            template = TaskTemplate(
                func=func,
                name=f"{self.name}.{func.__name__}",
                short_name=short_name or "",
                parent_env_name=self.name,
                cache=cache_from_request(cache if cache is not None else self.cache),
                retries=retries,
                timeout=timeout or None,
                resources=self.resources,
                env_vars=self.env_vars,
                secrets=self.secrets,
                reusable=self.reusable,
                pod_template=pod_template or self.pod_template,
                interruptible=self.interruptible if interruptible is None else interruptible,
                queue=queue or self.queue,
                max_inline_io_bytes=max_inline_io_bytes,
                report=report,
                docs=docs,
                triggers=triggers if isinstance(triggers, tuple) else (triggers,),
                links=links if isinstance(links, tuple) else (links,),
                image=self.image,
                entrypoint=entrypoint,
                produces_artifacts=produces_artifacts,
                service_account=service_account or self.service_account,
                plugin_config=self.plugin_config,
            )
            self._tasks[template.name] = template
            register(template)
            return template

        if _func is not None:
            return decorator(_func)
        return decorator
