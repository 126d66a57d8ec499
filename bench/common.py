"""Shared benchmark helpers: a bench database, gunicorn with the production
settings, logging in, wrk with latency parsing, CPU time per request by process
(the server, PostgreSQL, wrk), machine facts, and writing a section of docs/benchmarks.md.

Every benchmark imports these (run it from the checkout root):

    import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
    from bench.common import bench_database, gunicorn, login, wrk, CpuMeter, machine, write_section, table
"""
from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit, urlunsplit

import psutil

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv running the benchmark
DOC = PROJECT_ROOT / "docs" / "benchmarks.md"
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
WRK = os.environ.get("WRK", "/usr/bin/wrk")
# Bounded runs: the same load shape everywhere, so figures compare across sections.
DURATION_S = int(os.environ.get("BENCH_DURATION", "10"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
DEMO_PASSWORD = "growthdesk-demo"
# One User-Agent for logging in and for wrk: sessions are bound to it (Flask-Login's strong
# protection), and a different one marks the session non-fresh, re-signing the cookie on every request.
AGENT = "growthdesk-bench"


# --- database ------------------------------------------------------------------

def with_dbname(url: str, dbname: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + dbname))


def _command(command: list[str], database_url: str) -> str:
    """Run an app command against `database_url` (development settings); returns its output."""
    env = {**os.environ, "DATABASE_URL": database_url, "APP_ENV": "development"}
    result = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def flask(args: list[str], database_url: str, *, quiet: bool = True) -> str:
    """Run `flask --app wsgi ...` against `database_url`; returns its output."""
    output = _command([str(BIN / "flask"), "--app", "wsgi", *args], database_url)
    if not quiet:
        print(output.strip())
    return output


def load_scale(database_url: str, **counts: int) -> str:
    """Add synthetic rows with bench/scale.py (`profiles=N, posts=N, ...`); returns its report."""
    return _command([sys.executable, "-m", "bench.scale", *(f"--{kind}={n}" for kind, n in counts.items())],
                    database_url)


def bench_database(name: str, *, scale: dict[str, int] | None = None) -> str:
    """A fresh database `name` on BENCH_DATABASE_URL's server: migrated, demo data
    seeded, plus synthetic rows (bench/scale.py) when `scale` gives counts
    ({"profiles": N, "posts": N, ...}). Returns its URL."""
    import psycopg
    from psycopg import sql

    admin = os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    url = with_dbname(admin, name)
    flask(["db", "upgrade"], url)
    print(flask(["seed"], url).strip().splitlines()[-2])
    if scale:
        print(load_scale(url, **scale).strip())
    return url


# --- gunicorn ------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_taken(port: int) -> bool:
    """Whether something already listens on 127.0.0.1:`port` (then wait_until_up would find it, not ours)."""
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return  # it answers, which is all we wait for
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up within {timeout:.0f} s")


class Server(NamedTuple):
    url: str   # http://127.0.0.1:PORT
    pid: int   # gunicorn's master: its process tree is the server (CpuMeter)


@contextlib.contextmanager
def gunicorn(app_spec: str, *, env: dict[str, str] | None = None, ready_path: str = "/", root: Path = PROJECT_ROOT,
             port: int | None = None):
    """Serve `app_spec` with `gunicorn -c gunicorn.conf.py` (the production settings) on
    `port` (else a free one), from the checkout at `root`; yields a Server and stops it (only this one) afterwards."""
    port = port or free_port()
    full_env = {**os.environ, **(env or {}), "HOST": "127.0.0.1", "PORT": str(port)}
    full_env.pop("GUNICORN_ACCESS_LOG", None)  # a log line per request costs req/s
    # The log outlives this block's statements: it is closed when the server stops, below.
    log = open(PROJECT_ROOT / ".data" / f"bench-gunicorn-{port}.log", "w") if (PROJECT_ROOT / ".data").is_dir() \
        else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", app_spec], cwd=root,
                            env=full_env, stdout=log, stderr=log, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + ready_path)
        yield Server(base, proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log is not subprocess.DEVNULL:
            log.close()


# --- signing in ----------------------------------------------------------------

def login(base: str, email: str, password: str = DEMO_PASSWORD) -> str:
    """Log in through the real form (CSRF token and all); returns a Cookie header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", AGENT)]
    page = opener.open(base + "/login", timeout=10).read().decode()
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token}).encode()
    opener.open(urllib.request.Request(base + "/login", data=body), timeout=10).read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    check = urllib.request.Request(base + "/", headers={"Cookie": cookie, "User-Agent": AGENT})
    final = urllib.request.urlopen(check, timeout=10)
    if final.status != 200 or "/login" in final.url:
        raise RuntimeError(f"log-in as {email} failed")
    return cookie


def cookie_from(url: str) -> str:
    """The cookies a GET of `url` sets, as a Cookie header value (bench/floor_app.py's /login)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", AGENT)]
    opener.open(url, timeout=10).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def fetch(url: str, cookie: str | None = None) -> tuple[int, str]:
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


# --- wrk -----------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip())
    if not m:
        raise ValueError(f"not a wrk duration: {value!r}")
    return float(m.group(1)) * _UNITS[m.group(2)]


def parse_wrk(output: str) -> dict:
    """req/s, p50/p99 latency (ms), request count and errors from `wrk --latency` output."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not rps:
        raise ValueError("wrk printed no Requests/sec:\n" + output)
    lat = {p: _ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.M)}
    requests = re.search(r"(\d+) requests in", output)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": float(rps.group(1)),
        "p50_ms": lat.get("50"),
        "p99_ms": lat.get("99"),
        "requests": int(requests.group(1)) if requests else None,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(int(x) for x in sock.groups()) if sock else 0,
    }


def wrk(url: str, *, cookie: str | None = None, duration: int = DURATION_S, threads: int = THREADS,
        connections: int = CONNECTIONS, warmup: int = 2, script: Path | None = None,
        env: dict[str, str] | None = None, meter: CpuMeter | None = None, server: str = "",
        headers: dict[str, str] | None = None, timeout: int | None = None) -> dict:
    """A short warm-up, then one bounded `wrk --latency` run; parsed figures.

    `script` is a wrk Lua script (with `env` for its settings); `headers` are sent with every
    request (say, HX-Request for an htmx partial); `timeout` (s) replaces wrk's 2 s, past which a
    slow page's responses are counted as errors and not in req/s. With a `meter`, the result also
    has "cpu": µs of CPU per request spent by the `server` tree, PostgreSQL, wrk, the rest of the
    machine and all of it ("all")."""
    if not shutil.which(WRK):
        raise RuntimeError(f"wrk not found at {WRK} (apt-get install wrk, or set WRK=...)")
    options = ["-t", str(threads), "-c", str(connections), "-H", f"User-Agent: {AGENT}"]
    options += (["-H", f"Cookie: {cookie}"] if cookie else []) + (["-s", str(script)] if script else [])
    options += [part for name, value in (headers or {}).items() for part in ("-H", f"{name}: {value}")]
    options += ["--timeout", f"{timeout}s"] if timeout else []
    run_env = {**os.environ, **(env or {})}
    if warmup:
        subprocess.run([WRK, *options, "-d", f"{warmup}s", url], capture_output=True, check=True, env=run_env)
    with (meter or CpuMeter()).span() as used:
        out = subprocess.run([WRK, "--latency", *options, "-d", f"{duration}s", url], capture_output=True,
                             text=True, check=True, env=run_env).stdout
    result = parse_wrk(out)
    cpu = per_request_us(used, result["requests"] or 0)
    result["cpu"] = {"server": cpu.get(server), "postgres": cpu.get("postgres"), "wrk": cpu.get("wrk"),
                     "other": cpu.get("other"), "all": cpu.get("machine")}
    return result


# --- CPU per request -------------------------------------------------------------
# Every process of a run shares the machine's cores, so req/s is roughly cores / (CPU per request,
# all processes together). Measuring where that CPU goes (the server's workers, PostgreSQL, wrk)
# tells what a page costs and what a goal leaves it, which req/s alone cannot.

def tree_cpu_seconds(root: int) -> float:
    """CPU seconds used so far by `root`, its live descendants and the children they reaped.

    A gunicorn worker recycled between two readings moves from "live" to its master's reaped
    children, so differences between readings stay right.
    """
    try:
        root_process = psutil.Process(root)
        family = [root_process, *root_process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for process in family:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue  # gone in the meantime
        total += times.user + times.system + times.children_user + times.children_system
    return total


def machine_busy_seconds() -> float:
    """CPU seconds all cores have spent busy so far (all but idle and waiting for I/O)."""
    times = psutil.cpu_times()
    return sum(getattr(times, name, 0.0) for name in ("user", "nice", "system", "irq", "softirq", "steal"))


def postmaster_pid(database_url: str) -> int | None:
    """The PostgreSQL server's main process, when it runs on this machine (else None)."""
    import psycopg

    try:
        with psycopg.connect(database_url) as conn:
            backend = conn.execute("select pg_backend_pid()").fetchone()[0]
        return psutil.Process(backend).ppid()  # a backend's parent is the postmaster
    except (psutil.Error, psycopg.Error):
        return None  # the server is elsewhere: its CPU is not this machine's


class DatabaseBackends:
    """The PostgreSQL backends serving one database (on this machine), as a CpuMeter root.

    Other work on the same server (another checkout's test suite, say) runs in other backends,
    so the benchmark charges PostgreSQL only for its own database's. A backend is found by its
    process title (`postgres: … <user> <database> <client> …`) under the postmaster.
    """

    def __init__(self, postmaster: int, database: str):
        self.postmaster, self.database = postmaster, database

    def cpu_seconds_by_process(self) -> dict[int, float]:
        seconds = {}
        try:
            backends = psutil.Process(self.postmaster).children()
        except psutil.NoSuchProcess:
            return seconds
        for backend in backends:
            try:
                if self.database in backend.cmdline()[0].split()[2:4]:
                    times = backend.cpu_times()
                    seconds[backend.pid] = times.user + times.system
            except (psutil.NoSuchProcess, psutil.AccessDenied, IndexError):
                continue
        return seconds


def database_backends(database_url: str) -> DatabaseBackends | None:
    """The backends of `database_url`'s database, when its server runs on this machine (else None)."""
    postmaster = postmaster_pid(database_url)
    return DatabaseBackends(postmaster, urlsplit(database_url).path.lstrip("/")) if postmaster else None


class CpuMeter:
    """CPU seconds spent during one span by named process trees, by wrk and by the whole machine.

        meter = CpuMeter(server=gunicorn_pid, postgres=database_backends(url))
        with meter.span() as used:
            run wrk
        used -> {"server": 1.9, "postgres": 0.4, "wrk": 0.3, "machine": 2.7, "other": 0.1}

    A root is a process id (its whole tree is charged) or a DatabaseBackends (each backend's own
    CPU over the span; one that exits during the span is not charged). wrk is counted through
    this process's reaped children, so run nothing else as a child during a span.
    """

    def __init__(self, **roots: int | DatabaseBackends | None):
        self.roots = {name: root for name, root in roots.items() if root}

    def _reading(self) -> dict[str, float | dict[int, float]]:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        reading = {name: root.cpu_seconds_by_process() if isinstance(root, DatabaseBackends) else tree_cpu_seconds(root)
                   for name, root in self.roots.items()}
        reading["wrk"] = children.ru_utime + children.ru_stime
        reading["machine"] = machine_busy_seconds()
        return reading

    @contextlib.contextmanager
    def span(self):
        used: dict[str, float] = {}
        before = self._reading()
        yield used
        after = self._reading()
        for name, value in after.items():
            if isinstance(value, dict):  # per process: new ones from zero, those gone uncharged
                used[name] = sum(seconds - before[name].get(pid, 0.0) for pid, seconds in value.items())
            else:
                used[name] = value - before[name]
        used["other"] = max(0.0, used["machine"] - sum(v for k, v in used.items() if k != "machine"))


def per_request_us(used: dict[str, float], requests: int) -> dict[str, float]:
    """A span's CPU seconds as microseconds per request."""
    return {name: seconds / requests * 1e6 for name, seconds in used.items()} if requests else {}


# --- reporting -----------------------------------------------------------------

def machine() -> dict:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "nproc": os.cpu_count(),
            "cpu": model, "load": load}


def machine_line(m: dict) -> str:
    return (f"{m['date']} on {m['nproc']} CPU(s) ({m['cpu']}); load average {m['load']:.1f} when the run started; "
            f"wrk {THREADS} threads, {CONNECTIONS} connections, {DURATION_S} s per target after a 2 s warm-up; "
            "gunicorn -c gunicorn.conf.py (production settings) on the same machine.")


def ratio(value: float | None, base: float | None) -> str:
    return f"{value / base:.2f}×" if value and base else "–"


def table(headers: list[str], rows: list[list]) -> str:
    """A Markdown table (also readable printed to a terminal)."""
    cells = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"  # noqa: E731
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, cells)])


def write_section(heading: str, body: str, *, first: bool = False, path: Path = DOC) -> None:
    """Replace (or add) the `## heading` section of docs/benchmarks.md. `first` puts a new
    section at the top (the foundation's baseline); others go at the end."""
    intro = ("# Benchmarks\n\nHow to run them: bench/README.md. Each section is written by its benchmark and "
             "shows every figure next to a baseline measured in the same run.\n")
    text_ = path.read_text() if path.exists() else intro
    parts = re.split(r"(?m)^(?=## )", text_)
    head, sections = parts[0], parts[1:]
    new = f"## {heading}\n\n{body.strip()}\n\n"
    for i, s in enumerate(sections):
        if s.splitlines()[0].strip() == f"## {heading}":
            sections[i] = new
            break
    else:
        sections = [new, *sections] if first else [*sections, new]
    path.parent.mkdir(exist_ok=True)
    path.write_text(head.rstrip() + "\n\n" + "".join(sections).rstrip() + "\n")
