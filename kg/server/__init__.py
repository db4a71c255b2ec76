"""A local Neo4j Community 5 server for users who have Java and no Neo4j.

`kg neo4j install` fetches Neo4j's jars with Maven and compiles a small launcher
(Neo4j embedded with its Bolt connector on 127.0.0.1); `start` runs it in the
background, `stop` ends it, `status` tells. Nothing but Java 17 and Maven is needed.

The server has authentication on: the first start writes a random password to
HOME/password (mode 0600, the folder 0700) and `kg` reads it from there when
NEO4J_PASSWORD is not set. It refuses to run as root unless asked (`allow_root`,
KG_NEO4J_ALLOW_ROOT=1)."""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
DEFAULT_PORT = 7687
LAUNCHER = "KgNeo4jServer"
USER = "neo4j"
# what Neo4j's own start script gives its JVM: the page cache needs java.nio opened to it, or it
# falls back to a slower mode; G1 with explicit GC off; no stack-trace elision in the logs
JVM_FLAGS = ["-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+UnlockExperimentalVMOptions",
             "-XX:+TrustFinalNonStaticFields", "-XX:+DisableExplicitGC", "-Djdk.nio.maxCachedBufferSize=1024",
             "-Dio.netty.tryReflectionSetAccessible=true", "-Dlog4j2.disable.jmx=true",
             "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
             "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
             "--enable-native-access=ALL-UNNAMED"]


def _launcher_digest() -> str:
    """The compiled launcher lives in a folder named by its source's hash: a changed launcher
    is compiled anew, and checkouts of other versions sharing the cache keep their own."""
    return hashlib.sha256((HERE / f"{LAUNCHER}.java").read_bytes()).hexdigest()[:12]


_SIZE = re.compile(r"[1-9][0-9]*[kKmMgG]?|0")


@dataclass(frozen=True)
class MemorySettings:
    heap: str
    pagecache: str
    tx_memory: str


def _machine_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 4 << 30


def _size(name: str, value: str) -> str:
    if not _SIZE.fullmatch(value):
        raise ServerError(f"{name}={value!r}: give a size such as 512m or 4g")
    return value


def memory_settings(heap: str | None = None, pagecache: str | None = None) -> MemorySettings:
    """The server's fixed heap and page cache: KG_NEO4J_HEAP and KG_NEO4J_PAGECACHE, else sized
    from the machine (an eighth of its memory for the heap, 1–8 GiB; a quarter for the page
    cache, 512 MiB–16 GiB). A 1 GiB heap refused one 500-letter batch into a 100,000-letter graph
    and a 512 MiB page cache holds a tenth of that graph's store. KG_NEO4J_TX_MEMORY caps one
    transaction (default: only the heap-wide limit, 70% of the heap)."""
    total_mib = _machine_memory() >> 20
    heap = _size("KG_NEO4J_HEAP", heap or os.environ.get("KG_NEO4J_HEAP")
                 or f"{min(max(total_mib // 8, 1024), 8192)}m")
    pagecache = _size("KG_NEO4J_PAGECACHE", pagecache or os.environ.get("KG_NEO4J_PAGECACHE")
                      or f"{min(max(total_mib // 4, 512), 16384)}m")
    tx = _size("KG_NEO4J_TX_MEMORY", os.environ.get("KG_NEO4J_TX_MEMORY") or "0")
    return MemorySettings(heap, pagecache, tx)


def allow_root_from_env() -> bool:
    return os.environ.get("KG_NEO4J_ALLOW_ROOT", "") not in ("", "0", "false", "no")


class ServerError(Exception):
    pass


def _xdg(var: str, default: str) -> Path:
    return Path(os.environ.get(var) or Path.home() / default)


