"""deploy/ (docs/operations.md): the nginx, systemd and Patroni files an operator installs are checked by
the tools that read them, and nginx is run with its file on loopback ports in front of real qingdan
servers.

On SQLite (tests/run's first pass):
  - nginx -t on deploy/nginx/qingdan.conf, included in a minimal nginx.conf in a temporary prefix (a
    self-signed certificate in place of /etc/ssl/qingdan/…; nothing else changed);
  - systemd-analyze verify on deploy/systemd/qingdan.service (ExecStart pointed at the built binary),
    and systemd-analyze security --offline: its exposure level at most 2.0;
  - patroni --validate-config on deploy/patroni/db1.yml and db2.yml — on copies whose 10.0.0.N
    addresses are 127.0.0.N and whose ports are free ones: Patroni's validator *connects* to every
    address it reads (a listen address must be free, an etcd host must answer), so the copies name
    only this machine, the etcd hosts are sockets this test listens on, and data_dir an empty
    temporary directory;
  - nginx with the file (listen addresses, upstream servers and certificate paths rewritten to
    127.0.0.1 and the temporary prefix, and checked to name no other address) in front of one
    qingdan server and one upstream port where nothing listens: TLS 1.2 and 1.3 but not 1.1,
    HTTP/2, the redirect from HTTP, every request answered by the live server (passive health
    check), the body limit, limit_req on /api/v1/login and on the API.
On PostgreSQL (QD_TEST_BACKEND=pg, the second pass): the same nginx in front of two qingdan servers
on one database — a session made through one is good on both, requests reach both, and when one
stops every request is still answered (by the other).

Bounded: every subprocess and request has a timeout; nginx and the servers are stopped at exit."""
import atexit
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import http.client

import qd

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DEPLOY = os.path.join(ROOT, "deploy")
NGINX_CONF = os.path.join(DEPLOY, "nginx", "qingdan.conf")
UNIT = os.path.join(DEPLOY, "systemd", "qingdan.service")
PATRONI = [os.path.join(DEPLOY, "patroni", f"db{i}.yml") for i in (1, 2)]
BIN = os.path.abspath(qd.BIN)

tmp = tempfile.mkdtemp(prefix="qd-deploy-")
atexit.register(shutil.rmtree, tmp, True)
os.chmod(tmp, 0o755)  # nginx's workers (nobody) enter it


def sh(args, timeout=60, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kw)


def free_port(host="127.0.0.1"):
    s = socket.socket()
    s.bind((host, 0))
    p = s.getsockname()[1]
    s.close()
    return p


def names_only_loopback(text):
    """Every address:port the text names is on 127.0.0.0/8 (no traffic to any other address)."""
    others = [m.group(0) for m in re.finditer(r"\b(\d{1,3}(?:\.\d{1,3}){3}):\d+", text) if not m.group(1).startswith("127.")]
    return others


# --- a self-signed certificate for nginx ----------------------------------------------------------
cert, key = os.path.join(tmp, "fullchain.pem"), os.path.join(tmp, "privkey.pem")
r = sh(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
        "-subj", "/CN=qingdan.example.gov.cn", "-addext", "subjectAltName=DNS:qingdan.example.gov.cn,IP:127.0.0.1",
        "-keyout", key, "-out", cert])
if r.returncode != 0:
    qd.ok(False, "openssl makes a self-signed certificate for the nginx checks", r.stderr)
    qd.done()

deploy_conf = open(NGINX_CONF, encoding="utf-8").read()
with_cert = (deploy_conf.replace("/etc/ssl/qingdan/fullchain.pem", cert)
             .replace("/etc/ssl/qingdan/privkey.pem", key))


