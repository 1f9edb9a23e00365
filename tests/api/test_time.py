"""Time is an argument: `qingdan demo --today X` builds the loop over the days before X, and
`qingdan serve --today X` stands the server on X — what it writes is dated X (the event's time,
the assignment day, the deadline in working days), and overdue (each task's flag and the list's
`overdue=1` filter) is judged against X, moving with it across a restart on another day;
`qingdan serve --clock X` freezes the clock at the instant X (China time), refusing a bad X; a
migration's event is dated by its caller's clock."""
import atexit, os, shutil, sqlite3, tempfile, time
import qd

d = tempfile.mkdtemp(prefix="qd-time-")
atexit.register(shutil.rmtree, d, True)
db = os.path.join(d, "t.db")

# --- the demo, walked over the 70 days before 2022-07-04
r = qd.run("demo", "--db", db, "--quiet", "--today", "2022-07-04")
qd.ok(r.returncode == 0, "qingdan demo --today 2022-07-04 builds", r.stdout + r.stderr)
con = sqlite3.connect(db)
lo, hi = con.execute("SELECT min(at), max(at) FROM event").fetchone()
assigned = [row[0] for row in con.execute("SELECT assigned_on FROM task WHERE assigned_on IS NOT NULL")]
con.close()
MS_DAY = 86400000
CHINA = 8 * 3600000