@dataclass
class LocalServer:
    home: Path          # database files, log, pid
    cache: Path         # jars and the compiled launcher
    port: int

    @classmethod
    def from_env(cls) -> "LocalServer":
        home = Path(os.environ.get("KG_NEO4J_HOME") or _xdg("XDG_DATA_HOME", ".local/share") / "kg" / "neo4j")
        cache = Path(os.environ.get("KG_NEO4J_CACHE") or _xdg("XDG_CACHE_HOME", ".cache") / "kg" / "neo4j-server")
        port = DEFAULT_PORT
        uri = os.environ.get("NEO4J_URI")
        if uri:
            u = urlparse(uri)
            if u.hostname in ("127.0.0.1", "localhost") and u.port:
                port = u.port
        return cls(home, cache, port)

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.home / "server.pid"

    @property
    def log_file(self) -> Path:
        return self.home / "server.log"

    @property
    def ready_file(self) -> Path:
        return self.home / "server.ready"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def classes(self) -> Path:
        return self.cache / f"classes-{_launcher_digest()}"

    def password(self) -> str | None:
        """The local server's password, or None before its first start."""
        try:
            return self.password_file.read_text(encoding="ascii").strip() or None
        except OSError:
            return None

    def _ensure_password(self) -> None:
        """A random password on first start, in a file only this user can read."""
        self.home.mkdir(parents=True, exist_ok=True)
        os.chmod(self.home, 0o700)
        if self.password_file.exists():
            os.chmod(self.password_file, 0o600)
            if self.password():
                return
            self.password_file.unlink()
        fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_urlsafe(24) + "\n")

    def classpath(self) -> str:
        return os.pathsep.join([str(self.classes), str(self.cache / "lib" / "*")])

    # -- install -------------------------------------------------------------------
    def installed(self) -> bool:
        return (self.classes / f"{LAUNCHER}.class").exists() and any((self.cache / "lib").glob("neo4j-5*.jar"))

    def install(self, quiet: bool = False) -> None:
        if self.installed():
            return
        for tool in ("mvn", "javac", "java"):
            if not shutil.which(tool):
                raise ServerError(f"`{tool}` not found: the local Neo4j server needs Java 17 and Maven")
        self.cache.mkdir(parents=True, exist_ok=True)
        lib = self.cache / "lib"
        if not any(lib.glob("neo4j-5*.jar")):
            if not quiet:
                print("kg: fetching Neo4j Community with Maven (once; about 120 MB)…", file=sys.stderr)
            p = subprocess.run(["mvn", "-q", "-B", "-f", str(HERE / "pom.xml"), "dependency:copy-dependencies",
                                f"-DoutputDirectory={lib}"], capture_output=True, text=True)
            if p.returncode != 0:
                raise ServerError("Maven could not fetch Neo4j:\n" + (p.stdout + p.stderr)[-2000:])
        # compiled aside and renamed into place: a concurrent install never sees half a folder
        tmp = Path(tempfile.mkdtemp(prefix=".classes-", dir=self.cache))
        p = subprocess.run(["javac", "-d", str(tmp), "-cp", str(lib / "*"), str(HERE / f"{LAUNCHER}.java")],
                           capture_output=True, text=True)
        if p.returncode != 0:
            shutil.rmtree(tmp, ignore_errors=True)
            raise ServerError("javac failed:\n" + p.stderr[-2000:])
        try:
            os.rename(tmp, self.classes)
        except OSError:             # another install won the race
            shutil.rmtree(tmp, ignore_errors=True)

    # -- run -----------------------------------------------------------------------
    @staticmethod
    def _argv(pid: int) -> list[str]:
        """A process's command line, [] when there is none to read (gone, or another user's)."""
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
        except FileNotFoundError:
            if Path("/proc/self").exists():
                return []               # Linux: no such process
            p = subprocess.run(["ps", "-p", str(pid), "-o", "args="], capture_output=True, text=True)
            return p.stdout.split()
        except OSError:
            return []                   # another user's process: not ours either

    def _is_ours(self, pid: int) -> bool:
        """Whether the process is this home's launcher: a pid file may outlive its server, and
        the pid be reused by anything else, which must not be signalled."""
        argv = self._argv(pid)
        return LAUNCHER in argv and str(self.home.resolve()) in argv

    def _port_of(self, pid: int) -> str:
        """The port a running server of this home was started on (its command line: home, port)."""
        argv = self._argv(pid)
        try:
            return argv[argv.index(LAUNCHER) + 2]
        except (ValueError, IndexError):
            return "?"

    def pid(self) -> int | None:
        """The pid of this home's running server, or None."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return None                 # someone else's process, not ours
        return pid if self._is_ours(pid) else None

    def port_open(self) -> bool:
        with socket.socket() as s:
            s.settimeout(0.5)
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def running(self) -> bool:
        return self.pid() is not None and self.port_open()

    def command(self, heap: str, pagecache: str, tx_memory: str = "0") -> list[str]:
        return ["java", f"-Xms{heap}", f"-Xmx{heap}", *JVM_FLAGS, "-cp", self.classpath(), LAUNCHER,
                str(self.home.resolve()), str(self.port), str(self.password_file.resolve()), pagecache, tx_memory]

    def start(self, timeout: float = 180, heap: str | None = None, pagecache: str | None = None,
              allow_root: bool | None = None) -> str:
        if self.running():
            return self.uri
        if allow_root is None:
            allow_root = allow_root_from_env()
        if hasattr(os, "geteuid") and os.geteuid() == 0 and not allow_root:
            raise ServerError("refusing to run Neo4j as root (its files and queries would have root's rights); "
                              "run kg as a normal user, or pass --allow-root (KG_NEO4J_ALLOW_ROOT=1)")
        pid = self.pid()
        if pid is not None:
            # this home's server, on another port (or still starting): a second one would find the
            # store locked, and its pid file would hide the first from `kg neo4j stop`
            port = self._port_of(pid)
            raise ServerError(f"this home's Neo4j server is already running (pid {pid}, port {port}); "
                              f"set NEO4J_URI=bolt://127.0.0.1:{port}, or stop it first (kg neo4j stop)")
        if self.port_open():
            raise ServerError(f"port {self.port} is taken by another program; set NEO4J_URI=bolt://127.0.0.1:PORT")
        self.install()
        self._ensure_password()
        mem = memory_settings(heap, pagecache)
        self.ready_file.unlink(missing_ok=True)
        with open(self.log_file, "ab") as log:
            os.chmod(self.log_file, 0o600)
            proc = subprocess.Popen(self.command(mem.heap, mem.pagecache, mem.tx_memory), stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        self.pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise ServerError(f"Neo4j exited with status {proc.returncode}; see {self.log_file}:\n"
                                  + self.log_file.read_text(errors="replace")[-1500:])
            if self.ready_file.exists() and self.port_open():
                return self.uri
            time.sleep(0.5)
        raise ServerError(f"Neo4j did not open port {self.port} within {timeout:.0f}s; see {self.log_file}")

    def stop(self, timeout: float = 60) -> bool:
        """Stop this home's server; a pid file naming any other process is removed, and that
        process left alone."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._is_ours(pid):      # gone (a zombie has no command line either)
                break
            time.sleep(0.3)
        else:
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        self.ready_file.unlink(missing_ok=True)
        return True
