"""dbt's Jinja templates compiled once per checkout instead of once per dbt run.

Every dbt run compiles each template it renders from its source: each macro once per process, each
model's and test's SQL once per node, each test's arguments. Jinja parses the source, generates Python
from it and compiles that to a code object, and dbt keeps none of it between runs. In a new-sheet build
of the archive warehouse that was 1.38 s of the dbt process holding the interpreter lock (py-spy
``--gil``: ``Environment.compile``: generate 0.59, parse 0.46, compile 0.33) — time in which no runner
thread moves — to produce the same code objects as the build before.

``install`` wraps the ``compile`` of dbt's Jinja environment (``dbt_common.clients.jinja.
MacroFuzzEnvironment``, and so its native subclass) for the one call form ``Environment.from_string``
uses, ``compile(source)``: the code object is looked up by a hash of the source and of everything in
the environment that shapes the generated code (its class, code generator, extensions, syntax and
whitespace options), and compiled by Jinja itself on a miss. What Jinja's own bytecode cache does for
templates loaded from files (``jinja2.BytecodeCache``), for dbt's templates made from strings.

The cache is one file of the checkout (``target/jinja_cache/``, beside dbt's parse cache), named by
``ICE287G_JINJA_CACHE`` (``0`` turns it off): code objects in ``marshal`` form, so the file holds only for
the Python, Jinja and dbt-common that wrote it (``cache_identity``; another identity is ignored and
replaced), and it is trusted as this checkout's ``.pyc`` files are. A file that cannot be read is
ignored. Entries no saving run has used for ``KEEP_RUNS`` saves are dropped, so an edited project does
not grow it without end. Two runs saving at once: the later file wins, whole (written aside, renamed).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import marshal
import os
import pickle
import sys
from pathlib import Path
from types import CodeType

ENV_VAR = "ICE287G_JINJA_CACHE"
KEEP_RUNS = 20  # saving runs an entry may go unused before it is dropped
# the environment options that shape the code Jinja generates for a source (jinja2.Environment.__init__)
_CODE_OPTIONS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "autoescape",
    "finalize",
    "is_async",
)


def cache_identity() -> str:
    """What a cached code object is valid for: the Python that marshalled it (code objects and marshal's
    format are per version) and the Jinja and dbt-common that generated it."""
    from importlib.metadata import version

    python = f"python {sys.version.split()[0]} {sys.implementation.cache_tag}"
    return f"{python}; jinja2 {version('jinja2')}; dbt-common {version('dbt-common')}"


def environment_key(env) -> str:
    """Everything of a Jinja environment that shapes the code compiled from a source."""
    cls = type(env)
    gen = env.code_generator_class
    extensions = sorted(f"{type(e).__module__}.{type(e).__qualname__}" for e in env.extensions.values())
    options = [(name, _stable_repr(getattr(env, name, None))) for name in _CODE_OPTIONS]
    return repr((f"{cls.__module__}.{cls.__qualname__}", f"{gen.__module__}.{gen.__qualname__}", extensions, options))


def _stable_repr(value: object) -> str:
    """repr, but a function by its qualified name (its repr holds its address, new in every process)."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"
    return repr(value)


class TemplateCodeCache:
    """Code objects by key, read from and saved to one file (see the module doc)."""

    def __init__(self, path: Path, identity: str) -> None:
        self.path = path
        self.identity = identity
        self.run = 0  # saves before this run
        self.entries: dict[bytes, tuple[int, bytes]] = {}  # key -> (run that last used it, marshalled code)
        self.used: set[bytes] = set()
        self.hits = 0
        self.misses = 0
        self.stale_hits = False  # an entry used now was last used more than KEEP_RUNS // 2 saves ago

    @classmethod
    def load(cls, path: Path) -> TemplateCodeCache:
        """The cache saved at path; an empty one when there is none, it cannot be read, or another Python,
        Jinja or dbt-common wrote it."""
        cache = cls(path, cache_identity())
        try:
            with path.open("rb") as f:
                saved = pickle.load(f)
            if saved["identity"] == cache.identity:
                cache.run, cache.entries = int(saved["run"]), dict(saved["entries"])
        except Exception:  # missing, unreadable, truncated or foreign: start empty
            cache.run, cache.entries = 0, {}
        return cache

    def get(self, key: bytes) -> CodeType | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        try:
            code = marshal.loads(entry[1])
        except (ValueError, EOFError, TypeError):
            del self.entries[key]
            return None
        self.hits += 1
        self.used.add(key)
        if entry[0] < self.run - KEEP_RUNS // 2:
            self.stale_hits = True
        return code

    def put(self, key: bytes, code: CodeType) -> None:
        self.misses += 1
        self.used.add(key)
        self.entries[key] = (self.run + 1, marshal.dumps(code))

    def save(self) -> None:
        """Write the file when this run added entries (or used ones near being dropped): the entries used
        now marked with this run, those unused for KEEP_RUNS saves dropped. Nothing is raised: a cache
        that cannot be written (a read-only checkout) only means the next run compiles again."""
        if not self.misses and not self.stale_hits:
            return
        run = self.run + 1
        kept = {
            key: (run if key in self.used else last, code)
            for key, (last, code) in self.entries.items()
            if key in self.used or last > run - KEEP_RUNS
        }
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as f:
                pickle.dump({"identity": self.identity, "run": run, "entries": kept}, f, protocol=5)
            os.replace(tmp, self.path)
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def install(path: Path) -> TemplateCodeCache:
    """Serve dbt's Jinja compiles from the cache at path for the rest of this process, and save it at
    exit (``atexit``). Returns the cache (its ``hits`` and ``misses`` say what it did)."""
    from dbt_common.clients import jinja as dbt_jinja
    from jinja2.utils import internalcode

    cache = TemplateCodeCache.load(path)
    env_cls = dbt_jinja.MacroFuzzEnvironment
    compile_source = env_cls.compile

    @internalcode
    def compile(self, source, *args, **kwargs):
        # only compile(source), from_string's call; dbt's macro debugging writes each compile to linecache
        if args or kwargs or not isinstance(source, str) or dbt_jinja.MACRO_DEBUGGING:
            return compile_source(self, source, *args, **kwargs)
        key = hashlib.sha256(f"{environment_key(self)}\0{source}".encode()).digest()
        code = cache.get(key)
        if code is None:
            code = compile_source(self, source)
            cache.put(key, code)
        return code

    env_cls.compile = compile
    atexit.register(cache.save)
    return cache


def install_from_env() -> TemplateCodeCache | None:
    """``install`` at ``$ICE287G_JINJA_CACHE`` when it names a file (not set or ``0``: no cache)."""
    where = os.environ.get(ENV_VAR, "")
    if where in ("", "0"):
        return None
    return install(Path(where))
