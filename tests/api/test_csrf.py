"""CSRF (issue 10 point 1): a request other than GET that carries the session cookie must send its
session's token (X-CSRF-Token, or a page form's csrf field), else 403 naming csrf and nothing
changes; another session's token is refused; a bearer token needs none; a cross-site form POST
(Origin evil.example, a form body, the victim's cookie, no token) is refused.  The Cookie header is
read strictly: a second qd_session (planted for a parent domain), a second Cookie header or a
header off RFC 6265's grammar answers 400 naming Cookie.

Page routes: part `pages` adds them (POST /login …); until it has merged there is none, and the
dispatcher's form path is tested here through an API route reached with a form body (the cookie's
CSRF check comes before the body is read), and POST /login — when the table has it — for the page
rule (a token is needed even without a session).  Login CSRF by cookie tossing: a qd_pre the
attacker chose, with a token computed without the server's key (the plain hash of the former
scheme, a MAC under another key), is refused on POST /login; computed with the key derived from
DB.key as web/csrf.h documents, it is accepted."""
import hashlib, http.client, json, re, secrets, struct, urllib.parse
import qd

srv = qd.Server.demo()
st, b, h = srv.session().request("POST", "/api/v1/login", {"username": "grid", "password": qd.PASSWORD})
qd.ok(st == 200 and re.fullmatch(r"[0-9a-f]{32}", b.get("csrf", "")), "the login answer carries the session's csrf token",
      (st, b))
grid = qd.Session(srv, cookie=b["token"], csrf=b["csrf"])
st, me = grid.get("/api/v1/me")
qd.ok(st == 200 and me.get("csrf") == grid.csrf, "GET /me answers the same token", (st, me))
other = srv.login("dispatch")
qd.ok(other.csrf != grid.csrf, "another session has another token", (other.csrf, grid.csrf))


def tokens(s):
    st, lst = s.get("/api/v1/tokens")
    return [t["label"] for t in lst["items"]] if st == 200 else None


def cookie_post(path, body, csrf=None, extra=None):
    """POST with grid's cookie, and X-CSRF-Token csrf when given."""
    h = {"X-CSRF-Token": csrf} if csrf is not None else {}
    h.update(extra or {})
    return qd.Session(srv, cookie=grid.cookie).request("POST", path, body, headers=h)


before = tokens(grid)
st, b, _ = cookie_post("/api/v1/tokens", {"label": "无令牌"})
qd.ok(st == 403 and b["field"] == "csrf" and b["code"] == "forbidden" and b["message_en"] and b["message_zh"],
      "a cookie-session JSON POST without X-CSRF-Token answers 403 naming csrf", (st, b))
qd.ok(tokens(grid) == before, "… and no token was created (read back)", tokens(grid))
st, b, _ = cookie_post("/api/v1/tokens", {"label": "别人的令牌"}, csrf=other.csrf)
qd.ok(st == 403 and b["field"] == "csrf", "with the token of another session: 403", (st, b))
for bad in ["", "x", grid.csrf.upper(), grid.csrf[:-1], grid.csrf + "0", grid.csrf[:-1] + ("0" if grid.csrf[-1] != "0" else "1")]:
    st, b, _ = cookie_post("/api/v1/tokens", {"label": "坏令牌"}, csrf=bad)
    qd.ok(st == 403 and b["field"] == "csrf", f"with a wrong token {bad!r}: 403", (st, b))
qd.ok(tokens(grid) == before, "… and still nothing was created", tokens(grid))
st, b, _ = cookie_post("/api/v1/tokens", {"label": "对的令牌"}, csrf=grid.csrf)
qd.ok(st == 201, "with the session's own token: 201", (st, b))
qd.ok(tokens(grid) == ["对的令牌"] + before, "… and the token is there", tokens(grid))

