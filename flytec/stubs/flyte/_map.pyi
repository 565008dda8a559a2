# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
#
# ``flyte.map(task, xs, ys, ...)`` zips the iterables into positional arguments of the task,
# so the element types are checked against the task's parameters (one to three iterables;
# more fall back to an unchecked form).  Results are ``R | Exception`` unless
# ``return_exceptions=False``.  A ``functools.partial`` of a task is accepted unchecked.
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Iterator
from typing import Any, Literal, Protocol, TypeVar, overload

from flyte._task import TaskTemplate

R = TypeVar("R")
_R_co = TypeVar("_R_co", covariant=True)
T1 = TypeVar("T1")
T2 = TypeVar("T2")
T3 = TypeVar("T3")

class _Partial(Protocol[_R_co]):
    """A ``functools.partial`` (covariant in its result, unlike typeshed's class)."""

    @property
    def func(self) -> Callable[..., Any]: ...
    @property
    def args(self) -> tuple[Any, ...]: ...
    @property
    def keywords(self) -> dict[str, Any]: ...
    def __call__(self, /, *args: Any, **kwargs: Any) -> _R_co: ...

class _Mapper:
    @overload
    def __call__(
        self,
        func: TaskTemplate[[T1], R],
        it1: Iterable[T1],
        /,
        *,
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: Literal[False],
    ) -> Iterator[R]: ...
    @overload
    def __call__(
        self,
        func: TaskTemplate[[T1], R],
        it1: Iterable[T1],
        /,
        *,
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: bool = True,
    ) -> Iterator[R | Exception]: ...
    @overload
    def __call__(
        self,
        func: TaskTemplate[[T1, T2], R],
        it1: Iterable[T1],
        it2: Iterable[T2],
        /,
        *,
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: Literal[False],
    ) -> Iterator[R]: ...
    @overload
    def __call__(
        self,
        func: TaskTemplate[[T1, T2], R],
        it1: Iterable[T1],
        it2: Iterable[T2],
        /,
        *,
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: bool = True,
    ) -> Iterator[R | Exception]: ...
    @overload
    def __call__(
        self,
        func: TaskTemplate[[T1, T2, T3], R],
        it1: Iterable[T1],
        it2: Iterable[T2],
        it3: Iterable[T3],
        /,
        *,
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: bool = True,
    ) -> Iterator[R | Exception]: ...
    @overload
    def __call__(
        self,
        func: _Partial[Coroutine[Any, Any, R]],
        /,
        *args: Iterable[Any],
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: Literal[False],
    ) -> Iterator[R]: ...
    @overload
    def __call__(  # type: ignore[overload-overlap, unused-ignore]
        self,
        func: _Partial[Coroutine[Any, Any, R]],
        /,
        *args: Iterable[Any],
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: bool = True,
    ) -> Iterator[R | Exception]: ...
    @overload
    def __call__(
        self,
        func: _Partial[R],
        /,
        *args: Iterable[Any],
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: Literal[False],
    ) -> Iterator[R]: ...
    @overload
    def __call__(
        self,
        func: _Partial[R],
        /,
        *args: Iterable[Any],
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: bool = True,
    ) -> Iterator[R | Exception]: ...
    @overload
    def aio(
        self,
        func: TaskTemplate[[T1], R],
        it1: Iterable[T1],
        /,
        *,
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: Literal[False],
    ) -> AsyncIterator[R]: ...
    @overload
    def aio(
        self,
        func: TaskTemplate[[T1], R],
        it1: Iterable[T1],
        /,
        *,
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: bool = True,
    ) -> AsyncIterator[R | Exception]: ...
    @overload
    def aio(
        self,
        func: TaskTemplate[[T1, T2], R],
        it1: Iterable[T1],
        it2: Iterable[T2],
        /,
        *,
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: Literal[False],
    ) -> AsyncIterator[R]: ...
    @overload
    def aio(
        self,
        func: TaskTemplate[[T1, T2], R],
        it1: Iterable[T1],
        it2: Iterable[T2],
        /,
        *,
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: bool = True,
    ) -> AsyncIterator[R | Exception]: ...
    @overload
    def aio(
        self,
        func: TaskTemplate[[T1, T2, T3], R],
        it1: Iterable[T1],
        it2: Iterable[T2],
        it3: Iterable[T3],
        /,
        *,
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: bool = True,
    ) -> AsyncIterator[R | Exception]: ...
    @overload
    def aio(
        self,
        func: _Partial[Coroutine[Any, Any, R]],
        /,
        *args: Iterable[Any],
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: Literal[False],
    ) -> AsyncIterator[R]: ...
    @overload
    def aio(  # type: ignore[overload-overlap, unused-ignore]
        self,
        func: _Partial[Coroutine[Any, Any, R]],
        /,
        *args: Iterable[Any],
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: bool = True,
    ) -> AsyncIterator[R | Exception]: ...
    @overload
    def aio(
        self,
        func: _Partial[R],
        /,
        *args: Iterable[Any],
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: Literal[False],
    ) -> AsyncIterator[R]: ...
    @overload
    def aio(
        self,
        func: _Partial[R],
        /,
        *args: Iterable[Any],
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: bool = True,
    ) -> AsyncIterator[R | Exception]: ...

map: _Mapper
