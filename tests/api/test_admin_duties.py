"""The three administrators of 等保2.0 (SPEC §2), each kept to their duty: the system
administrator (admin) builds units and users but grants nothing and cannot read the audit log; the
security administrator (security_admin) grants — never to themself, never outside their subtree,
never a peer of themself — and unlocks, but cannot build units or users nor read the log; the
audit administrator (audit_admin) reads the log and changes nothing.  init makes the three; the
host restores a lost one (qingdan admin restore), and that is recorded."""
import os, re, tempfile
import qd

srv = qd.Server.demo()
admin, sec, aud = srv.login("admin"), srv.login("security"), srv.login("auditor")
st, units = admin.get("/api/v1/units")
U = {u["name"]: u for u in units["items"]}
root = [u for u in units["items"] if u["parent_id"] is None][0]
ZLZ, SCW = U["周老嘴镇"], U["上车湾镇"]
XHK = U["新河口村"]


def user(name, unit):
    st, b = admin.post("/api/v1/users", {"username": name, "display_name": "测试" + name[-2:], "unit_id": unit["id"],
                                         "password": qd.PASSWORD})
    assert st == 201, (st, b)
    return b["id"]


# --- the system administrator ------------------------------------------------------------------
t1 = user("dut_t1", ZLZ)
qd.ok(admin.post(f"/api/v1/users/{t1}/grants", {"role": "analyst", "unit_id": ZLZ["id"]})[0] == 403,
      "the system administrator cannot grant a role")
qd.ok(admin.post(f"/api/v1/users/{t1}/grants", {"role": "pii", "unit_id": ZLZ["id"]})[0] == 403,
      "the system administrator cannot grant the personal-data right (not even to themself)")
qd.ok(admin.get("/api/v1/audit")[0] == 403, "the system administrator cannot read the audit log")
st, b = admin.post("/api/v1/units", {"parent_id": ZLZ["id"], "name": "测试村", "kind": "village"})
qd.ok(st == 201, "the system administrator still adds units", (st, b))

# --- the security administrator ----------------------------------------------------------------
st, b = sec.post(f"/api/v1/users/{t1}/grants", {"role": "analyst", "unit_id": ZLZ["id"]})
qd.ok(st == 200 and any(g["role"] == "analyst" for g in b.get("grants", [])), "the security administrator grants a role", (st, b))
st, b = sec.post(f"/api/v1/users/{t1}/grants", {"role": "pii", "unit_id": ZLZ["id"]})
qd.ok(st == 200, "the security administrator grants the personal-data right", (st, b))
st, b = sec.post(f"/api/v1/users/{t1}/revoke", {"role": "pii", "unit_id": ZLZ["id"]})
qd.ok(st == 200 and not any(g["role"] == "pii" for g in b.get("grants", [])), "and revokes it", (st, b))
qd.ok(sec.post("/api/v1/units", {"parent_id": ZLZ["id"], "name": "安全村", "kind": "village"})[0] == 403,
      "the security administrator cannot create units")
qd.ok(sec.post("/api/v1/users", {"username": "dut_x", "display_name": "某某", "unit_id": ZLZ["id"],
                                 "password": qd.PASSWORD})[0] == 403, "the security administrator cannot create users")
qd.ok(sec.get("/api/v1/audit")[0] == 403, "the security administrator cannot read the audit log")
qd.ok(sec.get("/api/v1/users")[0] == 200, "the security administrator lists users (to grant)")
st, b = sec.post("/api/v1/users/999999/grants", {"role": "analyst", "unit_id": ZLZ["id"]})
qd.ok(st == 404 and b.get("field") == "user_id", "a grant to no such user: 404 naming user_id", (st, b))
st, b = sec.post("/api/v1/users/999999/unlock")
qd.ok(st == 404 and b.get("field") == "id", "unlocking no such user: 404", (st, b))

# nobody changes their own grants: not the security administrator, not anyone
st, me = sec.get("/api/v1/me")
st, b = sec.post(f"/api/v1/users/{me['id']}/grants", {"role": "pii", "unit_id": root["id"]})
qd.ok(st == 403 and b.get("field") == "id", "the security administrator cannot grant themself the personal-data right", (st, b))
st, b = sec.post(f"/api/v1/users/{me['id']}/revoke", {"role": "security_admin", "unit_id": root["id"]})
qd.ok(st == 403, "nor revoke their own grant", (st, b))
# no one makes an equal of themself over the web
t2 = user("dut_t2", root)
st, b = sec.post(f"/api/v1/users/{t2}/grants", {"role": "security_admin", "unit_id": root["id"]})
qd.ok(st == 403 and b.get("field") == "role", "a county security administrator cannot appoint a second one on the county", (st, b))