# a bearer token carries no cookie: no CSRF token needed
bearer = qd.Session(srv, token=grid.cookie)
st, b = bearer.post("/api/v1/tokens", {"label": "持有者"})
qd.ok(st == 201, "the session token as a bearer token needs no CSRF token", (st, b))
st, me = bearer.get("/api/v1/me")
qd.ok(st == 200 and me.get("csrf") == grid.csrf, "GET /me by bearer answers the token of that credential", (st, me))

# logout is a write too
st, b, _ = cookie_post("/api/v1/logout", None)
qd.ok(st == 403 and b["field"] == "csrf", "logout with the cookie but no token: 403", (st, b))
qd.ok(grid.get("/api/v1/me")[0] == 200, "… and the session still works", None)

# cross-site form simulation: a page on evil.example posts a form to us with the victim's cookie
conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
conn.request("POST", "/api/v1/tokens", body=b"label=evil&days=366",
             headers={"Cookie": f"qd_session={grid.cookie}", "Origin": "http://evil.example",
                      "Content-Type": "application/x-www-form-urlencoded"})
r = conn.getresponse()
rb = json.loads(r.read() or b"null")
conn.close()
qd.ok(r.status == 403 and rb["field"] == "csrf", "a cross-site form POST (Origin evil.example, no token) answers 403 csrf",
      (r.status, rb))
qd.ok("evil" not in tokens(grid), "… and created nothing", tokens(grid))

# a token of an ended session is void: log in again, the old token is refused
st, b = grid.post("/api/v1/logout")
qd.ok(st == 200, "logout with the token", (st, b))
again = srv.login("grid")
st, b, _ = qd.Session(srv, cookie=again.cookie).request("POST", "/api/v1/tokens", {"label": "旧令牌"},
                                                        headers={"X-CSRF-Token": grid.csrf})
qd.ok(st == 403 and b["field"] == "csrf", "the token of an earlier session is refused for a new one", (st, b))

# a stale cookie on the public login route is ignored, and needs no token
st, b, _ = qd.Session(srv, cookie=grid.cookie).request("POST", "/api/v1/login",
                                                      {"username": "grid", "password": qd.PASSWORD})
qd.ok(st == 200, "login with a stale cookie and no token: 200 (the cookie is ignored there)", (st, b))

# the Cookie header, strictly
def with_cookie(value, path="/api/v1/me", headers=None):
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    c.putrequest("GET", path)
    for v in value if isinstance(value, list) else [value]:
        c.putheader("Cookie", v)
    c.endheaders()
    resp = c.getresponse()
    body = json.loads(resp.read() or b"null")
    c.close()
    return resp.status, body


st, b = with_cookie(f"theme=dark; qd_session={again.cookie}; qd_lang=en")
qd.ok(st == 200, "our cookie among others is read", (st, b))
st, b = with_cookie(f"qd_session={again.cookie}; qd_session=planted")
qd.ok(st == 400 and b["field"] == "Cookie", "a second qd_session (planted for a parent domain) answers 400 naming Cookie", (st, b))
st, b = with_cookie(f"qd_session=planted; qd_session={again.cookie}")
qd.ok(st == 400 and b["field"] == "Cookie", "… whichever comes first", (st, b))
st, b = with_cookie(f"qd_session={again.cookie};qd_lang=en")
qd.ok(st == 400 and b["field"] == "Cookie", "pairs not separated by '; ' answer 400 naming Cookie", (st, b))
st, b = with_cookie([f"qd_session={again.cookie}", "qd_lang=en"])
qd.ok(st == 400 and b["field"] == "Cookie", "two Cookie headers answer 400 naming Cookie", (st, b))
st, b = with_cookie("qd_session=" + "a" * 300)
qd.ok(st == 400 and b["field"] == "Cookie", "a qd_session longer than any token answers 400 (never cut)", (st, b))
st, b = with_cookie("qd_pre=x y")
qd.ok(st == 400 and b["field"] == "Cookie", "a space in a value answers 400", (st, b))

