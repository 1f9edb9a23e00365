"""Verdict integrity (issue 9 point 1), over HTTP on the demo: a verdict records who gave it and
how (channel: online = the resident themself, phone, in_person); the resident's own online verdict
is final for its round (a later follow-up: 409) and only a reopen starts a new round; whoever
recorded a verdict cannot sign that task off (403) unless it was the resident's own; every
follow-up is an attempt, counted on the task and listed in its history with channel and outcome;
and `actions` shows each caller what the rules leave them."""
import qd

srv = qd.Server.demo()
disp, grid, handler, leader = srv.login("dispatch"), srv.login("grid"), srv.login("handler"), srv.login("leader")
sup, resident = srv.login("supervisor"), srv.login("resident")

st, units = disp.get("/api/v1/units")
by_name = {}
for u in units["items"]:
    by_name.setdefault(u["name"], u)
xhk = by_name["新河口村"]
group = [u for u in units["items"] if u["parent_id"] == xhk["id"]][0]
zlz = by_name["周老嘴镇"]
me = {name: s.get("/api/v1/me")[1] for name, s in
      [("handler", handler), ("leader", leader), ("disp", disp), ("grid", grid), ("resident", resident)]}


def act(sess, tid, action, **body):
    return sess.post(f"/api/v1/tasks/{tid}/{action}", body)


def completed_task(reporter, desc):
    """A task of a problem reporter logged, assigned to 周老嘴镇, accepted and completed."""
    st, p = reporter.post("/api/v1/problems", {"unit_id": group["id"], "description": desc})
    assert st == 201, (st, p)
    st, t = disp.post("/api/v1/tasks", {"problem_ids": [p["id"]], "title": desc[:20], "unit_id": zlz["id"],
                                         "handler_id": me["handler"]["id"], "leader_id": me["leader"]["id"]})
    assert st == 201, (st, t)
    for action, body in [("accept", {}), ("complete", {"outcome": "resolved", "note": "已处理完毕"})]:
        st, t = act(handler, t["id"], action, **body)
        assert st == 200, (action, st, t)
    return t["id"]


def task(sess, tid):
    return sess.get(f"/api/v1/tasks/{tid}")[1]


def follow_ups(tid):
    st, h = disp.get(f"/api/v1/tasks/{tid}/history")
    return [e for e in h["events"] if e["kind"] == "task.follow_up"]


# --- 1. the resident's own online verdict: final for its round ------------------------------------
t1 = completed_task(resident, "家门口排水沟堵塞，下雨就漫到院子里")
qd.ok("follow_up" in task(resident, t1)["actions"], "the resident is offered follow_up on their own completed task",
      task(resident, t1)["actions"])
st, b = act(resident, t1, "follow_up", satisfaction="satisfied", solved=True, channel="phone")
qd.ok(st == 400 and b["field"] == "channel", "a resident cannot record a phone verdict (400 naming channel)", (st, b))
st, b = act(resident, t1, "follow_up", satisfaction="unreachable")
qd.ok(st == 400 and b["field"] == "satisfaction", "a resident giving a verdict is never 'unreachable'", (st, b))
st, t = act(resident, t1, "follow_up", satisfaction="satisfied", solved=True, note="已经通了")
qd.ok(st == 200 and t["verdict_channel"] == "online" and t["follow_up_attempts"] == 1,
      "the resident's own verdict is recorded as online, attempt 1", (st, t))
t = task(disp, t1)
qd.ok(t["verdict_channel_zh"] == "群众网上评价" and t["verdict_by_name"] == "群众本人" and t["verdict_by"] == me["resident"]["id"],
      "staff see the channel in Chinese, the recorder as the resident (id for staff)", t)
qd.ok(me["resident"]["display_name"] not in str(t) and me["resident"]["display_name"] not in str(task(grid, t1)),
      "the resident's name is not shown as the recorder", me["resident"]["display_name"])
qd.ok("verdict_by" not in task(resident, t1) or task(resident, t1)["verdict_by"] is None,
      "the recorder's user id is staff-only", task(resident, t1).get("verdict_by"))
for who, sess in [("grid worker", grid), ("dispatcher", disp), ("supervisor", sup)]:
    st, b = act(sess, t1, "follow_up", satisfaction="unsatisfied", solved=False, note="电话回访改判")
    qd.ok(st == 409 and b["field"] == "action", f"a {who}'s later follow-up cannot overwrite the resident's verdict (409)", (st, b))
st, b = act(resident, t1, "follow_up", satisfaction="basic", solved=True)
qd.ok(st == 409, "nor can the resident give a second verdict in the same round", (st, b))
qd.ok("follow_up" not in task(disp, t1)["actions"] and "follow_up" not in task(grid, t1)["actions"]
      and "follow_up" not in task(resident, t1)["actions"],
      "follow_up is no longer offered to anyone", [task(s, t1)["actions"] for s in (disp, grid, resident)])
qd.ok("sign_off" in task(disp, t1)["actions"], "the dispatcher (who recorded nothing) is offered sign_off", task(disp, t1)["actions"])
st, t = act(disp, t1, "sign_off")
qd.ok(st == 200 and t["state"] == "signed_off", "after the resident's online verdict the dispatcher signs off", (st, t))
qd.ok(task(disp, t1)["satisfaction"] == "satisfied", "the resident's verdict stands", task(disp, t1)["satisfaction"])

