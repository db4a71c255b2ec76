"""The local Neo4j server (`kg neo4j start`) is the user's alone: a password only the user can
read, no reach into files or the network, no configuration procedures, no root by accident,
and `kg neo4j stop` signals nothing but its own server. Against a real server."""
import base64
import http.server
import os
import socket
import stat
import struct
import subprocess
import sys
import threading

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ClientError

from conftest import run_kg
from kg.server import LocalServer


@pytest.fixture
def server(neo4j_server):
    return LocalServer.from_env()


@pytest.fixture
def owner(server):
    driver = GraphDatabase.driver(server.uri, auth=("neo4j", server.password()))
    yield driver
    driver.close()


def _refused(driver, query):
    with pytest.raises(ClientError) as e:
        with driver.session() as s:
            s.run(query).consume()
    return str(e.value)


def test_password_file_is_the_users_alone(server):
    pw = server.password()
    assert pw and len(pw) >= 24
    assert stat.S_IMODE(server.password_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(server.home.stat().st_mode) == 0o700
    assert str(server.password_file) in run_kg("neo4j", "status").stdout
    # the password never appears on the server's command line, which every user can read
    cmdline = open(f"/proc/{server.pid()}/cmdline", "rb").read().decode()
    assert pw not in cmdline


@pytest.mark.parametrize("auth", [None, ("neo4j", "neo4j"), ("neo4j", "wrong-password")])
def test_connecting_without_the_password_is_refused(server, auth):
    driver = GraphDatabase.driver(server.uri, auth=auth)
    try:
        with pytest.raises(AuthError):
            with driver.session() as s:
                s.run("CREATE (:Intruder)").consume()
    finally:
        driver.close()
    with GraphDatabase.driver(server.uri, auth=("neo4j", server.password())) as d, d.session() as s:
        assert s.run("MATCH (n:Intruder) RETURN count(n) AS c").single()["c"] == 0


def test_kg_finds_the_password_by_itself(server, monkeypatch):
    from kg.store.neo4j_store import Neo4jConfig, Neo4jStore
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    assert Neo4jConfig.from_env().password == server.password()
    with Neo4jStore() as store:
        assert store.stats()["documents"] >= 0


@pytest.mark.parametrize("url", ["file:///etc/passwd", "file:///../../../etc/passwd", "file:///password",
                                 "file:///{home}/password"])
def test_load_csv_reads_no_file(owner, server, url):
    msg = _refused(owner, f"LOAD CSV FROM '{url.format(home=server.home)}' AS row RETURN row LIMIT 1")
    assert "allow_csv_import_from_file_urls" in msg


def test_load_csv_fetches_no_url(owner):
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"a,b\n")

        def log_message(self, *a):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        for url in (f"http://127.0.0.1:{httpd.server_port}/x.csv", f"http://localhost:{httpd.server_port}/x.csv"):
            assert "blocked" in _refused(owner, f"LOAD CSV FROM '{url}' AS row RETURN row")
    finally:
        httpd.shutdown()
    assert hits == []


@pytest.mark.parametrize("query", ["CALL dbms.listConfig()", "CALL `dbms`.`listConfig`()", "CALL dbms.listConnections()",
                                   "CALL dbms.info()", "CALL dbms.showCurrentUser()"])
def test_configuration_procedures_are_gone(owner, query):
    assert "ProcedureNotFound" in _refused(owner, query) or "no procedure" in _refused(owner, query)


def test_db_procedures_stay(owner):
    with owner.session() as s:
        s.run("CALL db.awaitIndexes(10)").consume()
        assert s.run("CALL db.labels() YIELD label RETURN count(*) AS c").single()["c"] >= 0


# -- the browser attack: a page of another origin opens a WebSocket to the Bolt port ----------

