"""A local Neo4j Community 5 server for users who have Java and no Neo4j.

`kg neo4j install` fetches Neo4j's jars with Maven and compiles a small launcher
(Neo4j embedded with its Bolt connector on 127.0.0.1); `start` runs it in the
background, `stop` ends it, `status` tells. Nothing but Java 17 and Maven is needed."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
DEFAULT_PORT = 7687


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

    # -- install -------------------------------------------------------------------
    def installed(self) -> bool:
        return (self.cache / "classes" / "KgNeo4jServer.class").exists() and any((self.cache / "lib").glob("neo4j-5*.jar"))

    def install(self, quiet: bool = False) -> None:
        if self.installed():
            return
        for tool in ("mvn", "javac", "java"):
            if not shutil.which(tool):
                raise ServerError(f"`{tool}` not found: the local Neo4j server needs Java 17 and Maven")
        self.cache.mkdir(parents=True, exist_ok=True)
        if not quiet:
            print("kg: fetching Neo4j Community with Maven (once; about 120 MB)…", file=sys.stderr)
        lib = self.cache / "lib"
        p = subprocess.run(["mvn", "-q", "-B", "-f", str(HERE / "pom.xml"), "dependency:copy-dependencies",
                            f"-DoutputDirectory={lib}"], capture_output=True, text=True)
        if p.returncode != 0:
            raise ServerError("Maven could not fetch Neo4j:\n" + (p.stdout + p.stderr)[-2000:])
        classes = self.cache / "classes"
        classes.mkdir(exist_ok=True)
        p = subprocess.run(["javac", "-d", str(classes), "-cp", str(lib / "*"), str(HERE / "KgNeo4jServer.java")],
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise ServerError("javac failed:\n" + p.stderr[-2000:])

    # -- run -----------------------------------------------------------------------
    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except OSError:
            return None
        return pid

    def port_open(self) -> bool:
        with socket.socket() as s:
            s.settimeout(0.5)
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def running(self) -> bool:
        return self.pid() is not None and self.port_open()

    def start(self, timeout: float = 180, heap: str = "1g") -> str:
        if self.running():
            return self.uri
        if self.pid() is None and self.port_open():
            raise ServerError(f"port {self.port} is taken by another program; set NEO4J_URI=bolt://127.0.0.1:PORT")
        self.install()
        self.home.mkdir(parents=True, exist_ok=True)
        cp = os.pathsep.join([str(self.cache / "classes"), str(self.cache / "lib" / "*")])
        with open(self.log_file, "ab") as log:
            proc = subprocess.Popen(["java", f"-Xmx{heap}", "-cp", cp, "KgNeo4jServer", str(self.home), str(self.port)],
                                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        self.pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise ServerError(f"Neo4j exited with status {proc.returncode}; see {self.log_file}:\n"
                                  + self.log_file.read_text(errors="replace")[-1500:])
            if self.port_open():
                return self.uri
            time.sleep(0.5)
        raise ServerError(f"Neo4j did not open port {self.port} within {timeout:.0f}s; see {self.log_file}")

    def stop(self, timeout: float = 60) -> bool:
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except OSError:
                break
            time.sleep(0.3)
        else:
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True
