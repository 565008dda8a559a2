"""Where non-deterministic values come from: external calls and attributes by dotted name.

A *value* source gives a different value on every execution (clock, randomness, uuids,
environment, network, object identity). An *order* source gives a collection whose
iteration order is not stable between processes (sets of strings, directory listings,
completion order), which only matters once that order is observed.
"""

from __future__ import annotations

from dataclasses import dataclass

CLOCK = frozenset(
    {
        "time.time", "time.time_ns", "time.monotonic", "time.monotonic_ns", "time.perf_counter",
        "time.perf_counter_ns", "time.localtime", "time.gmtime", "time.ctime", "time.asctime",
        "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today",
        "datetime.date.today", "pandas.Timestamp.now", "pandas.Timestamp.utcnow",
        "pandas.Timestamp.today", "arrow.now", "arrow.utcnow", "pendulum.now", "pendulum.today",
        "numpy.datetime64",
    }
)
# time.* functions that only read the clock when called without an explicit time.
CLOCK_IF_NO_ARGS = frozenset({"time.localtime", "time.gmtime", "time.ctime", "time.asctime",
                              "numpy.datetime64"})
UUID = frozenset({"uuid.uuid1", "uuid.uuid4", "uuid.uuid6", "uuid.uuid7"})
RANDOM_MODULES = ("random.", "numpy.random.", "secrets.", "torch.random.")
RANDOM_EXTRA = frozenset(
    {
        "os.urandom", "os.getrandom", "torch.rand", "torch.randn", "torch.randint",
        "torch.randperm", "torch.rand_like", "torch.randn_like", "torch.randint_like",
    }
)
# Seedable generators: deterministic when given a seed, random without one.
SEEDABLE = frozenset(
    {
        "random.Random", "numpy.random.default_rng", "numpy.random.RandomState",
        "numpy.random.Generator", "numpy.random.PCG64", "numpy.random.MT19937",
        "numpy.random.SeedSequence", "torch.Generator",
    }
)
NOT_SOURCES = frozenset({"random.seed", "numpy.random.seed", "torch.manual_seed",
                         "random.getstate", "random.setstate"})
# Seeding a module-level generator: later draws from it repeat (given a seed that does not
# itself differ). Name -> the generators it seeds ("random", "numpy", "torch").
GLOBAL_SEEDERS = {
    "random.seed": ("random",),
    "numpy.random.seed": ("numpy",),
    "torch.manual_seed": ("torch",),
    "torch.random.manual_seed": ("torch",),
    "torch.cuda.manual_seed": ("torch",),
    "torch.cuda.manual_seed_all": ("torch",),
    "transformers.set_seed": ("random", "numpy", "torch"),
    "transformers.trainer_utils.set_seed": ("random", "numpy", "torch"),
    "accelerate.utils.set_seed": ("random", "numpy", "torch"),
    "lightning.seed_everything": ("random", "numpy", "torch"),
    "lightning.pytorch.seed_everything": ("random", "numpy", "torch"),
    "pytorch_lightning.seed_everything": ("random", "numpy", "torch"),
}


def global_generator(name: str) -> str | None:
    """The module-level generator a random draw ``name`` uses (None: not seedable)."""
    if name in SEEDABLE:
        return None  # a generator of its own (``default_rng()``), not the module's
    if name.startswith("numpy.random."):
        return "numpy"
    if name.startswith("random."):
        return "random"
    if name.startswith("torch."):
        return "torch"
    return None


# The attempt number: different on every retry of the same action.
ATTEMPT_ENV = frozenset({"FLYTE_ATTEMPT_NUMBER"})
ATTEMPT_ATTRS = frozenset({"attempt_number"})
ENVIRONMENT = frozenset({"os.getenv", "os.environ", "os.environb", "os.getenvb",
                         "os.environ.get", "os.environ.copy", "os.environ.items"})
HOST = frozenset({"socket.gethostname", "platform.node", "os.getpid", "os.uname",
                  "socket.getfqdn", "threading.get_ident"})