# a township security administrator: only inside the township, only the township's users
tsec = user("dut_tsec", ZLZ)
st, b = sec.post(f"/api/v1/users/{tsec}/grants", {"role": "security_admin", "unit_id": ZLZ["id"]})
qd.ok(st == 200, "the county security administrator appoints one for a township", (st, b))
ts = srv.login("dut_tsec")
st, me2 = ts.get("/api/v1/me")
qd.ok(st == 200 and ts.post(f"/api/v1/users/{me2['id']}/grants", {"role": "pii", "unit_id": ZLZ["id"]})[0] == 403,
      "the township security administrator cannot grant themself either")
t3 = user("dut_t3", ZLZ)
qd.ok(ts.post(f"/api/v1/users/{t3}/grants", {"role": "handler", "unit_id": ZLZ["id"]})[0] == 200,
      "the township security administrator grants inside the township")
st, b = ts.post(f"/api/v1/users/{t3}/grants", {"role": "handler", "unit_id": SCW["id"]})
qd.ok(st == 403 and b.get("field") == "unit_id", "a grant outside the granter's subtree is refused", (st, b))
st, b = ts.post(f"/api/v1/users/{t3}/grants", {"role": "analyst", "unit_id": root["id"]})
qd.ok(st == 403 and b.get("field") == "unit_id", "a grant above the granter's subtree is refused", (st, b))
t4 = user("dut_t4", SCW)
st, b = ts.post(f"/api/v1/users/{t4}/grants", {"role": "handler", "unit_id": ZLZ["id"]})
qd.ok(st == 403 and b.get("field") == "id", "the township security administrator cannot touch another township's user", (st, b))
qd.ok(ts.post(f"/api/v1/users/{t4}/unlock")[0] == 403, "nor unlock them")
st, b = ts.post(f"/api/v1/users/{t3}/grants", {"role": "security_admin", "unit_id": XHK["id"]})
qd.ok(st == 200, "a security administrator for a village inside the township is allowed", (st, b))

# a township system administrator: only the township's users
tadm = user("dut_tadm", ZLZ)
qd.ok(sec.post(f"/api/v1/users/{tadm}/grants", {"role": "admin", "unit_id": ZLZ["id"]})[0] == 200, "a township system administrator is appointed")
ta = srv.login("dut_tadm")
st, b = ta.post("/api/v1/users", {"username": "dut_t5", "display_name": "某某", "unit_id": SCW["id"], "password": qd.PASSWORD})
qd.ok(st == 403, "the township system administrator cannot create a user in another township", (st, b))
st, b = ta.post("/api/v1/users", {"username": "dut_t6", "display_name": "某某", "unit_id": ZLZ["id"], "password": qd.PASSWORD})
qd.ok(st == 201, "but can in their own", (st, b))

# unlocking: the lock a burst of failures sets is cleared by the security administrator
t7 = user("dut_t7", ZLZ)
for i in range(6):
    srv.session().post("/api/v1/login", {"username": "dut_t7", "password": "wrong-password"})
st, b, _ = srv.session().request("POST", "/api/v1/login", {"username": "dut_t7", "password": qd.PASSWORD})
qd.ok(st != 200, "after repeated failures the account is locked", (st, b))
qd.ok(admin.post(f"/api/v1/users/{t7}/unlock")[0] == 403, "the system administrator cannot unlock")
st, b = sec.post(f"/api/v1/users/{t7}/unlock")
qd.ok(st == 200 and b.get("unlocked") is True, "the security administrator unlocks", (st, b))
st, b, _ = srv.session().request("POST", "/api/v1/login", {"username": "dut_t7", "password": qd.PASSWORD})
qd.ok(st == 200, "and the user logs in again", (st, b))

# --- the audit administrator: reads, changes nothing ---------------------------------------------
st, b = aud.get("/api/v1/audit")
qd.ok(st == 200 and len(b.get("items", [])) > 0, "the audit administrator reads the audit log", st)
task_id = srv.login("dispatch").get("/api/v1/tasks?limit=1")[1]["items"][0]["id"]
st, table = admin.get("/api/v1/routes")
# (their own login, logout and API tokens are theirs to manage: not the system's state)
own = ("/api/v1/login", "/api/v1/logout", "/api/v1/tokens", "/api/v1/tokens/{id}/revoke",
       "/api/v1/me/totp", "/api/v1/me/totp/confirm", "/login", "/logout")