def _ws_frame(payload: bytes) -> bytes:
    mask = os.urandom(4)
    head = bytes([0x82]) + (bytes([0x80 | len(payload)]) if len(payload) < 126
                            else bytes([0x80 | 126]) + struct.pack(">H", len(payload)))
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def _ws_read(sock) -> bytes:
    def exact(n):
        buf = b""
        while len(buf) < n:
            chunk = sock.recv(n - len(buf))
            if not chunk:
                raise ConnectionError("closed")
            buf += chunk
        return buf
    b0, b1 = exact(2)
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack(">H", exact(2))[0]
    elif n == 127:
        n = struct.unpack(">Q", exact(8))[0]
    data = exact(n)
    if b0 & 0x0F == 0x8:
        raise ConnectionError("closed")
    return data


def _ps_str(s: str) -> bytes:
    b = s.encode()
    return (bytes([0x80 | len(b)]) if len(b) < 16 else bytes([0xD0, len(b)])) + b


def _hello(fields: dict) -> bytes:
    body = bytes([0xB1, 0x01, 0xA0 | len(fields)]) + b"".join(_ps_str(k) + _ps_str(v) for k, v in fields.items())
    return struct.pack(">H", len(body)) + body + b"\x00\x00"


def _web_page_hello(port: int, fields: dict) -> int:
    """What a script on http://evil.example can do: a WebSocket to 127.0.0.1:PORT, Bolt 4.4, HELLO.
    Returns the tag of the server's answer (0x70 SUCCESS, 0x7F FAILURE)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall((f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: http://evil.example\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(1)
        assert head.startswith(b"HTTP/1.1 101"), head
        sock.sendall(_ws_frame(b"\x60\x60\xb0\x17" + b"\x00\x00\x04\x04" + b"\x00" * 12))
        assert _ws_read(sock) == b"\x00\x00\x04\x04"
        sock.sendall(_ws_frame(_hello({"user_agent": "evil/1.0", **fields})))
        try:
            reply = _ws_read(sock)
        except ConnectionError:
            return 0x7F
        return reply[3]


def test_a_web_page_cannot_use_the_bolt_port(server):
    assert _web_page_hello(server.port, {"scheme": "none"}) == 0x7F
    assert _web_page_hello(server.port, {"scheme": "basic", "principal": "neo4j", "credentials": "neo4j"}) == 0x7F
    # the same exchange with the password is accepted: the probe itself works
    assert _web_page_hello(server.port, {"scheme": "basic", "principal": "neo4j",
                                         "credentials": server.password()}) == 0x70


# -- root, and a pid file that lies ------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root is refused")
def test_root_is_refused_unless_asked(tmp_path):
    env = {"KG_NEO4J_HOME": str(tmp_path / "home"), "NEO4J_URI": "bolt://127.0.0.1:1", "KG_NEO4J_ALLOW_ROOT": ""}
    p = run_kg("neo4j", "start", env=env)
    assert p.returncode == 2 and "refusing to run Neo4j as root" in p.stderr and "--allow-root" in p.stderr
    assert "Traceback" not in p.stderr
    assert not (tmp_path / "home" / "password").exists()


def test_stop_leaves_a_process_that_is_not_its_server_alone(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        (home / "server.pid").write_text(str(bystander.pid))
        env = {"KG_NEO4J_HOME": str(home), "NEO4J_URI": "bolt://127.0.0.1:1"}
        p = run_kg("neo4j", "stop", env=env)
        assert p.returncode == 0 and "not running" in p.stdout
        assert bystander.poll() is None            # still alive
        assert not (home / "server.pid").exists()
        assert run_kg("neo4j", "status", env=env).returncode == 1     # not running: exit 1 (README, "The command line")
    finally:
        bystander.kill()
        bystander.wait()


def test_a_wrong_password_is_one_line(server):
    p = run_kg("stats", "--neo4j", env={"NEO4J_PASSWORD": "wrong-password"})
    assert p.returncode == 2 and "refused the credentials" in p.stderr and "Traceback" not in p.stderr
    assert run_kg("stats", "--neo4j").returncode == 0        # unset: the password file is used