NETWORK = frozenset(
    {
        "requests.get", "requests.post", "requests.put", "requests.patch", "requests.delete",
        "requests.head", "requests.request", "httpx.get", "httpx.post", "httpx.put",
        "httpx.patch", "httpx.delete", "httpx.head", "httpx.request", "httpx.stream",
        "urllib.request.urlopen", "urllib3.request", "socket.create_connection",
    }
)
# Constructors of network clients: calling a method on one reads the network.
CLIENTS = frozenset(
    {
        "requests.Session", "requests.session", "httpx.Client", "httpx.AsyncClient",
        "aiohttp.ClientSession", "urllib3.PoolManager",
    }
)
# SDK clients whose every method reads a remote service (listings, model outputs ...).
SDK_CLIENTS = frozenset(
    {
        "huggingface_hub.HfApi", "boto3.client", "boto3.resource", "google.cloud.storage.Client",
        "openai.OpenAI", "openai.AsyncOpenAI", "anthropic.Anthropic", "anthropic.AsyncAnthropic",
        "google.cloud.bigquery.Client", "snowflake.connector.connect", "psycopg2.connect",
        "sqlalchemy.create_engine", "redis.Redis", "pymongo.MongoClient",
    }
)
CLIENT_READS = frozenset({"get", "post", "put", "patch", "delete", "head", "request",
                          "fetch", "stream", "send", "urlopen"})
IDENTITY = frozenset({"builtins.id"})
HASH = frozenset({"builtins.hash"})
ORDER = frozenset(
    {
        "builtins.set", "builtins.frozenset", "os.listdir", "os.scandir", "glob.glob",
        "glob.iglob", "asyncio.as_completed", "os.walk",
    }
)
TIMING = frozenset({"asyncio.wait"})

HELP = {
    "clock": "use `flyte.durable.now()` / `flyte.durable.time()` (recorded and replayed), or"
    " read the clock inside a `@flyte.trace` function",
    "random": "draw it inside a `@flyte.trace` function (its result is recorded and replayed"
    " on retry), or seed a private generator from a task input (`random.Random(seed)`)",
    "uuid": "create it inside a `@flyte.trace` function, or derive it deterministically"
    " (`uuid.uuid5(namespace, name)` from the inputs)",
    "environment": "read it inside a `@flyte.trace` function, or pass the value as a task"
    " input",
    "attempt": "decide from the task's inputs, not from the attempt number (a retried driver"
    " sees the next attempt and may launch different sub-tasks); where that is the point"
    " (fault injection), suppress this finding",
    "sdk": "make the request inside a `@flyte.trace` function (its result is recorded and"
    " replayed), or inside a task of its own",
    "network": "make the request inside a `@flyte.trace` function (its result is recorded and"
    " replayed), or inside a task of its own",
    "host": "read it inside a `@flyte.trace` function",
    "identity": "use a stable key (a name or an input) instead of `id()`",
    "hash": "use a stable digest (`hashlib.sha256(s.encode())`) instead of `hash()`, which is"
    " salted per process for strings",
    "order": "sort it first (`sorted(...)`) so every execution sees the same order",
    "timing": "await the results in a fixed order (`asyncio.gather`) instead of depending on"
    " which finishes first",
    "module": "compute it inside a `@flyte.trace` function instead of at import time",
}


@dataclass(frozen=True, slots=True)
class SourceKind:
    category: str  # key of HELP
    kind: str  # "value" | "order" | "client"


def classify_call(name: str, n_args: int) -> SourceKind | None:
    """What calling the external function ``name`` with ``n_args`` arguments yields."""
    if name in NOT_SOURCES:
        return None
    if name in CLOCK:
        if name in CLOCK_IF_NO_ARGS and n_args:
            return None
        return SourceKind("clock", "value")
    if name in UUID:
        return SourceKind("uuid", "value")
    if name in SEEDABLE:
        return None if n_args else SourceKind("random", "value")
    if name.startswith(RANDOM_MODULES) or name in RANDOM_EXTRA:
        return SourceKind("random", "value")
    if name in ENVIRONMENT:
        return SourceKind("environment", "value")
    if name in HOST:
        return SourceKind("host", "value")
    if name in NETWORK:
        return SourceKind("network", "value")
    if name in CLIENTS:
        return SourceKind("network", "client")
    if name in SDK_CLIENTS:
        return SourceKind("sdk", "client")
    if name in IDENTITY:
        return SourceKind("identity", "value")
    if name in HASH:
        return SourceKind("hash", "value")
    if name in TIMING:
        return SourceKind("timing", "value")
    if name in ORDER:
        return SourceKind("order", "order")
    return None


def classify_attribute(name: str) -> SourceKind | None:
    """An attribute read (not a call) that is a source, e.g. ``os.environ``."""
    if name in ("os.environ", "os.environb"):
        return SourceKind("environment", "value")
    return None