posts = [r["path"] for r in table["items"] if r["method"] == "POST" and r["path"] not in own]
bad = []
for p in posts:
    task = p.startswith(("/api/v1/tasks/", "/tasks/"))
    path = p.replace("{id}", str(task_id if task else t1)).replace("{action}", "accept")
    st, b = aud.post(path, {})
    if st != 403 and not (task and st == 404):  # a task the caller may not read is not found
        bad.append((p, st))
qd.ok(len(posts) > 10 and not bad, f"every one of {len(posts)} state-changing routes answers the audit administrator 403", bad)
qd.ok(aud.get("/api/v1/problems")[0] == 403 and aud.get("/api/v1/tasks")[0] == 403,
      "the audit administrator does not read the lists (no read right)")
srv.stop()

# --- init makes the three, each able to log in with the printed password ------------------------
d = tempfile.mkdtemp(prefix="qd-duties-")
if qd.BACKEND == "pg":
    pg = qd._pg()
    db, key = pg.uri(pg.new_db()), os.path.join(d, "i.key")
    r = qd.run("init", "--db", db, "--key", key, "--root", "监利市")
else:
    db, key = os.path.join(d, "i.db"), None
    r = qd.run("init", "--db", db, "--root", "监利市")
pw = dict(re.findall(r"administrator (\w+) \(.*?\): initial password (\S+)", r.stdout))
qd.ok(r.returncode == 0 and set(pw) == {"sysadmin", "secadmin", "auditadmin"}, "init makes the three administrators and prints their passwords", r.stdout + r.stderr)
fs = qd.Server(db, key=key)
me = {}
for name in pw:
    st, b = fs.login(name, pw[name]).get("/api/v1/me")
    me[name] = (st, sorted(b.get("rights", [])))
qd.ok(me.get("sysadmin", (0, []))[1] == ["admin", "read"] and me.get("secadmin", (0, []))[1] == ["grant"]
      and me.get("auditadmin", (0, []))[1] == ["audit"], "each holds only the rights of their duty", me)

# --- the host restores a locked-out administrator -----------------------------------------------
for i in range(6):
    fs.session().post("/api/v1/login", {"username": "secadmin", "password": "not-the-password"})
st, b, _ = fs.session().request("POST", "/api/v1/login", {"username": "secadmin", "password": pw.get("secadmin", "")})
qd.ok(st != 200, "the security administrator has locked themself out", (st, b))
fs.stop()
# lose the role too: the grant revoked in the database under the API
c = fs.connect(write=True)
c.execute("UPDATE user_grant SET active=0 WHERE user_id=(SELECT id FROM \"user\" WHERE username=?)", ("secadmin",))
c.commit()
c.close()
r = qd.run("admin", "restore", *fs.db_args(), "--username", "secadmin", "--role", "security_admin",
           env={"QD_PASSWORD": "restored-pass-1"})
qd.ok(r.returncode == 0 and "role granted again" in r.stdout, "qingdan admin restore sets a password, clears the lock, grants the role again", r.stdout + r.stderr)
r2 = qd.run("admin", "restore", *fs.db_args(), "--username", "nobody-here", env={"QD_PASSWORD": "restored-pass-1"})
qd.ok(r2.returncode != 0, "restoring an unknown user fails", r2.stderr)
fs.start()
s = fs.login("secadmin", "restored-pass-1")
st, b = s.get("/api/v1/me")
qd.ok(st == 200 and "grant" in b.get("rights", []), "the restored security administrator logs in with the right back", (st, b))
r = qd.run("log", "--db", db)
qd.ok(r.returncode == 0 and '"user.restore"' in r.stdout and '"actor":0' in r.stdout.replace(" ", ""),
      "the restore is an event of the record, by the system (actor 0)", r.stdout[-500:])
st, b = fs.login("auditadmin", pw.get("auditadmin", "")).get("/api/v1/audit?kind=host")
qd.ok(st == 200 and any(e["route"] == "qingdan admin restore" and e["username"] == "host" for e in b.get("items", [])),
      "and a host row of the audit log", (st, b))
r = qd.run("check", *fs.db_args())
qd.ok(r.returncode == 0, "the database checks clean after a restore", r.stdout + r.stderr)
fs.stop()
qd.done()