# page routes (part pages): POST /login needs a token even before login
st, routes = again.get("/api/v1/routes")
page_login = st == 200 and any(r["method"] == "POST" and r["path"] == "/login" for r in routes["items"])
if page_login:
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    conn.request("POST", "/login", body=b"username=grid&password=" + qd.PASSWORD.encode(),
                 headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"})
    r = conn.getresponse()
    r.read()
    conn.close()
    qd.ok(r.status == 403 and "qd_session=" not in (r.getheader("Set-Cookie") or ""),
          "a page POST /login without the csrf field answers 403 and logs nobody in", r.status)
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    conn.request("POST", "/login", body=b"username=grid&password=" + qd.PASSWORD.encode() + b"&csrf=" + b"0" * 32,
                 headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": "qd_pre=" + "1" * 32})
    r = conn.getresponse()
    r.read()
    conn.close()
    qd.ok(r.status == 403, "… and with a csrf field that is not the qd_pre cookie's: 403", r.status)

    # Login CSRF by cookie tossing: an attacker who can set qd_pre for the site (a sibling
    # subdomain) chooses its value; the token is a MAC keyed by a subkey of the server's DB.key
    # (web/csrf.h), so a token computed without the key is refused.
    LABEL_PRE, LABEL_SESSION = "qingdan csrf pre-session\n", "qingdan csrf session\n"

    def unkeyed(label, value):  # the former scheme: a plain hash of the cookie
        return hashlib.blake2b((label + value).encode(), digest_size=16).hexdigest()

    def keyed(key, label, value):
        return hashlib.blake2b((label + value).encode(), key=key, digest_size=16).hexdigest()

    def login_with(pre, token):
        c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
        c.request("POST", "/login", body=urllib.parse.urlencode(
            {"username": "grid", "password": qd.PASSWORD, "csrf": token}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": "qd_pre=" + pre})
        resp = c.getresponse()
        resp.read()
        c.close()
        cookies = [v for k, v in resp.getheaders() if k.lower() == "set-cookie"]
        return resp.status, any(v.startswith("qd_session=") for v in cookies)

    chosen = secrets.token_hex(16)  # the tossed cookie's value, chosen by the attacker
    for what, tok in (("the plain hash of the cookie (the former scheme)", unkeyed(LABEL_PRE, chosen)),
                      ("a MAC under another key (zeros)", keyed(bytes(32), LABEL_PRE, chosen)),
                      ("the session kind's plain hash", unkeyed(LABEL_SESSION, chosen))):
        st, logged = login_with(chosen, tok)
        qd.ok(st == 403 and not logged, f"a tossed qd_pre with {what} as the token: POST /login 403, nobody logged in",
              (st, logged))
    # the scheme is what csrf.h says: with the key (crypto_kdf subkey 1, context qdcsrf__, of DB.key)
    # the same chosen value's token is accepted — so the refusals above are the key's doing
    with open(srv.key or srv.db + ".key", "rb") as f:
        master = f.read()
    sub = hashlib.blake2b(b"", key=master, salt=struct.pack("<Q", 1) + bytes(8), person=b"qdcsrf__" + bytes(8),
                          digest_size=32).digest()
    st, logged = login_with(chosen, keyed(sub, LABEL_PRE, chosen))
    qd.ok(st == 303 and logged, "… the token computed with the server's key is accepted (the documented scheme)",
          (st, logged))
    # session tokens are keyed the same way and work as before
    s2 = srv.login("grid")
    qd.ok(s2.csrf == keyed(sub, LABEL_SESSION, s2.cookie) and s2.csrf != unkeyed(LABEL_SESSION, s2.cookie),
          "the session's token is the keyed MAC of its cookie, not its plain hash", (s2.csrf,))
    st, b, _ = qd.Session(srv, cookie=s2.cookie).request("POST", "/api/v1/tokens", {"label": "明文散列"},
                                                       headers={"X-CSRF-Token": unkeyed(LABEL_SESSION, s2.cookie)})
    qd.ok(st == 403 and b["field"] == "csrf", "a session cookie's plain hash as X-CSRF-Token: 403", (st, b))
else:
    qd.skip("a page POST /login without the csrf field answers 403", "no page route POST /login yet (part pages)")

qd.done()
