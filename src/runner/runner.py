#!/usr/bin/env python3
"""glue-kernel statement runner: executes Glue "statements" in one persistent Python process.

Driven by src/runner/python-runner.ts (the local backend of the kernel and the Glue API
emulator). Stdlib only at module level; Python 3.9+.

Protocol (JSON lines, ASCII only, on dedicated file descriptors so that nothing user code
prints or reads can corrupt it):
  commands in  (--command-fd, default 3): {"cmd":"execute","id":ID,"code":CODE[,"label":NAME]} | {"cmd":"shutdown"}
  events out   (--event-fd,   default 4):
    {"event":"ready","engine":{"name","description","python_version"},"log":TEXT}
    {"event":"stream","id":ID|null,"name":"stdout"|"stderr","text":TEXT}   live, time-buffered
    {"event":"result","id":ID,"output":StatementOutput,"sync":["stdout","stderr"]}
    {"event":"fatal","message":TEXT}            the engine could not start; the process exits
    {"event":"log","level":"debug"|"warn","message":TEXT}

The result's Data holds only what the runner itself produced (the final value's repr in
TextPlain, or MimeType/Result and the repr in StdOut for %matplot/%plotly). Printed text is
delivered as stream events; the driver folds it into TextPlain/StdOut/StdErr when its caller
does not stream. Before each result the runner writes a sync marker (SYNC_START + id + SYNC_END)
straight to fd 1 and fd 2, so the driver can attribute C-level writes on those descriptors
(subprocesses, extension modules) to the statement that made them; "sync" lists the markers
actually written.

Interrupt: SIGINT raises KeyboardInterrupt in the statement while one runs; when idle it is
ignored. Globals survive both.
"""

import argparse
import ast
import base64
import builtins
import codecs
import contextlib
import importlib.util
import io
import json
import linecache
import os
import platform
import queue
import re
import signal
import sys
import threading
import time
import tokenize
import types
import traceback

SYNC_START = "\x1e\x1fGLUE-RUNNER-SYNC "
SYNC_END = "\x1f\x1e"
FLUSH_INTERVAL_S = 0.05
FLUSH_SIZE = 64 * 1024
EOF_GRACE_S = 5.0
ENGINES = ("auto", "pyspark", "duckdb", "plain")
ENGINE_ENV = "GLUE_KERNEL_RUNNER_ENGINE"
# What to do when no engine runs, set by the driver (the emulator names its --python).
HINT_ENV = "GLUE_KERNEL_RUNNER_MISSING_ENGINE_HINT"

_RUNNER_FILENAME = __file__
_MAIN_THREAD_ID = threading.get_ident()


# --------------------------------------------------------------------------------------------
# Interrupt state. The SIGINT handler raises KeyboardInterrupt only while user code runs, and
# defers it while the main thread is inside a critical section (writing a protocol event), so a
# line of JSON is never cut in half.
# --------------------------------------------------------------------------------------------
class _State:
    def __init__(self):
        self.in_user = False
        self.defer = 0
        self.pending_interrupt = False
        self.interrupted = False
        self.current_id = None
        self.on_interrupt = None


_state = _State()


@contextlib.contextmanager
def _critical():
    main = threading.get_ident() == _MAIN_THREAD_ID
    if main:
        _state.defer += 1
    ok = False
    try:
        yield
        ok = True
    finally:
        if main:
            _state.defer -= 1
            if ok and _state.defer == 0 and _state.pending_interrupt and _state.in_user:
                _state.pending_interrupt = False
                raise KeyboardInterrupt


def _call_interrupt_hook():
    hook = _state.on_interrupt
    if hook is not None:
        try:
            hook()
        except Exception:
            pass


def _on_sigint(_signum, _frame):
    if not _state.in_user:
        return  # idle: ignored
    _state.interrupted = True
    # The watcher thread may have called the engine's cancel hook already, or may see the
    # statement end before it gets the GIL; cancelling twice is harmless, never is not.
    _call_interrupt_hook()
    if _state.defer > 0:
        _state.pending_interrupt = True
        return
    raise KeyboardInterrupt