def nginx_prefix(name, conf_text):
    """A prefix directory with the site file and a minimal nginx.conf including it, as Debian's does."""
    p = os.path.join(tmp, name)
    os.makedirs(os.path.join(p, "logs"))
    os.chmod(p, 0o755)
    site = os.path.join(p, "qingdan.conf")
    with open(site, "w", encoding="utf-8") as f:
        f.write(conf_text)
    main = os.path.join(p, "nginx.conf")
    with open(main, "w") as f:
        f.write(f"""worker_processes 2;
pid {p}/nginx.pid;
error_log {p}/logs/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log {p}/logs/access.log;
    client_body_temp_path {p}/body;
    proxy_temp_path {p}/proxy;
    fastcgi_temp_path {p}/fastcgi;
    uwsgi_temp_path {p}/uwsgi;
    scgi_temp_path {p}/scgi;
    include {site};
}}
""")
    return p, main


def check_static():
    # nginx -t: the file as shipped (only the certificate's paths differ)
    p, main = nginx_prefix("nginx-t", with_cert)
    r = sh(["nginx", "-t", "-q", "-p", p, "-c", main, "-e", os.path.join(p, "logs", "error.log")])
    qd.ok(r.returncode == 0, "nginx -t accepts deploy/nginx/qingdan.conf (in an http block, as Debian's nginx.conf includes conf.d)",
          r.stderr + r.stdout)

    # systemd-analyze verify and security
    unit_dir = os.path.join(tmp, "systemd")
    os.makedirs(unit_dir)
    unit = os.path.join(unit_dir, "qingdan.service")
    text = open(UNIT).read()
    qd.ok("/usr/local/bin/qingdan serve" in text, "the unit runs /usr/local/bin/qingdan serve")
    with open(unit, "w") as f:
        f.write(text.replace("/usr/local/bin/qingdan", BIN))
    if shutil.which("systemd-analyze"):
        r = sh(["systemd-analyze", "verify", unit])
        qd.ok(r.returncode == 0 and not r.stderr.strip(), "systemd-analyze verify deploy/systemd/qingdan.service: no complaint",
              r.stderr + r.stdout)
        r = sh(["systemd-analyze", "security", "--offline=yes", "--no-pager", unit])
        m = re.search(r"Overall exposure level for \S+: ([0-9.]+)", r.stdout)
        level = float(m.group(1)) if m else None
        print(f"# systemd-analyze security: exposure {level}", flush=True)
        qd.ok(level is not None and level <= 2.0, f"systemd-analyze security rates the unit's exposure at most 2.0 ({level})",
              r.stdout[-3000:] + r.stderr)
    else:
        qd.skip("systemd-analyze verify deploy/systemd/qingdan.service", "no systemd-analyze on this machine")
        qd.skip("systemd-analyze security on the unit", "no systemd-analyze on this machine")
    for word in ("User=qingdan", "ProtectSystem=strict", "ReadWritePaths=/var/lib/qingdan", "NoNewPrivileges=yes",
                 "Restart=on-failure", "LoadCredential=personal-data.key:", "--key %d/personal-data.key"):
        qd.ok(word in text, f"the unit has {word}")

    # patroni --validate-config on loopback copies of db1.yml and db2.yml
    if not shutil.which("patroni"):  # what scripts/pg-ha-local installs (install-deps starts no service)
        r = sh([os.path.join(ROOT, "scripts", "install-deps"), "patroni", "etcd-server", "etcd-client", "python3-psycopg2"],
               timeout=600)
        if not shutil.which("patroni"):
            qd.ok(False, "patroni installs (scripts/install-deps patroni …) for --validate-config", r.stdout[-2000:] + r.stderr[-2000:])
            return
    r = sh(["patroni", "--help"])
    if "--validate-config" not in r.stdout:
        qd.skip("patroni --validate-config on deploy/patroni/*.yml", "this patroni has no --validate-config")
        return
    etcd_socks = []
    ports = {}
    for n in (11, 12, 13):  # the etcd hosts must answer: a socket listening on each, for the validator's connect
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((f"127.0.0.{n}", 0))
        s.listen(8)
        etcd_socks.append(s)
        ports[n] = s.getsockname()[1]
    for path in PATRONI:
        text = open(path, encoding="utf-8").read()
        data_dir = tempfile.mkdtemp(dir=tmp)
        pg_port, rest_port = free_port(), free_port()
        t = text.replace("/var/lib/postgresql/15/main", data_dir).replace("/var/lib/postgresql/15-main.pgpass",
                                                                           os.path.join(data_dir, "pgpass"))
        for n in (11, 12, 13):
            t = t.replace(f"10.0.0.{n}:2379", f"127.0.0.{n}:{ports[n]}")
        t = re.sub(r"\b10\.0\.0\.(\d+):8008", rf"127.0.0.\1:{rest_port}", t)
        t = re.sub(r"\b10\.0\.0\.(\d+):5432", rf"127.0.0.\1:{pg_port}", t)
        t = re.sub(r"\b10\.0\.0\.(\d+),127\.0\.0\.1:5432", rf"127.0.0.\1,127.0.0.1:{pg_port}", t)
        t = re.sub(r"\b10\.0\.0\.(\d+)", r"127.0.0.\1", t)  # pg_hba entries and anything else: never a foreign address
        name = os.path.basename(path)
        others = names_only_loopback(t) + [x for x in re.findall(r"\b\d+\.\d+\.\d+\.\d+", t)
                                           if not x.startswith("127.") and x != "0.0.0.0"]
        qd.ok(not others, f"the validator's copy of {name} names only loopback addresses", others)
        if others:
            continue
        copy = os.path.join(tmp, name)
        with open(copy, "w") as f:
            f.write(t)
        env = {**os.environ, "PATRONI_SUPERUSER_PASSWORD": "x", "PATRONI_REPLICATION_PASSWORD": "y",
               "PATRONI_REWIND_PASSWORD": "z"}
        r = sh(["patroni", "--validate-config", copy], env=env)
        qd.ok(r.returncode == 0 and not (r.stdout + r.stderr).strip(),
              f"patroni --validate-config deploy/patroni/{name} (passwords from env.conf's variables): no complaint",
              r.stdout + r.stderr)
        import yaml
        d = yaml.safe_load(text)
        dcs = d["bootstrap"]["dcs"]
        params = dcs["postgresql"]["parameters"]
        qd.ok(dcs.get("synchronous_mode") is True and all(params.get(k) == "on" for k in ("fsync", "full_page_writes",
                                                                                           "synchronous_commit")),
              f"{name}: synchronous_mode, and fsync, full_page_writes, synchronous_commit on (qingdan refuses a server without)")
        qd.ok(d["etcd"]["hosts"].count(":2379") == 3, f"{name}: three etcd members")
    for s in etcd_socks:
        s.close()


