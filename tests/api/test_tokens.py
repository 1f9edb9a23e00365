"""API tokens (issue 9 point 4): listed and revoked by their owner and the security administrator, a scope
(read → 403 on every write), a token cannot mint tokens, a 200-byte label is a 400 naming label,
the last use recorded."""
import qd

srv = qd.Server.demo()
grid = srv.login("grid")
st, tok = grid.post("/api/v1/tokens", {"label": "手机", "days": 30, "scope": "read"})
qd.ok(st == 201 and tok["scope"] == "read" and tok["id"] > 0, "a read-only token is issued with its id", (st, tok))
reader = qd.Session(srv, token=tok["token"])
st, me = reader.get("/api/v1/me")
qd.ok(st == 200 and me["auth"] == "token", "the read token reads", (st, me))
st, b = reader.get("/api/v1/tasks")
qd.ok(st == 200, "the read token lists tasks", (st, b))
for path, body in [("/api/v1/visits", {"unit_id": 1, "visited_on": "2024-01-01"}), ("/api/v1/logout", None),
                   ("/api/v1/problems", {"unit_id": 1, "description": "x"})]:
    st, b = reader.post(path, body)
    qd.ok(st == 403 and b["field"] == "Authorization", f"a read token gets 403 on POST {path}", (st, b))

st, wt = grid.post("/api/v1/tokens", {"label": "脚本", "days": 1})
qd.ok(st == 201 and wt["scope"] == "write", "a token's scope is write by default", (st, wt))
writer = qd.Session(srv, token=wt["token"])
st, b = writer.post("/api/v1/tokens", {"label": "再来一个", "days": 366})
qd.ok(st == 403 and b["field"] == "Authorization", "a token cannot mint a token", (st, b))

st, b = grid.post("/api/v1/tokens", {"label": "x" * 200})
qd.ok(st == 400 and b["field"] == "label", "a 200-character ASCII label is refused, naming label", (st, b))

st, lst = grid.get("/api/v1/tokens")
labels = [t["label"] for t in lst.get("items", [])]
qd.ok(st == 200 and labels[:2] == ["脚本", "手机"], "the owner lists their tokens, newest first", (st, lst))
qd.ok(all("token" not in t and "token_hash" not in t for t in lst["items"]) and tok["token"] not in str(lst),
      "a listing never shows a token", lst)
used = [t for t in lst["items"] if t["id"] == tok["id"]][0]
qd.ok(used["last_used_at"] is not None and used["created_at"] is not None and used["expires_at"] is not None,
      "created, expires and last used are shown", used)

other = srv.login("leader")
st, b = other.post(f"/api/v1/tokens/{tok['id']}/revoke")
qd.ok(st == 404, "another user cannot revoke someone's token (404, as for none)", (st, b))
st, ol = other.get("/api/v1/tokens")
qd.ok(st == 200 and not [t for t in ol["items"] if t["id"] == tok["id"]], "nor see it", ol)
st, b = grid.post(f"/api/v1/tokens/{tok['id']}/revoke")
qd.ok(st == 200, "the owner revokes a token", (st, b))
st, b = reader.get("/api/v1/me")
qd.ok(st == 401, "a revoked token no longer works", (st, b))
admin = srv.login("admin")
st, al = admin.get("/api/v1/tokens?all=true")
qd.ok(st == 200 and not any(t["id"] == wt["id"] for t in al["items"]),
      "the system administrator sees only his own tokens, even with all=true", al)
st, b = admin.post(f"/api/v1/tokens/{wt['id']}/revoke")
qd.ok(st == 404, "and cannot revoke another user's token (404)", (st, b))
sec = srv.login("security")
st, al = sec.get("/api/v1/tokens?all=true")
qd.ok(st == 200 and any(t["id"] == wt["id"] for t in al["items"]), "the security administrator lists every user's tokens", al)
qd.ok(st == 200 and all("unit_path" not in t and "token" not in t for t in al["items"]),
      "the list carries neither the token nor the owner's unit path", al["items"][:2] if st == 200 else al)
st, b = sec.post(f"/api/v1/tokens/{wt['id']}/revoke")
qd.ok(st == 200, "the security administrator revokes another user's token", (st, b))
st, b = writer.get("/api/v1/me")
qd.ok(st == 401, "that token no longer works", (st, b))
qd.done()