def china_date(at):
    """The China (UTC+8) date of a time: ms since the epoch (the database) or RFC 3339 in +08:00
    (the API), "YYYY-MM-DD"."""
    if isinstance(at, str):
        return at[:10] if at.endswith("+08:00") else None
    return time.strftime("%Y-%m-%d", time.gmtime((at + CHINA) // 1000))


day_0704 = (1656892800000 + CHINA) // MS_DAY  # 2022-07-04T00:00:00Z → its China day number
qd.ok(lo is not None and (lo + CHINA) // MS_DAY >= day_0704 - 70 and china_date(hi) <= "2022-07-04",
      "every demo event is dated within the 70 days before 2022-07-04 (China time)", (lo, hi))
qd.ok(assigned and max(assigned) <= "2022-07-04" and min(assigned) >= "2022-04-24",
      "the demo's tasks were assigned on those days", (min(assigned or [""]), max(assigned or [""])))

r = qd.run("serve", "--db", db, "--today", "2022-13-01")
qd.ok(r.returncode == 2 and "--today" in r.stderr, "serve --today with a bad date is refused naming the option",
      (r.returncode, r.stderr))
r = qd.run("serve", "--help")
qd.ok(r.returncode == 0 and "--today YYYY-MM-DD" in r.stdout, "serve --help documents --today", r.stdout)
qd.ok("--clock YYYY-MM-DDTHH:MM:SS" in r.stdout, "serve --help documents --clock", r.stdout)
for bad in ("2022-07-04", "2022-07-04 09:30:00", "2022-07-04T24:00:00", "2023-02-29T09:00:00",
            "2022-07-04T09:30:00+08:00", "2022-07-04T09:60"):
    r = qd.run("serve", "--db", db, "--clock", bad)
    zh = r.stderr.find("须为中国时间")
    qd.ok(r.returncode == 2 and "--clock" in r.stderr and 0 <= zh < r.stderr.find("must be"),
          f"serve --clock {bad!r} is refused naming the option, in Chinese first", (r.returncode, r.stderr))
r = qd.run("serve", "--db", db, "--clock", "2022-07-04T09:30:00", "--today", "2022-07-04")
qd.ok(r.returncode == 2 and "--clock" in r.stderr and "--today" in r.stderr,
      "serve --clock with --today is refused: one clock or the other", (r.returncode, r.stderr))


def all_tasks(sess, query=""):
    items, off = [], 0
    while True:
        st, page = sess.get(f"/api/v1/tasks?limit=100&offset={off}{query}")
        if st != 200:
            raise RuntimeError(f"tasks: {st} {page}")
        items += page["items"]
        if len(page["items"]) < 100:
            return items
        off += 100


def overdue_relative_to(sess, today):
    """Every task's overdue flag and the overdue=1 list, judged against today."""
    every = all_tasks(sess)
    listed = all_tasks(sess, "&overdue=1")
    open_ = [t for t in every if t["deadline"] and t["state"] in ("assigned", "in_progress", "extension_requested")]
    wrong = [t for t in open_ if t["overdue"] != (t["deadline"] < today)]
    qd.ok(open_ and not wrong, f"on {today}, an open task is overdue exactly when its deadline is before {today}",
          [(t["id"], t["deadline"], t["overdue"]) for t in wrong[:5]])
    # (the flag is also true of work completed after its deadline; the filter lists open work)
    flagged = {t["id"] for t in open_ if t["overdue"]}
    qd.ok({t["id"] for t in listed} == flagged, f"on {today}, overdue=1 lists exactly the open tasks flagged overdue",
          (len(listed), len(flagged)))
    return {t["id"] for t in listed}


# --- serving on 2022-07-04: a new task is dated from it
srv = qd.Server(db, today="2022-07-04")
disp, grid = srv.login("dispatch"), srv.login("grid")
st, units = disp.get("/api/v1/units")
by_name = {}
for u in units["items"]:
    by_name.setdefault(u["name"], u)
xhk, zlz = by_name["新河口村"], by_name["周老嘴镇"]
group = [u for u in units["items"] if u["parent_id"] == xhk["id"]][0]
st, me_handler = srv.login("handler").get("/api/v1/me")
st, me_leader = srv.login("leader").get("/api/v1/me")
st, p = grid.post("/api/v1/problems", {"unit_id": group["id"], "description": "新河口村一组排水沟堵塞，雨天积水"})
qd.ok(st == 201, "a problem is taken in on 2022-07-04", (st, p))
st, t = disp.post("/api/v1/tasks", {"problem_ids": [p["id"]], "title": "疏通一组排水沟", "urgency": "normal",
                                     "unit_id": zlz["id"], "handler_id": me_handler["id"], "leader_id": me_leader["id"]})
qd.ok(st == 201 and t["assigned_on"] == "2022-07-04", "the task is assigned on the server's today, 2022-07-04", (st, t))
qd.ok(t.get("respond_by") == "2022-07-06" and t.get("deadline") == "2022-07-25",
      "its deadlines count working days from 2022-07-04 (respond by 07-06, complete by 07-25)", t)
qd.ok(t.get("overdue") is False, "not overdue on the day it was assigned", t)
tid = t["id"]
st, h = disp.get(f"/api/v1/tasks/{tid}/history")
ats = [e["at"] for e in (h or {}).get("events", [])]
qd.ok(st == 200 and ats and all(china_date(a) == "2022-07-04" for a in ats),
      "the task's events carry the server's time on 2022-07-04", (st, ats))
st, cal = disp.get("/api/v1/calendar")
qd.ok(st == 200 and cal["year"] == 2022, "the calendar defaults to the server's year", (st, cal and cal.get("year")))
on_0704 = overdue_relative_to(disp, "2022-07-04")
qd.ok(tid not in on_0704, "the new task is not in overdue=1 on 2022-07-04")

# --- the same database on the deadline day, and the day after
srv.restart(today="2022-07-25")
disp = srv.login("dispatch")
st, t = disp.get(f"/api/v1/tasks/{tid}")
qd.ok(st == 200 and t["overdue"] is False, "on its deadline day, 2022-07-25, the task is not overdue", (st, t))
on_0725 = overdue_relative_to(disp, "2022-07-25")
qd.ok(tid not in on_0725, "nor in overdue=1 on 2022-07-25")

srv.restart(today="2022-07-26")
disp, handler = srv.login("dispatch"), srv.login("handler")
st, t = disp.get(f"/api/v1/tasks/{tid}")
qd.ok(st == 200 and t["overdue"] is True, "on 2022-07-26 the task is overdue", (st, t))
on_0726 = overdue_relative_to(disp, "2022-07-26")
qd.ok(tid in on_0726 and on_0704 <= on_0726 and len(on_0726) > len(on_0704),
      "overdue=1 on 2022-07-26 lists it, and more of the demo's open work than on 07-04", (len(on_0704), len(on_0726)))
st, t = handler.post(f"/api/v1/tasks/{tid}/accept", {})
qd.ok(st == 200 and t.get("responded_on") == "2022-07-26", "an action on 2022-07-26 is dated 2022-07-26", (st, t))
st, h = disp.get(f"/api/v1/tasks/{tid}/history")
qd.ok(st == 200 and china_date(h["events"][-1]["at"]) == "2022-07-26", "and its event carries that day's time",
      h and h["events"][-1])
srv.stop()
r = qd.run("check", "--db", db)
qd.ok(r.returncode == 0 and "check passed" in r.stdout, "qingdan check passes", r.stdout + r.stderr)

# --- the frozen clock: every request reads exactly the instant given, China time
srv = qd.Server(db, clock="2022-07-04T09:30:05")
disp, grid, handler = srv.login("dispatch"), srv.login("grid"), srv.login("handler")
ats = []
for i in range(2):
    if i:
        time.sleep(1.1)  # the real clock moves on; the server's does not
    st, p = grid.post("/api/v1/problems", {"unit_id": group["id"], "description": f"冻结时钟第{i}个问题"})
    st, got = disp.get(f"/api/v1/problems/{p['id']}")
    ats += [got["created_at"], got["updated_at"]]
qd.ok(ats == ["2022-07-04T09:30:05+08:00"] * 4,
      "on serve --clock 2022-07-04T09:30:05, what is written seconds apart carries exactly that time", ats)
st, t = handler.post(f"/api/v1/tasks/{tid}/progress", {"note": "冻结时钟下报告进展"})
st, h = disp.get(f"/api/v1/tasks/{tid}/history")
last = (h or {"events": [{}]})["events"][-1]
qd.ok(st == 200 and last.get("kind") == "task.progress" and last.get("at") == "2022-07-04T09:30:05+08:00",
      "an action's event carries the frozen instant too", last)
srv.stop()

# --- an upgrade writes its event (record.reseal) at its caller's time: here the server's today
v3 = qd.v3_database(os.path.join(d, "v3.db"))
up = qd.Server(v3, today="2030-02-01")
up.stop()
con = sqlite3.connect(v3)
row = con.execute("SELECT at FROM event WHERE kind = 'record.reseal'").fetchone()
con.close()
qd.ok(row and china_date(row[0]) == "2030-02-01", "the upgrade's record.reseal event is dated by the server's clock",
      row and china_date(row[0]))
qd.done()
