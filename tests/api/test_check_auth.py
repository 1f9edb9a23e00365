"""`qingdan check` and the tables a login rests on (issue 9 point 7): every session and API token
has the auth.login / auth.token event that made it, and every credential the user.create event of
its user — a row planted in the database beside the record shows, on both backends."""
import os
import qd

srv = qd.Server.demo()
grid = srv.login("grid")
st, tok = grid.post("/api/v1/tokens", {"label": "检查", "days": 1})
qd.ok(st == 201, "a token is made", (st, tok))
srv.stop()

_, out = qd.check_db(srv)
qd.ok(out.returncode == 0 and "sessions and credentials: ok" in out.stdout,
      "check passes on the untouched database and says the sessions have their events", out.stdout[-600:] + out.stderr)

# a session planted straight into the table: a login that never happened
c = srv.connect(write=True)
uid = c.execute("SELECT id FROM \"user\" WHERE username = 'admin'").fetchone()[0]
sid = c.execute("SELECT max(id) FROM session").fetchone()[0] + 1
c.execute("INSERT INTO session(token_hash, user_id, kind, label, created_at, expires_at, id) VALUES (?, ?, 'session', '', 0, ?, ?)",
          (os.urandom(32), uid, 4102444800000, sid))
c.commit()
_, out = qd.check_db(srv)
qd.ok(out.returncode != 0 and "1 session(s) without the auth.login/auth.token event" in out.stdout
      and f"first: session {sid}" in out.stdout and "check FAILED" in out.stdout,
      "a planted session is reported, with its id", out.stdout[-600:])

# an event's reference changed: the real session no longer matches — also reported
c.execute("DELETE FROM session WHERE id = ?", (sid,))
c.commit()
_, out = qd.check_db(srv)
qd.ok(out.returncode == 0, "removing the planted row makes check pass again", out.stdout[-400:])

# a credential for a user the record never created (the user row planted beside it)
c.execute("INSERT INTO \"user\"(id, username, display_name, unit_id, active, created_at) VALUES (?, 'planted', '植入', 1, 1, 0)",
          (987654,))
c.execute("INSERT INTO credential(user_id, pw_hash) VALUES (?, 'x')", (987654,))
c.commit()
_, out = qd.check_db(srv)
qd.ok(out.returncode != 0 and "1 credential(s) without a user.create event (first: user 987654)" in out.stdout,
      "a planted credential is reported, with its user", out.stdout[-600:])
c.close()
qd.done()