# --- 2. a staff verdict: the recorder may not sign off; attempts are counted and listed ----------
t2 = completed_task(grid, "三组路灯坏了两盏，晚上看不见路")
st, t = act(disp, t2, "follow_up", satisfaction="unreachable", note="电话无人接听")
qd.ok(st == 200 and t["follow_up_attempts"] == 1 and t["verdict_channel"] is None,
      "an unreachable call is attempt 1 and records no verdict", (st, t))
st, b = act(disp, t2, "follow_up", satisfaction="satisfied", solved=True, channel="online")
qd.ok(st == 400 and b["field"] == "channel", "staff cannot claim an online verdict (400 naming channel)", (st, b))
st, t = act(disp, t2, "follow_up", satisfaction="satisfied", solved=True, channel="in_person", note="入户回访")
qd.ok(st == 200 and t["follow_up_attempts"] == 2 and t["verdict_channel"] == "in_person"
      and t["verdict_channel_zh"] == "当面回访" and t["verdict_by"] == me["disp"]["id"]
      and t["verdict_by_name"] == me["disp"]["display_name"],
      "the dispatcher's in-person verdict is attempt 2, recorded with their (official's) name", (st, t))
qd.ok("sign_off" not in task(disp, t2)["actions"], "the recorder is not offered sign_off", task(disp, t2)["actions"])
st, b = act(disp, t2, "sign_off")
qd.ok(st == 403 and b["field"] == "action" and "销号" in b["message_zh"],
      "the dispatcher who recorded the verdict cannot sign off (403, clear message)", (st, b))
qd.ok("sign_off" in task(sup, t2)["actions"], "the supervisor (who recorded nothing) is offered sign_off", task(sup, t2)["actions"])
fu = follow_ups(t2)
qd.ok([(e.get("attempt"), e.get("attempt_outcome"), e.get("channel")) for e in fu] ==
      [(1, "unreachable", "phone"), (2, "verdict", "in_person")],
      "the history lists both attempts with their number, outcome and channel",
      [(e.get("attempt"), e.get("attempt_outcome"), e.get("channel")) for e in fu])
st, t = act(sup, t2, "sign_off")
qd.ok(st == 200 and t["state"] == "signed_off", "another person signs off", (st, t))

# a staff phone verdict by default; a staff correction of a staff verdict is allowed
t3 = completed_task(grid, "二组水井抽水泵坏了")
st, t = act(grid, t3, "follow_up", satisfaction="basic", solved=True)
qd.ok(st == 200 and t["verdict_channel"] == "phone" and t["verdict_by"] == me["grid"]["id"],
      "a staff verdict without a channel is a phone call (电话回访)", (st, t))
st, t = act(disp, t3, "follow_up", satisfaction="satisfied", solved=True, channel="phone")
qd.ok(st == 200 and t["verdict_by"] == me["disp"]["id"] and t["follow_up_attempts"] == 2,
      "a later staff follow-up replaces a staff verdict and becomes its recorder", (st, t))
qd.ok("sign_off" not in task(disp, t3)["actions"],
      "now the dispatcher may not sign off", task(disp, t3)["actions"])

# --- 3. a reopen starts a new round in which staff may record again ------------------------------
t4 = completed_task(resident, "门前的水泥路面塌陷了一块")
st, t = act(resident, t4, "follow_up", satisfaction="unsatisfied", solved=False, note="还是塌的")
qd.ok(st == 200 and t["verdict_channel"] == "online", "the resident says unsatisfied online", (st, t))
st, b = act(grid, t4, "follow_up", satisfaction="satisfied", solved=True)
qd.ok(st == 409, "staff cannot turn it into satisfied", (st, b))
st, b = act(disp, t4, "sign_off")
qd.ok(st == 409, "and nobody signs off an unsatisfied verdict", (st, b))
st, t = act(disp, t4, "reopen", reason="群众不满意，重新办理")
qd.ok(st == 200 and t["state"] == "in_progress" and t["verdict_channel"] is None and t["verdict_by_name"] is None
      and t["follow_up_attempts"] == 0 and t["satisfaction"] is None,
      "reopen clears the round's verdict, channel, recorder and attempts", (st, t))
st, t = act(handler, t4, "complete", outcome="resolved", note="重新浇筑路面")
qd.ok("follow_up" in task(grid, t4)["actions"], "in the new round staff are offered follow_up again", task(grid, t4)["actions"])
st, t = act(grid, t4, "follow_up", satisfaction="satisfied", solved=True, channel="in_person")
qd.ok(st == 200 and t["verdict_by"] == me["grid"]["id"] and t["follow_up_attempts"] == 1,
      "staff record the new round's verdict (attempt 1 of the round)", (st, t))
qd.ok(task(resident, t4)["verdict_by_name"] == me["grid"]["display_name"],
      "the resident sees the official who recorded it", task(resident, t4).get("verdict_by_name"))
qd.ok([(e.get("attempt"), e.get("channel")) for e in follow_ups(t4)] == [(1, "online"), (1, "in_person")],
      "the history keeps both rounds' attempts", [(e.get("attempt"), e.get("channel")) for e in follow_ups(t4)])
st, t = act(disp, t4, "sign_off")
qd.ok(st == 200 and t["state"] == "signed_off", "the dispatcher, who did not record it, signs off", (st, t))

srv.stop()
ran, r = qd.check_db(srv)
if not ran:
    qd.skip("qingdan check passes after the verdicts", r)
else:
    qd.ok(r.returncode == 0 and "check passed" in r.stdout, "qingdan check replays the verdict columns", r.stdout + r.stderr)
qd.done()
