"""One-time codes (TOTP, RFC 6238) as a second login factor: enrol with the password, confirm
with a code, then a login needs it; a wrong or missing code is a failed login; a token cannot
enrol.  The codes are computed here from the returned secret (hmac/hashlib, not the server's
library) at the server's frozen clock."""
import base64
import datetime
import hashlib
import hmac
import struct

import qd

srv = qd.Server.demo(clock="2022-07-04T09:30:00")


def totp(secret_b32, t, step=30, digits=6):
    """RFC 6238 (HMAC-SHA-1, RFC 4226's dynamic truncation)."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack(">Q", t // step), hashlib.sha1).digest()
    o = mac[-1] & 0x0F
    v = (struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 10 ** digits
    return str(v).zfill(digits)


# the RFC's own vector first, so a wrong helper cannot make the rest pass
qd.ok(totp(base64.b32encode(b"12345678901234567890").decode(), 59, digits=8) == "94287082",
      "the test's RFC 6238 implementation gives Appendix B's code")

anon = srv.session()


def login(body):
    st, b, _ = anon.request("POST", "/api/v1/login", body)
    return st, b


admin = srv.login("admin")
# the server's (frozen) time in seconds, as it records it: a token's created_at
st, tok = admin.post("/api/v1/tokens", {"label": "clock", "days": 1})
qd.ok(st == 201, "a token for the clock and the bearer check", (st, tok))
st, rows = admin.get("/api/v1/tokens")
created = next(x["created_at"] for x in rows["items"] if x["id"] == tok["id"])
now = int(datetime.datetime.fromisoformat(created).timestamp())

bearer = qd.Session(srv, token=tok["token"])
st, b = bearer.post("/api/v1/me/totp", {"password": qd.PASSWORD})
qd.ok(st == 403 and b["field"] == "Authorization", "a bearer token cannot enrol", (st, b))

st, b = admin.post("/api/v1/me/totp", {"password": "wrong-password"})
qd.ok(st == 401 and b["field"] == "password", "enrolling needs the current password", (st, b))
st, b = admin.post("/api/v1/me/totp/confirm", {"code": "123456"})
qd.ok(st == 409 and b["field"] == "code", "nothing to confirm before enrolling", (st, b))

st, e = admin.post("/api/v1/me/totp", {"password": qd.PASSWORD})
qd.ok(st == 200 and len(e["secret"]) == 32, "enrolment answers a 160-bit base32 secret", (st, e))
qd.ok(e["uri"] == f"otpauth://totp/qingdan:admin?secret={e['secret']}&issuer=qingdan", "and its otpauth:// URI", e)

con = srv.connect()
stored = con.execute("SELECT c.totp_secret, c.totp_on FROM credential c JOIN \"user\" u ON u.id=c.user_id "
                     "WHERE u.username='admin'").fetchall()[0]
con.close()
raw = base64.b32decode(e["secret"])
qd.ok(stored[0] and e["secret"] not in stored[0] and base64.b64encode(raw).decode()[:20] not in stored[0]
      and int(stored[1]) == 0, "the secret is stored sealed, and off", stored)
st, b = login({"username": "admin", "password": qd.PASSWORD})
qd.ok(st == 200, "until confirmed, login does not ask for a code", (st, b))

code = totp(e["secret"], now)
wrong = str((int(code) + 1) % 10 ** 6).zfill(6)
st, b = admin.post("/api/v1/me/totp/confirm", {"code": wrong})
qd.ok(st == 400 and b["field"] == "code", "a wrong code does not switch codes on", (st, b))
# the code confirming is used up (a code is good once): confirm with the previous step's, which
# the ± 1 step window accepts, and log in with the current one below
st, b = admin.post("/api/v1/me/totp/confirm", {"code": totp(e["secret"], now - 30)})
qd.ok(st == 200 and b["totp_on"] is True, "a right code switches codes on", (st, b))

st, b = login({"username": "admin", "password": qd.PASSWORD})
qd.ok(st == 401 and b["field"] == "totp" and "动态验证码" in b["message_zh"], "login without a code: 401 naming totp", (st, b))
st, b = login({"username": "admin", "password": qd.PASSWORD, "totp": wrong})
qd.ok(st == 401 and b["field"] == "totp", "a wrong code: 401 naming totp", (st, b))
# three failures so far on the name (the enrolment's wrong password too): a fourth would back it
# off, and the clock is frozen
st, b = login({"username": "admin", "password": qd.PASSWORD, "totp": code})
qd.ok(st == 200 and b["user"]["username"] == "admin", "the right code logs in", (st, b))
st, b = login({"username": "admin", "password": qd.PASSWORD, "totp": code})
qd.ok(st == 401 and b["field"] == "totp", "the same code again is refused: a code is good once", (st, b))
st, b = login({"username": "admin", "password": qd.PASSWORD, "totp": totp(e["secret"], now - 30)})
qd.ok(st == 401 and b["field"] == "totp", "so is an earlier step's, once a later one was used", (st, b))
st, b = login({"username": "admin", "password": qd.PASSWORD, "totp": totp(e["secret"], now + 30)})
qd.ok(st == 200, "the next step's code is accepted (clock drift)", (st, b))
st, b = login({"username": "admin", "password": qd.PASSWORD, "totp": totp(e["secret"], now - 300)})
qd.ok(st == 401 and b["field"] == "totp", "a code ten steps old is not", (st, b))
st, b = login({"username": "admin", "password": qd.PASSWORD, "totp": "12"})
qd.ok(st == 400 and b["field"] == "totp", "a too-short code is bad input", (st, b))

st, b = login({"username": "admin", "password": "wrong-password", "totp": code})
qd.ok(st == 401 and b["field"] == "password", "a wrong password with a right code is still a wrong password", (st, b))
st, b = login({"username": "nobody", "password": qd.PASSWORD, "totp": code})
qd.ok(st == 401 and b["field"] == "password", "an unknown name with a code answers like a wrong password", (st, b))
st, b = login({"username": "dispatch", "password": qd.PASSWORD, "totp": code})
qd.ok(st == 200, "a user without codes ignores a sent code", (st, b))

# wrong codes count in the back-off like wrong passwords: the name is held back
for i in range(3):
    st, b = login({"username": "admin", "password": qd.PASSWORD, "totp": wrong})
st, b = login({"username": "admin", "password": qd.PASSWORD, "totp": code})
qd.ok(st == 429 and b["code"] == "locked", "after four wrong codes the name is backed off, right code or not", (st, b))

srv.stop()
qd.done()