def _install_interrupt_watcher():
    """Python runs signal handlers only when the main thread returns to the interpreter, so a
    statement stuck in an engine's C code (a DuckDB query, a Spark job) would not notice SIGINT.
    The C-level handler also writes the signal number to a wakeup socket; this thread reads it
    and calls the engine's cancel hook at once (both hooks are safe from another thread)."""
    if _state.on_interrupt is None:
        return
    try:
        import socket

        reader, writer = socket.socketpair()
        writer.setblocking(False)
        signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    except (OSError, ValueError, AttributeError):
        return

    def watch():
        while True:
            try:
                data = reader.recv(64)
            except OSError:
                return
            if not data:
                return
            if signal.SIGINT in data and _state.in_user:
                _state.interrupted = True
                _call_interrupt_hook()

    threading.Thread(target=watch, name="glue-runner-interrupt", daemon=True).start()
    _install_interrupt_watcher.keep = (reader, writer)  # the sockets live as long as the process


# --------------------------------------------------------------------------------------------
# Event channel and output streams
# --------------------------------------------------------------------------------------------
class EventChannel:
    def __init__(self, fd):
        self._fd = fd
        self._lock = threading.Lock()

    def emit(self, event):
        data = (json.dumps(event, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")
        with _critical():
            with self._lock:
                view = memoryview(data)
                try:
                    while view:
                        written = os.write(self._fd, view)
                        view = view[written:]
                except OSError:
                    # The driver is gone: nobody can ever read our results.
                    os._exit(0)


class StreamHub:
    """Buffers stdout/stderr text in write order and emits it as stream events: at once after a
    quiet spell, else at most FLUSH_INTERVAL_S after a write, at FLUSH_SIZE, or on flush()."""

    def __init__(self, channel):
        self._channel = channel
        self._cond = threading.Condition(threading.RLock())
        self._chunks = []  # [name, [parts]] in order
        self._size = 0
        self._last_emit = 0.0
        thread = threading.Thread(target=self._run, name="glue-runner-flusher", daemon=True)
        thread.start()

    def write(self, name, text):
        with _critical():
            with self._cond:
                if self._chunks and self._chunks[-1][0] == name:
                    self._chunks[-1][1].append(text)
                else:
                    self._chunks.append([name, [text]])
                self._size += len(text)
                # Leading edge: a line completed after a quiet spell goes out at once (so a print
                # just before a crash is not lost); a burst is batched until the flusher's tick.
                if self._size >= FLUSH_SIZE or (
                    text.endswith("\n") and time.monotonic() - self._last_emit >= FLUSH_INTERVAL_S
                ):
                    self._flush_locked()
                else:
                    self._cond.notify()

    def flush(self):
        with _critical():
            with self._cond:
                self._flush_locked()

    def _flush_locked(self):
        chunks, self._chunks, self._size = self._chunks, [], 0
        if chunks:
            self._last_emit = time.monotonic()
        for name, parts in chunks:
            self._channel.emit({"event": "stream", "id": _state.current_id, "name": name, "text": "".join(parts)})

    def _run(self):
        while True:
            with self._cond:
                while not self._chunks:
                    self._cond.wait()
            time.sleep(FLUSH_INTERVAL_S)
            self.flush()


class _BinaryStream(io.RawIOBase):
    """sys.stdout.buffer: bytes written here are decoded and join the text stream."""

    def __init__(self, text_stream):
        super().__init__()
        self._text = text_stream
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def writable(self):
        return True

    def write(self, b):
        data = bytes(b)
        text = self._decoder.decode(data)
        if text:
            self._text.write(text)
        return len(data)

    def fileno(self):
        return self._text.fileno()


class StreamWriter(io.TextIOBase):
    """Replacement for sys.stdout / sys.stderr that feeds the StreamHub."""

    def __init__(self, hub, name, fd):
        super().__init__()
        self._hub = hub
        self._name = name
        self._fd = fd
        self._buffer = _BinaryStream(self)

    @property
    def name(self):
        return "<%s>" % self._name

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "strict"

    @property
    def buffer(self):
        return self._buffer

    @property
    def line_buffering(self):
        return False

    def writable(self):
        return True

    def readable(self):
        return False

    def seekable(self):
        return False

    def isatty(self):
        return False

    def fileno(self):
        # C-level writes to the real descriptor reach the driver's pipe, which forwards them.
        return self._fd

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        if s:
            self._hub.write(self._name, s)
        return len(s)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        self._hub.flush()

    def close(self):
        pass  # closing sys.stdout must not break the runner


# --------------------------------------------------------------------------------------------
# Cell parsing: magics, REPL split, tracebacks
# --------------------------------------------------------------------------------------------
KNOWN_MAGICS = ("matplot", "plotly")
_MAGIC_LINE = re.compile(r"^%(%?)([A-Za-z_][\w-]*)?[ \t]*(.*?)\s*$")


class UnknownMagic(Exception):
    pass


class MagicError(Exception):
    pass


def find_magic_lines(code):
    """Line numbers (1-based) of magic lines: a '%' in column 0 that starts a logical line
    outside any string or bracket. Falls back to every line starting with '%' when the code
    cannot be tokenized."""
    lines = code.splitlines(True)
    candidates = set(i + 1 for i, line in enumerate(lines) if line.startswith("%"))
    if not candidates:
        return []
    found = set()
    try:
        depth = 0
        at_start = True
        skip_row = None
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            ttype, tstr, (srow, scol) = tok[0], tok[1], tok[2]
            if skip_row is not None:
                if srow == skip_row:
                    continue
                skip_row = None
            if ttype in (tokenize.NL, tokenize.NEWLINE):
                if depth == 0:
                    at_start = True
                continue
            if ttype in (tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING):
                continue
            if ttype == tokenize.ENDMARKER:
                break
            if at_start and depth == 0 and ttype == tokenize.OP and tstr == "%" and scol == 0 and srow in candidates:
                found.add(srow)
                skip_row = srow
                at_start = True
                continue
            at_start = False
            if ttype == tokenize.OP:
                if tstr in ("(", "[", "{"):
                    depth += 1
                elif tstr in (")", "]", "}"):
                    depth = max(0, depth - 1)
    except (tokenize.TokenError, SyntaxError):
        found = candidates
    return sorted(found)


def parse_magic(line):
    """'%matplot plt' -> ('matplot', 'plt'); '%%sql x' -> ('%sql', 'x')."""
    m = _MAGIC_LINE.match(line.rstrip("\r\n"))
    if not m:
        return ("", line.strip())
    return ((m.group(1) or "") + (m.group(2) or ""), m.group(3) or "")


def split_cell(code, filename):
    """Parse a cell into a list of steps: ("code", [ast stmts]) and ("magic", name, arg, lineno).
    Magic lines become `pass` so line numbers stay those of the cell. Raises SyntaxError."""
    lines = code.splitlines(True)
    magic_lines = find_magic_lines(code)
    magics = {}
    for lineno in magic_lines:
        raw = lines[lineno - 1]
        name, arg = parse_magic(raw)
        magics[lineno] = (name, arg, raw)
        ending = raw[len(raw.rstrip("\r\n")):]
        lines[lineno - 1] = "pass" + ending
    source = "".join(lines)
    tree = compile(source, filename, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    top_level = set(node.lineno for node in tree.body if isinstance(node, ast.Pass))
    for lineno, (name, _arg, raw) in magics.items():
        if lineno not in top_level:
            raise SyntaxError(
                "the magic %%%s must be on its own line at the top level of the cell" % name,
                (filename, lineno, 1, raw.rstrip("\r\n")),
            )
    steps = []
    current = []
    for node in tree.body:
        if isinstance(node, ast.Pass) and node.lineno in magics:
            if current:
                steps.append(("code", current))
                current = []
            name, arg, _raw = magics[node.lineno]
            steps.append(("magic", name, arg, node.lineno))
        else:
            current.append(node)
    if current:
        steps.append(("code", current))
    return steps


# The compatibility packages (python/) stand in for library code: their frames are not the user's.
_COMPAT_PREFIX = os.path.join(os.path.dirname(os.path.abspath(_RUNNER_FILENAME)), "python") + os.sep


def _is_runner_file(filename):
    return filename == _RUNNER_FILENAME or filename.startswith(_COMPAT_PREFIX)


def _strip_runner_frames(exc, seen=None):
    """Rebuild the traceback of exc (and its cause/context chain) without runner.py's (and the
    compatibility packages') frames."""
    if seen is None:
        seen = set()
    if exc is None or id(exc) in seen:
        return
    seen.add(id(exc))
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        if not _is_runner_file(tb.tb_frame.f_code.co_filename):
            frames.append(tb)
        tb = tb.tb_next
    new_tb = None
    for t in reversed(frames):
        new_tb = types.TracebackType(new_tb, t.tb_frame, t.tb_lasti, t.tb_lineno)
    exc.__traceback__ = new_tb
    _strip_runner_frames(exc.__cause__, seen)
    _strip_runner_frames(exc.__context__, seen)


def format_user_traceback(exc):
    _strip_runner_frames(exc)
    return traceback.format_exception(type(exc), exc, exc.__traceback__)


def _eval_magic_arg(arg, lineno, filename, namespace):
    """Evaluate a magic's argument as an expression, located at its place in the cell."""
    tree = compile(arg, filename, "eval", ast.PyCF_ONLY_AST, dont_inherit=True)
    ast.increment_lineno(tree, lineno - 1)
    col = max(0, linecache.getline(filename, lineno).find(arg))
    for node in ast.walk(tree):
        if getattr(node, "col_offset", None) is not None:
            node.col_offset += col
        if getattr(node, "end_col_offset", None) is not None:
            node.end_col_offset += col
    return eval(compile(tree, filename, "eval", dont_inherit=True), namespace)


# --------------------------------------------------------------------------------------------
# Rich output: %matplot and %plotly
# --------------------------------------------------------------------------------------------
def render_matplot(value):
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise MagicError(
            "%%matplot needs matplotlib, which is not installed for this Python (%s)" % sys.executable
        ) from None
    fig = None
    if isinstance(value, types.ModuleType) and hasattr(value, "gcf"):
        fig = value.gcf()  # matplotlib.pyplot
    elif type(value).__module__.startswith("matplotlib") and hasattr(value, "savefig"):
        fig = value  # Figure
    elif hasattr(value, "get_figure") and type(value).__module__.startswith("matplotlib"):
        fig = value.get_figure()  # Axes
    if fig is None or not hasattr(fig, "savefig"):
        raise MagicError(
            "%%matplot expects a matplotlib Figure, Axes or the pyplot module; got %s" % _type_name(value)
        )
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return {"MimeType": "image/png", "Result": base64.b64encode(buf.getvalue()).decode("ascii")}


def render_plotly(value):
    try:
        import plotly.io as pio
    except ImportError:
        raise MagicError("%%plotly needs plotly, which is not installed for this Python (%s)" % sys.executable) from None
    if hasattr(value, "to_html") and type(value).__module__.startswith("plotly"):
        html = value.to_html(full_html=False, include_plotlyjs="cdn")
    elif isinstance(value, dict) and "data" in value:
        html = pio.to_html(value, full_html=False, include_plotlyjs="cdn")
    else:
        raise MagicError("%%plotly expects a plotly Figure (or figure dict); got %s" % _type_name(value))
    return {"MimeType": "text/html", "Result": html}


def _type_name(value):
    t = type(value)
    return t.__name__ if t.__module__ == "builtins" else "%s.%s" % (t.__module__, t.__qualname__)


RENDERERS = {"matplot": render_matplot, "plotly": render_plotly}


# --------------------------------------------------------------------------------------------
# Engines
# --------------------------------------------------------------------------------------------
class EngineUnavailable(Exception):
    pass


class Engine:
    def __init__(self, name, description, stop=None, on_interrupt=None):
        self.name = name
        self.description = description
        self.stop = stop
        self.on_interrupt = on_interrupt


def _setup_pyspark(ns):
    import pyspark
    from pyspark.sql import SparkSession

    master = os.environ.get("GLUE_KERNEL_SPARK_MASTER", "local[*]")
    spark = SparkSession.builder.master(master).appName("glue-kernel").getOrCreate()
    sc = spark.sparkContext
    ns["spark"] = spark
    ns["sc"] = sc
    description = "PySpark %s (%s)" % (pyspark.__version__, master)
    if importlib.util.find_spec("awsglue") is not None:
        from awsglue.context import GlueContext

        ns["glueContext"] = GlueContext(sc)
        description += " with awsglue GlueContext"
    return Engine("pyspark", description, stop=spark.stop, on_interrupt=sc.cancelAllJobs)


def _setup_duckdb(ns):
    import duckdb

    if _compat.add("pyspark"):
        # The pyspark shim's session is a singleton, so SparkContext.getOrCreate() and
        # GlueContext(sc).spark_session are this `spark`.
        from pyspark.sql import SparkSession
    else:
        from duckdb.experimental.spark.sql import SparkSession

    spark = SparkSession.builder.getOrCreate()
    ns["spark"] = spark
    sc = getattr(spark, "sparkContext", None)
    if sc is not None:
        ns["sc"] = sc
    description = "DuckDB %s via duckdb.experimental.spark (a PySpark-like API, local and in-process)" % (
        duckdb.__version__
    )
    def interrupt():
        # DuckDB polls for SIGINT itself, but with duckdb 1.5.6 only the first SIGINT in a
        # process stopped a query (observed); interrupting the connection always works.
        spark.conn.interrupt()
        try:
            duckdb.default_connection().interrupt()
        except Exception:
            pass

    return Engine("duckdb", description, stop=None, on_interrupt=interrupt)


def setup_engine(requested, ns, log):
    if requested not in ENGINES:
        raise EngineUnavailable("unknown engine %r (expected one of %s)" % (requested, ", ".join(ENGINES)))
    attempts = (("pyspark", "pyspark", _setup_pyspark), ("duckdb", "duckdb", _setup_duckdb))
    for name, module, setup in attempts:
        if requested not in ("auto", name):
            continue
        if importlib.util.find_spec(module) is None:
            if requested == name:
                raise EngineUnavailable("engine %r was requested but %s is not importable by %s" % (name, module, sys.executable))
            continue
        try:
            return setup(ns)
        except Exception as exc:
            if requested == name:
                raise EngineUnavailable("engine %r failed to start: %s: %s" % (name, type(exc).__name__, exc)) from exc
            log.append("engine %s failed to start, trying the next one: %s: %s" % (name, type(exc).__name__, exc))
    if requested == "auto":
        reason = "neither pyspark nor duckdb is importable"
    else:
        reason = "forced"
    ns["spark"] = MissingSparkEngine(reason)
    sys.meta_path.append(_MissingEngineFinder(reason))
    return Engine("plain", "plain Python, no Spark engine (%s)" % reason)


# --------------------------------------------------------------------------------------------
# Compatibility packages (python/ next to this file): a pyspark shim over DuckDB and an awsglue
# package over the engine, each added only when the real package is not importable.
# --------------------------------------------------------------------------------------------
class _Compat:
    DIRS = {"pyspark": "pyspark-shim", "awsglue": "awsglue-compat"}
    LABELS = {
        "pyspark": "pyspark: glue-kernel's shim over DuckDB",
        "awsglue": "awsglue: glue-kernel's compatibility package (GlueContext, DynamicFrame on local files)",
    }

    def __init__(self):
        self.real = {}
        self.added = []

    def probe(self):
        """Records which real packages exist, before any compatibility directory is on sys.path."""
        for name in self.DIRS:
            self.real[name] = importlib.util.find_spec(name) is not None

    def add(self, name):
        """Puts the compatibility package `name` on sys.path unless the real one exists."""
        if self.real.get(name, True):
            return False
        directory = os.path.join(os.path.dirname(os.path.abspath(_RUNNER_FILENAME)), "python", self.DIRS[name])
        if not os.path.isdir(directory):
            return False
        sys.path.append(directory)
        importlib.invalidate_caches()
        self.added.append(name)
        return True

    def describe(self):
        return "; ".join(self.LABELS[name] for name in self.added)


_compat = _Compat()


class _MissingEngineFinder:
    """Without an engine, `import pyspark` / `import awsglue` says what to install (last on
    sys.meta_path, so any real package is found first)."""

    def __init__(self, reason):
        self._reason = reason

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] not in _compat.DIRS:
            return None
        raise ModuleNotFoundError(
            "No module named %r: this session runs plain Python (%s). %s"
            % (fullname, self._reason, _missing_engine_hint()),
            name=fullname,
        )


def _missing_engine_hint():
    hint = os.environ.get(HINT_ENV)
    if hint:
        return hint
    return (
        "Install duckdb (DuckDB's PySpark-compatible API, with glue-kernel's pyspark and awsglue "
        "compatibility) or pyspark into %s and restart the kernel." % sys.executable
    )


class NoSparkEngineError(NameError):
    """Raised on any use of `spark` without an engine; a NameError, as a missing `spark` would be."""


class MissingSparkEngine:
    """Stands in for `spark` when no engine runs, so %%sql and spark.* say what to install."""

    def __init__(self, reason):
        self._reason = reason

    def __getattr__(self, name):
        raise NoSparkEngineError(
            "spark.%s is not available: this local session runs plain Python (%s). %s"
            % (name, self._reason, _missing_engine_hint())
        )

    def __repr__(self):
        return "<no Spark engine: %s>" % self._reason


# --------------------------------------------------------------------------------------------
# Execution
# --------------------------------------------------------------------------------------------
class Executor:
    def __init__(self, ns):
        self.ns = ns
        self.count = 0

    def execute(self, statement_id, code, label=None):
        self.count += 1
        n = self.count
        _state.current_id = statement_id
        _state.interrupted = False
        _state.pending_interrupt = False
        try:
            _state.in_user = True
            try:
                data = self._run_cell(code, n, label)
            finally:
                _state.in_user = False
            output = {"Status": "ok", "ExecutionCount": n, "Data": data}
        except BaseException as exc:  # noqa: B902 - KeyboardInterrupt and SystemExit are statement errors too
            _state.in_user = False
            output = self._error_output(exc, n)
        _state.pending_interrupt = False
        if signal.getsignal(signal.SIGINT) is not _on_sigint:
            # The statement installed its own SIGINT handler: take interrupts back, or the next
            # idle SIGINT could kill the runner.
            signal.signal(signal.SIGINT, _on_sigint)
        return output

    def _run_cell(self, code, n, label=None):
        # The kernel passes the cell's label (its execution count) so tracebacks name the cell
        # the user sees; every statement still gets its own linecache entry.
        filename = "<%s>" % label if label else "<cell %d>" % n
        lines = code.splitlines(True)
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"  # as linecache.updatecache does; tracebacks expect it
        linecache.cache[filename] = (len(code), None, lines, filename)
        steps = split_cell(code, filename)
        data = {}
        value_text = None
        for index, step in enumerate(steps):
            last = index == len(steps) - 1
            if step[0] == "code":
                stmts = step[1]
                tail = None
                if last and isinstance(stmts[-1], ast.Expr):
                    tail = stmts[-1]
                    stmts = stmts[:-1]
                if stmts:
                    module = ast.Module(body=stmts, type_ignores=[])
                    exec(compile(module, filename, "exec", dont_inherit=True), self.ns)
                if tail is not None:
                    value = eval(compile(ast.Expression(body=tail.value), filename, "eval", dont_inherit=True), self.ns)
                    if value is not None:
                        value_text = repr(value)
            else:
                _kind, name, arg, lineno = step
                renderer = RENDERERS.get(name)
                if renderer is None:
                    raise UnknownMagic(
                        "unknown magic %%%s (in a statement only %s are supported)"
                        % (name, ", ".join("%" + m for m in KNOWN_MAGICS))
                    )
                if not arg:
                    raise MagicError("usage: %%%s <variable>" % name)
                value = _eval_magic_arg(arg, lineno, filename, self.ns)
                data = renderer(value)
        if "MimeType" in data:
            if value_text is not None:
                data["StdOut"] = value_text
        elif value_text is not None:
            data["TextPlain"] = value_text
        return data

    def _error_output(self, exc, n):
        try:
            tb = format_user_traceback(exc)
        except Exception:
            tb = traceback.format_exception_only(type(exc), exc)
        name = type(exc).__name__
        value = _safe_str(exc)
        if _state.interrupted and not isinstance(exc, KeyboardInterrupt):
            value = "%s: %s" % (name, value)
            name = "KeyboardInterrupt"
        return {
            "Status": "error",
            "ExecutionCount": n,
            "Data": {},
            "ErrorName": name,
            "ErrorValue": value,
            "Traceback": tb,
        }


def _safe_str(exc):
    try:
        return str(exc)
    except Exception:
        return "<unprintable %s>" % type(exc).__name__


def _load_libc_fflush():
    if os.name != "posix":
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        fflush = libc.fflush
        fflush.argtypes = [ctypes.c_void_p]
        return lambda: fflush(None)
    except Exception:
        return None


def write_sync_markers(statement_id, fflush):
    """Flush C-level and Python-level buffers of fd 1/2, then write the sync markers."""
    if fflush is not None:
        try:
            fflush()
        except Exception:
            pass
    written = []
    marker = (SYNC_START + str(statement_id) + SYNC_END).encode("ascii")
    for name, fd, stream in (("stdout", 1, sys.__stdout__), ("stderr", 2, sys.__stderr__)):
        try:
            if stream is not None:
                stream.flush()
        except Exception:
            pass
        try:
            os.write(fd, marker)
            written.append(name)
        except OSError:
            pass
    return written


# --------------------------------------------------------------------------------------------
# Main loop
# --------------------------------------------------------------------------------------------
def _read_commands(fd, commands, channel):
    with os.fdopen(fd, "rb", buffering=0, closefd=False) as raw:
        reader = io.BufferedReader(raw)
        while True:
            try:
                line = reader.readline()
            except OSError:
                line = b""
            if not line:
                break
            try:
                command = json.loads(line.decode("utf-8"))
                if not isinstance(command, dict):
                    raise ValueError("not an object")
            except ValueError as exc:
                channel.emit({"event": "log", "level": "warn", "message": "ignored a bad command line: %s" % exc})
                continue
            commands.put(command)
    # The driver closed the command channel (or died): exit, even if a statement is running.
    commands.put(None)
    time.sleep(EOF_GRACE_S)
    os._exit(0)


_RUNNER_MODULE = None


def _make_main_module():
    global _RUNNER_MODULE
    _RUNNER_MODULE = sys.modules.get("__main__")  # keep the runner's own module alive
    module = types.ModuleType("__main__")
    module.__dict__["__builtins__"] = builtins
    sys.modules["__main__"] = module
    return module.__dict__


def main(argv=None):
    parser = argparse.ArgumentParser(description="glue-kernel statement runner")
    parser.add_argument("--engine", default=os.environ.get(ENGINE_ENV) or "auto")
    parser.add_argument("--command-fd", type=int, default=3)
    parser.add_argument("--event-fd", type=int, default=4)
    args = parser.parse_args(argv)

    os.environ.setdefault("MPLBACKEND", "Agg")
    for fd in (args.command_fd, args.event_fd):
        try:
            os.set_inheritable(fd, False)  # keep the protocol out of user subprocesses
        except OSError:
            pass
    channel = EventChannel(args.event_fd)

    # User code sees a REPL-like process: argv [''], the working directory first on sys.path.
    sys.argv = [""]
    if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(_RUNNER_FILENAME)):
        sys.path[0] = ""
    ns = _make_main_module()

    log = []
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
            _compat.probe()
            engine = setup_engine(args.engine.strip().lower(), ns, log)
            if engine.name != "plain":
                _compat.add("awsglue")
            if _compat.added:
                engine.description += "; " + _compat.describe()
    except EngineUnavailable as exc:
        channel.emit({"event": "fatal", "message": str(exc)})
        sys.stderr.write(captured.getvalue())
        sys.stderr.flush()
        return 3
    if captured.getvalue():
        log.append(captured.getvalue())

    try:
        import faulthandler

        # A crash leaves the statement's Python stack on fd 2, which the driver reports.
        faulthandler.enable(file=sys.__stderr__, all_threads=False)
    except Exception:
        pass
    hub = StreamHub(channel)
    sys.stdout = StreamWriter(hub, "stdout", 1)
    sys.stderr = StreamWriter(hub, "stderr", 2)
    _state.on_interrupt = engine.on_interrupt
    signal.signal(signal.SIGINT, _on_sigint)
    _install_interrupt_watcher()
    fflush = _load_libc_fflush()
    executor = Executor(ns)

    commands = queue.Queue()
    reader = threading.Thread(
        target=_read_commands, args=(args.command_fd, commands, channel), name="glue-runner-commands", daemon=True
    )
    reader.start()
    channel.emit(
        {
            "event": "ready",
            "engine": {"name": engine.name, "description": engine.description, "python_version": platform.python_version()},
            "log": "\n".join(log),
        }
    )

    while True:
        try:
            command = commands.get()
        except KeyboardInterrupt:
            continue  # user code replaced our SIGINT handler; idle interrupts stay harmless
        if command is None or command.get("cmd") == "shutdown":
            break
        if command.get("cmd") != "execute":
            channel.emit({"event": "log", "level": "warn", "message": "unknown command %r" % command.get("cmd")})
            continue
        statement_id = command.get("id")
        code = command.get("code")
        if not isinstance(code, str):
            code = ""
        label = command.get("label")
        output = executor.execute(statement_id, code, label if isinstance(label, str) and label else None)
        hub.flush()
        sync = write_sync_markers(statement_id, fflush)
        _state.current_id = None
        channel.emit({"event": "result", "id": statement_id, "output": output, "sync": sync})

    if engine.stop is not None:
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                engine.stop()
        except Exception:
            pass
    try:
        hub.flush()
    except Exception:
        pass
    os._exit(0)


if __name__ == "__main__":
    if sys.version_info < (3, 9):
        sys.stderr.write("glue-kernel's runner needs Python 3.9 or newer; this is %s\n" % sys.version.split()[0])
        sys.exit(2)
    sys.exit(main())