# --- nginx in front of qingdan on loopback --------------------------------------------------------
class Nginx:
    def __init__(self, upstreams):
        self.https, self.http = free_port(), free_port()
        t = with_cert
        t = t.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{self.https} ssl http2;")
        t = t.replace("listen [::]:443 ssl http2;\n", "").replace("listen [::]:80;\n", "")
        t = t.replace("listen 80;", f"listen 127.0.0.1:{self.http};")
        t = t.replace("server 10.0.0.21:8080", f"server 127.0.0.1:{upstreams[0]}")
        t = t.replace("server 10.0.0.22:8080", f"server 127.0.0.1:{upstreams[1]}")
        live = re.sub(r"#.*", "", t)  # the directives, without the comments
        self.others = names_only_loopback(live) + re.findall(r"listen (?!127\.0\.0\.1:)\S+", live)
        self.conf = t
        self.proc = None
        if self.others:
            return
        self.prefix, main = nginx_prefix(f"nginx-live-{self.https}", t)
        self.proc = subprocess.Popen(["nginx", "-p", self.prefix, "-c", main, "-e", os.path.join(self.prefix, "logs", "error.log"),
                                      "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        atexit.register(self.stop)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.https), timeout=1).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()

    def up(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def error_log(self):
        try:
            return open(os.path.join(self.prefix, "logs", "error.log")).read()[-3000:]
        except (OSError, AttributeError):
            return ""


_ctx = ssl.create_default_context(cafile=cert)
_ctx.check_hostname = False  # the certificate names qingdan.example.gov.cn; we dial 127.0.0.1


class Client:
    """HTTPS over one keep-alive connection to nginx (HTTP/1.1: python's http.client)."""

    def __init__(self, ngx):
        self.ngx = ngx
        self.conn = None
        self.cookie = None
        self.csrf = None

    def request(self, method, path, body=None, raw=None):
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPSConnection("127.0.0.1", self.ngx.https, context=_ctx, timeout=15)
            h = {"Host": "qingdan.example.gov.cn"}
            if self.cookie:
                h["Cookie"] = f"qd_session={self.cookie}"
                if method != "GET":
                    h["X-CSRF-Token"] = self.csrf
            data = raw if raw is not None else (json.dumps(body, ensure_ascii=False).encode() if body is not None else None)
            if data is not None:
                h["Content-Type"] = "application/json"
            try:
                self.conn.request(method, path, body=data, headers=h)
                resp = self.conn.getresponse()
                text = resp.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            if resp.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            try:
                parsed = json.loads(text) if text else None
            except ValueError:
                parsed = None
            return resp.status, parsed

    def login(self, user):
        st, b = self.request("POST", "/api/v1/login", {"username": user, "password": qd.PASSWORD})
        if st == 200:
            self.cookie = b["token"]
            self.csrf = b["csrf"]
        return st


def curl(ngx, *args):
    return sh(["curl", "-s", "-o", "/dev/null", "--cacert", cert, "--resolve", f"qingdan.example.gov.cn:{ngx.https}:127.0.0.1",
               "-m", "10", *args], timeout=20)


def requests_2xx(srv):
    """The 2xx answers a qingdan server counted (its own /metrics, asked directly)."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    conn.request("GET", "/metrics")
    text = conn.getresponse().read().decode()
    conn.close()
    m = re.search(r'qingdan_http_requests_total\{class="2xx"\} (\d+)', text)
    return int(m.group(1)) if m else -1


def check_live(servers, dead_port=None):
    ups = [s.port for s in servers] + ([dead_port] if dead_port else [])
    ngx = Nginx(ups[:2])
    qd.ok(not ngx.others, "the live copy of qingdan.conf names only 127.0.0.1", ngx.others)
    qd.ok(ngx.up(), "nginx runs deploy/nginx/qingdan.conf on loopback ports", ngx.error_log())
    if not ngx.up():
        return
    url = f"https://qingdan.example.gov.cn:{ngx.https}"
    if dead_port is not None:
        # TLS and HTTP/2 (the same on either backend: checked once)
        r = curl(ngx, "--http2", "-w", "%{http_version} %{http_code}", f"{url}/healthz")
        qd.ok(r.stdout.strip() == "2 200", f"GET /healthz through nginx over HTTP/2 and TLS: 200 ({r.stdout.strip()})", r.stderr)
        r = curl(ngx, "--tlsv1.3", "-w", "%{http_code}", f"{url}/healthz")
        qd.ok(r.stdout.strip() == "200", "TLS 1.3 is accepted", r.stdout + r.stderr)
        r = curl(ngx, "--tlsv1.2", "--tls-max", "1.2", "-w", "%{http_code}", f"{url}/healthz")
        qd.ok(r.stdout.strip() == "200", "TLS 1.2 is accepted", r.stdout + r.stderr)
        r = curl(ngx, "--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT@SECLEVEL=0", "-w", "%{http_code}", f"{url}/healthz")
        qd.ok(r.returncode != 0 and r.stdout.strip() in ("", "000"), f"TLS 1.1 is refused (curl exit {r.returncode})", r.stdout)
        r = curl(ngx, "--tlsv1.2", "--tls-max", "1.2", "--ciphers", "AES128-SHA256", "-w", "%{http_code}", f"{url}/healthz")
        qd.ok(r.returncode != 0, f"a cipher without forward secrecy (AES128-SHA256) is refused (curl exit {r.returncode})", r.stdout)
        r = sh(["curl", "-s", "-o", "/dev/null", "-m", "10", "-w", "%{http_code} %{redirect_url}",
                "-H", "Host: qingdan.example.gov.cn", f"http://127.0.0.1:{ngx.http}/api/v1/me"], timeout=20)
        qd.ok(r.stdout.strip() == "301 https://qingdan.example.gov.cn/api/v1/me", f"HTTP redirects to HTTPS ({r.stdout.strip()})")
        r = curl(ngx, "-D", "-", f"{url}/healthz")
        qd.ok("strict-transport-security: max-age=63072000" in r.stdout.lower(), "HTTPS answers carry Strict-Transport-Security",
              r.stdout)

    c = Client(ngx)
    before = [requests_2xx(s) for s in servers]
    st = c.login("dispatch")
    qd.ok(st == 200, f"login through nginx ({st})")
    sts = [c.request("GET", "/api/v1/me")[0] for _ in range(20)]
    qd.ok(sts == [200] * 20, "20 requests with that session through nginx: all 200", sts)
    after = [requests_2xx(s) for s in servers]
    spread = [a - b for a, b in zip(after, before)]
    if len(servers) == 2:
        qd.ok(all(n >= 3 for n in spread), f"the requests reached both servers ({spread}): the session, in the database, is good on both",
              spread)
    else:
        qd.ok(spread[0] >= 21, f"with the second upstream dead, every request was answered by the live one ({spread[0]} of 21)",
              spread)

    big = json.dumps({"unit_id": 1, "description": "大" * 40000}).encode()
    st, _ = c.request("POST", "/api/v1/problems", raw=big)
    qd.ok(st == 413, f"a 120 KB body is refused by nginx: 413 ({st})")
    c.conn = None

    if len(servers) == 2:
        time.sleep(2.5)  # refill the API burst
        servers[1].stop()
        sts = []
        for _ in range(20):
            sts.append(c.request("GET", "/api/v1/me")[0])
            time.sleep(0.06)
        qd.ok(sts == [200] * 20, "one server stopped: every request still answered 200 by the other (passive health check)", sts)
        servers[1].start()
        return

    # limits (on SQLite only: the same file either way)
    time.sleep(2.5)
    lc = Client(ngx)
    # (a new name each time: qingdan's own back-off of a name, after 3 failures, is not nginx's limit)
    sts = [lc.request("POST", "/api/v1/login", {"username": f"nobody-here-{i}", "password": "x"})[0] for i in range(12)]
    # the bucket holds 1 + burst 5 at 10/minute; the dispatcher's login above took one of them
    qd.ok(sts[:5] == [401] * 5 and sts.count(401) <= 6 and sts[-1] == 429 and set(sts) <= {401, 429},
          f"limit_req on /api/v1/login: 5 or 6 tries answered (burst 5), then 429 ({sts})", sts)
    time.sleep(2.5)
    sts = [c.request("GET", "/healthz")[0] for _ in range(120)]
    qd.ok(sts[:40] == [200] * 40 and sts.count(429) > 0 and set(sts) <= {200, 429},
          f"limit_req on the API: a burst of 40 passes, then 429 ({sts.count(200)} × 200, {sts.count(429)} × 429 of 120)", sts)


def main():
    if qd.BACKEND == "pg":
        a = qd.Server.demo()
        b = qd.Server(a.db, key=a.key)
        check_live([a, b])
        return
    check_static()
    srv = qd.Server.demo()
    check_live([srv], dead_port=free_port())


try:
    main()
except Exception as ex:
    qd.ok(False, f"the deploy checks ran to their end ({type(ex).__name__}: {ex})")
qd.done()
