"""Pages over plain HTTP (no browser: tests/e2e drives Chromium): every page answers HTML with the
strict Content-Security-Policy and the page headers, and no inline script or style; the landing
page shows the login form; an unknown path outside /api/ is an HTML 404 while /api/v1/nope keeps
its JSON 404; a page needing a login sends the reader to /login?next=…; the language and 适老化
switches set their one-year cookies and the next page is in English / in the elder mode; the
login form logs in (303 to next) and, refused, comes back with the error summary and the name
kept but never the password; the static assets are cached under their hash (ETag → 304); HEAD of
a page works; a page with its stylesheet and script weighs at most 60 KB."""
import http.client, json, re, urllib.parse
import qd

CSP_HTML = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
CSP_DATA = "default-src 'none'; frame-ancestors 'none'"

srv = qd.Server.demo()


def req(method, path, cookies=None, body=None, headers=None):
    """(status, headers (lower-case names; set-cookie a list), body bytes)."""
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    h = dict(headers or {})
    if cookies:
        h["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    hd = {}
    for k, v in r.getheaders():
        k = k.lower()
        if k == "set-cookie":
            hd.setdefault(k, []).append(v)
        else:
            hd[k] = v
    c.close()
    return r.status, hd, data


def cookie_of(hd, name):
    for c in hd.get("set-cookie", []):
        if c.startswith(name + "="):
            return c
    return None


def page_problems(st, hd, body):
    """What is wrong with an HTML page's answer (empty: nothing)."""
    p = []
    text = body.decode("utf-8", "replace")
    if not hd.get("content-type", "").startswith("text/html"):
        p.append(f"content-type {hd.get('content-type')}")
    if hd.get("content-security-policy") != CSP_HTML:
        p.append(f"CSP {hd.get('content-security-policy')!r}")
    for k, v in (("cache-control", "no-store"), ("x-frame-options", "DENY"), ("referrer-policy", "same-origin"),
                 ("x-content-type-options", "nosniff")):
        if hd.get(k) != v:
            p.append(f"{k}: {hd.get(k)!r}, want {v!r}")
    if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
        p.append("an inline <script>")
    if re.search(r"\sstyle\s*=", text) or "<style" in text:
        p.append("inline style")
    if re.search(r"\son[a-z]+\s*=", text):
        p.append("an inline event handler")
    if not text.startswith("<!doctype html>"):
        p.append("no doctype")
    return p


analyst = srv.login("analyst")
st, routes = analyst.get("/api/v1/routes")
pages = [x for x in routes["items"] if not x["path"].startswith("/api/")]
qd.ok(len(pages) >= 8, f"{len(pages)} page routes are in the route table", pages)

# Every GET page route, as a stranger and as a logged-in user: HTML with the page headers, or a
# redirect that carries them too (a page route's answer).
EXAMPLE = {"/lang": "/lang?to=en&next=/", "/elder": "/elder?on=1&next=/"}
bad = []
shown = 0
for x in pages:
    if x["method"] != "GET" or "{" in x["path"] or x["path"].startswith("/static/"):
        continue
    for who, ck in (("stranger", None), ("analyst", {"qd_session": analyst.cookie})):
        st, hd, body = req("GET", EXAMPLE.get(x["path"], x["path"]), cookies=ck)
        if st == 303:
            if hd.get("content-security-policy") != CSP_HTML or hd.get("cache-control") != "no-store":
                bad.append((x["path"], who, st, "redirect without the page headers", hd))
            continue
        if x["path"].endswith(".csv"):  # an export: CSV under the strictest policy, not a page
            if st == 200 and (not hd.get("content-type", "").startswith("text/csv")
                              or hd.get("content-security-policy") != "default-src 'none'; frame-ancestors 'none'"):
                bad.append((x["path"], who, st, "a CSV export without its type or policy", hd))
            continue
        shown += 1
        pr = page_problems(st, hd, body)
        if pr:
            bad.append((x["path"], who, st, pr))
qd.ok(shown >= 2 and not bad, f"every GET page route answers HTML with the CSP and no inline script or style ({shown} pages)", bad)

# The landing page: what 清单 is and the login form.
st, hd, body = req("GET", "/")
text = body.decode()
qd.ok(st == 200 and not page_problems(st, hd, body), "GET / is an HTML page", (st, page_problems(st, hd, body)))
qd.ok('<html lang="zh-CN">' in text, "Chinese by default (<html lang=zh-CN>)", text[:200])
form = re.search(r'<form method="post" action="/login".*?</form>', text, re.S)
qd.ok(form is not None, "GET / shows the login form (POST /login)", text)
form = form.group(0) if form else ""
for name in ("username", "password"):
    qd.ok(f'<label for="f-{name}">' in form and f'id="f-{name}" name="{name}"' in form,
          f"the login form's {name} has a label and id f-{name}", form)
csrf = re.search(r'<input type="hidden" name="csrf" value="([0-9a-f]{32})">', form)
pre = cookie_of(hd, "qd_pre")
qd.ok(csrf is not None and pre is not None and "HttpOnly" in pre and "SameSite=Lax" in pre,
      "the form carries a CSRF token bound to a new HttpOnly pre-session cookie", (csrf, pre))
qd.ok('class="skip-link" href="#main"' in text and '<main id="main"' in text, "a skip link to <main id=main>", text[:600])
qd.ok('href="/lang?to=en&amp;next=%2F"' in text and ">English</a>" in text,
      "the language switch is labelled in the other language (English) and comes back here", text[:1200])
qd.ok('href="/elder?on=1&amp;next=%2F"' in text and "长辈模式" in text, "the 适老化 switch is one link away", text[:1200])

# Unknown paths: a page for a browser, JSON for the API.
st, hd, body = req("GET", "/nope")
qd.ok(st == 404 and not page_problems(st, hd, body) and "找不到这个页面" in body.decode(),
      "GET /nope: an HTML 404 page in Chinese", (st, hd, body[:300]))
st, hd, body = req("GET", "/api/v1/nope")
qd.ok(st == 404 and hd.get("content-type", "").startswith("application/json") and json.loads(body)["code"],
      "GET /api/v1/nope: the JSON 404", (st, hd, body[:300]))
qd.ok(hd.get("content-security-policy") == CSP_DATA, "JSON answers keep default-src 'none'", hd)
st, hd, body = req("DELETE", "/login")
qd.ok(st == 405 and not page_problems(st, hd, body), "DELETE /login: a 405 page", (st, body[:300]))
st, hd, body = req("GET", "/lang?to=fr")
qd.ok(st == 400 and not page_problems(st, hd, body) and "to" in body.decode(),
      "GET /lang?to=fr: refused as a page naming the parameter", (st, body[:600]))

# A page that needs a login: 303 to /login?next=<the page>.
login_pages = [x["path"] for x in pages if x["method"] == "GET" and x["auth"] == "login" and "{" not in x["path"]]
if login_pages:
    p = login_pages[0]
    st, hd, body = req("GET", p + "?x=1" if False else p)
    want = "/login?next=" + urllib.parse.quote(p, safe="")
    qd.ok(st == 303 and hd.get("location") == want, f"GET {p} without a login: 303 to {want}", (st, hd.get("location")))
    st, hd, body = req("GET", p, cookies={"qd_session": "stale-session-token"})
    qd.ok(st == 303 and hd.get("location") == want, f"GET {p} with a stale session: 303 to the login", (st, hd.get("location")))
else:
    qd.ok(True, "a page needing a login sends the reader to /login?next= # SKIP no such page yet (parts tasks, work)")

# The language switch: a one-year cookie, back to next; the next page in English.
st, hd, body = req("GET", "/lang?to=en&next=/login%3Fnext%3D%252Ftasks")
c = cookie_of(hd, "qd_lang")
qd.ok(st == 303 and hd.get("location") == "/login?next=%2Ftasks", "GET /lang: 303 back to next", (st, hd))
qd.ok(c is not None and c.startswith("qd_lang=en;") and "Max-Age=31536000" in c and "SameSite=Lax" in c and "Path=/" in c,
      "GET /lang?to=en sets qd_lang=en for a year (SameSite=Lax)", c)
st, hd, body = req("GET", "/login?next=%2Ftasks", cookies={"qd_lang": "en"})
text = body.decode()
qd.ok(st == 200 and '<html lang="en">' in text and ">Log in</" in text and "User name" in text and "登录" not in text,
      "with qd_lang=en the login page is <html lang=en> in English", text[:1500])
qd.ok('href="/lang?to=zh&amp;next=%2Flogin%3Fnext%3D%252Ftasks"' in text and ">中文</a>" in text,
      "… and its switch back is labelled 中文 and returns to the same page", text[:1500])
st, hd, _ = req("GET", "/lang?to=zh&next=//evil.example/")
qd.ok(st == 303 and hd.get("location") == "/", "a next that is not a local path goes to / (no open redirect)", hd.get("location"))
st, hd, _ = req("GET", "/lang?to=zh&next=/%5Cevil.example")
qd.ok(st == 303 and hd.get("location") == "/", "… nor /\\host", hd.get("location"))

# 适老化: a cookie, class="elder" and the plainer words.
st, hd, body = req("GET", "/elder?on=1&next=/")
c = cookie_of(hd, "qd_elder")
qd.ok(st == 303 and c is not None and c.startswith("qd_elder=1;") and "Max-Age=31536000" in c,
      "GET /elder?on=1 sets qd_elder=1 for a year", (st, c))
st, hd, body = req("GET", "/", cookies={"qd_elder": "1"})
text = body.decode()
qd.ok('<html lang="zh-CN" class="elder">' in text, "with qd_elder=1 the page is <html class=elder>", text[:200])
qd.ok("一件一件办好" in text and "标准模式" in text and 'href="/elder?on=0&amp;next=%2F"' in text,
      "… with the plainer words, and the switch back to 标准模式", text[:2500])
st, hd, _ = req("GET", "/elder?on=0&next=/")
qd.ok(cookie_of(hd, "qd_elder", ).startswith("qd_elder=0;"), "GET /elder?on=0 switches it off", hd)

# Static assets: hashed URLs, a year's cache, ETag and 304.
st, hd, body = req("GET", "/")
text = body.decode()
css = re.search(r'<link rel="stylesheet" href="(/static/app\.css\?v=([0-9a-f]{16}))">', text)
js = re.search(r'<script src="(/static/app\.js\?v=([0-9a-f]{16}))" defer></script>', text)
qd.ok(css and js, "the page links /static/app.css and app.js (deferred) under their content hash", text[:600])
weight = len(body)
for m, ctype in ((css, "text/css"), (js, "text/javascript")):
    if not m:
        continue
    st, hd, data = req("GET", m.group(1))
    weight += len(data)
    qd.ok(st == 200 and hd.get("content-type", "").startswith(ctype) and len(data) > 100,
          f"GET {m.group(1)}: 200 {ctype}", (st, hd))
    qd.ok(hd.get("cache-control") == "public, max-age=31536000, immutable" and hd.get("etag") == f'"{m.group(2)}"'
          and hd.get("x-content-type-options") == "nosniff",
          "… cached for a year, immutable, with its hash as ETag", hd)
    st2, hd2, data2 = req("GET", m.group(1), headers={"If-None-Match": hd.get("etag", "")})
    qd.ok(st2 == 304 and data2 == b"", "… If-None-Match with its ETag: 304, no body", (st2, hd2, data2[:50]))
    st3, hd3, _ = req("GET", m.group(1).split("?")[0] + "?v=0000000000000000")
    qd.ok(st3 == 200 and hd3.get("cache-control") == "no-cache", "… under another hash: served, but revalidated", hd3)
st, hd, body = req("GET", "/static/nope.css")
qd.ok(st == 404 and not page_problems(st, hd, body), "an unknown asset: the 404 page", (st, hd))
qd.ok(weight <= 60 * 1024, f"page weight (HTML + CSS + JS of /): {weight} bytes ≤ 60 KB", weight)

# HEAD of a page: its headers, no body.
st, hd, body = req("HEAD", "/")
qd.ok(st == 200 and body == b"" and hd.get("content-security-policy") == CSP_HTML, "HEAD /: 200 with the page headers, no body",
      (st, hd, body[:100]))

# Logged in: the header names the user and their role; / and /login go on to the work.
disp = srv.login("dispatch")
ck = {"qd_session": disp.cookie}
st, hd, body = req("GET", "/", cookies=ck)
qd.ok(st == 303 and hd.get("location") == "/work", "logged in, GET /: 303 to /work", (st, hd.get("location")))
st, hd, body = req("GET", "/login?next=/tasks%3Fstate%3Dpending", cookies=ck)
qd.ok(st == 303 and hd.get("location") == "/tasks?state=pending", "logged in, GET /login?next=…: 303 to next", hd.get("location"))
st, hd, body = req("GET", "/login?next=//evil.example", cookies=ck)
qd.ok(st == 303 and hd.get("location") == "/work", "… and to /work for a next that is not a local path", hd.get("location"))
st, me = disp.get("/api/v1/me")
st, hd, body = req("GET", "/nope", cookies=ck)
text = body.decode()
qd.ok(st == 404 and me["display_name"] in text and "研判交办员" in text,
      f"the header names the user ({me['display_name']}) and their role (研判交办员)", text[:1500])
qd.ok("监利市" in text, "… and their county", text[:800])
logout = re.search(r'<form method="post" action="/logout"[^>]*><input type="hidden" name="csrf" value="([0-9a-f]{32})">', text)
qd.ok(logout is not None and 'href="/work"' in text, "… a logout form with its CSRF token, and a link to the workbench", text[:1500])
qd.ok(cookie_of(hd, "qd_pre") is None, "… the token is bound to the session (no pre-session cookie)", hd.get("set-cookie"))

# The login form: POST /login.  Form bodies are parsed by the dispatcher (part input); before
# that it takes the same fields as JSON, which is what this falls back to.
st, hd, body = req("GET", "/login?next=%2Ftasks")
pre = cookie_of(hd, "qd_pre").split(";")[0].split("=", 1)[1]
token = re.search(r'name="csrf" value="([0-9a-f]{32})"', body.decode()).group(1)


def post_login(fields):
    form = urllib.parse.urlencode(dict(fields, csrf=token))
    st, hd, body = req("POST", "/login", cookies={"qd_pre": pre}, body=form,
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    if st == 400 and b"application/json" in body:  # form bodies not parsed yet (part input)
        st, hd, body = req("POST", "/login", cookies={"qd_pre": pre}, body=json.dumps(fields),
                            headers={"Content-Type": "application/json", "X-CSRF-Token": token})
    return st, hd, body


st, hd, body = post_login({"username": "dispatch", "password": "wrong-password-1", "next": "/tasks"})
text = body.decode()
qd.ok(st == 401 and not page_problems(st, hd, body), "a wrong password: the login page again (401)", (st, text[:500]))
qd.ok('class="error-summary" role="alert" tabindex="-1"' in text and 'href="#f-password"' in text and "用户名或密码错误" in text,
      "… with the error summary linking to the password field", text)
qd.ok('id="f-username" name="username"' in text and 'value="dispatch"' in text, "… the user name kept", text)
qd.ok("wrong-password-1" not in text, "… the password never echoed", text)
qd.ok('name="next" value="/tasks"' in text, "… and next kept", text)
st, hd, body = post_login({"username": "dispatch", "password": qd.PASSWORD, "next": "/tasks"})
sess = cookie_of(hd, "qd_session")
qd.ok(st == 303 and hd.get("location") == "/tasks" and sess and "HttpOnly" in sess,
      "the right password: the session cookie and 303 to next", (st, hd, body[:300]))
if sess:
    st, hd, body = req("GET", "/nope", cookies={"qd_session": sess.split(";")[0].split("=", 1)[1]})
    qd.ok("研判交办员" in body.decode(), "… and the next page knows the user", body[:500])
st, hd, body = post_login({"username": "dispatch", "password": qd.PASSWORD, "next": "//evil.example"})
qd.ok(st == 303 and hd.get("location") == "/work", "a next that is not local: 303 to /work", hd.get("location"))
qd.done()
