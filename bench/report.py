#!/usr/bin/env python3
"""report.py — the summary table of bench/run from its "key value" results file.

    report.py RESULTS TASKS

Columns: figure, value, what it is compared with (a baseline from the same run or the SPEC §10
target), the ratio, and whether the target is met."""
import sys

# The targets of issue 7 (SPEC §10 raised): durable intake, and the storage of a task with its history.
INTAKE_TARGET = 12000  # problems/s, median of the runs
INTAKE_RATIO = 4       # times the durable single-row SQLite baseline of the same run
BYTES_TARGET = 3000    # bytes per task in the generated database


def main():
    res = {}
    for line in open(sys.argv[1], encoding="utf-8"):
        k, _, v = line.strip().partition(" ")
        if k:
            res[k] = v
    tasks = int(sys.argv[2])

    def num(k):
        try:
            return float(res[k])
        except (KeyError, ValueError):
            return None

    rows = []
    parts = res.get("parts", "baseline intake overload list startup pg").split()

    def row(fig, val, ref, ratio, ok):
        rows.append((fig, val, ref, ratio, "" if ok is None else ("met" if ok else "MISSED")))

    def left_out(fig, part):
        """A figure of a part this run did not measure: said so, never a number."""
        why = (f"not measured: part '{part}' left out (QD_BENCH_PARTS)" if part not in parts
               else "not measured: the run stopped before it")
        row(fig, why, "-", "-", None)

    base = num("baseline_sqlite_tx_per_s")
    if base is not None:
        row("durable SQLite 1-row tx/s (baseline)", f"{base:,.0f}", "-", "-", None)
    else:
        left_out("durable SQLite 1-row tx/s (baseline)", "baseline")
    intake = num("intake_per_s")
    if intake is None:
        left_out("intake problems/s, 64 clients (median)", "intake")
    else:
        row("intake problems/s, 64 clients (median)", f"{intake:,.0f}",
            f"target >= {INTAKE_TARGET:,}" + (f"; baseline {base:,.0f}" if base else ""),
            f"{intake / INTAKE_TARGET:.2f}x target", intake >= INTAKE_TARGET)
        if base:
            row("intake / durable baseline", f"{intake / base:.1f}x", f"target >= {INTAKE_RATIO}x", "-",
                intake >= INTAKE_RATIO * base)
        non = int(num("intake_non201") or 0)
        row("intake answers other than 201", f"{non}", "must be 0", "-", non == 0)
        acked, indb = int(num("intake_acked")), int(num("intake_in_db"))
        row("intake in db after kill -9 / acked", f"{indb:,} / {acked:,}", "in db >= acked",
            f"{indb / acked:.4f}", indb >= acked)
        row("qingdan check after intake", res.get("intake_check", "?"), "passed", "-", res.get("intake_check") == "passed")
        su = num("intake_server_us")
        if su:
            row("intake server CPU per problem", f"{su:.0f} us", "-", "-", None)
        bc, qw, sl = num("intake_batch_cmds"), num("intake_queue_wait_max_ms"), num("intake_index_slice_max_ms")
        if bc is not None and qw is not None and sl is not None:
            row("intake: commands per commit; longest queue wait; longest index slice",
                f"{bc:.0f}; {qw:.1f} ms; {sl:.1f} ms", "-", "-", None)
        iw = num("intake_wrk_us")
        if su and iw:
            # the same CPU ceiling as for the lists: below it, the commits (fsync) bound intake
            row("intake CPU ceiling: 2 cores / (server + wrk)", f"{2e6 / (su + iw):,.0f}/s", "-",
                f"measured {intake / (2e6 / (su + iw)):.0%} of it", None)
        wu, wb = num("intake_writer_us"), num("intake_writer_busy_pct")
        if wu is not None and wb is not None:
            # What bounds intake, measured: a writer thread busy ~100 % of the run is the ceiling
            # (1e6 / its us per problem); well below, the commits (fsync) or the clients are.
            row("intake writer thread: CPU per problem, busy", f"{wu:.0f} us, {wb:.0f} %", "-",
                f"writer ceiling {1e6 / wu:,.0f}/s" if wu else "-", None)
    hello = num("hello_rps")
    if hello is None or num("listA_rps") is None:
        left_out(f"list A and B, hello-world ({tasks:,} tasks)", "list")
    else:
        for shape, label, same in (("A", "state+township", "helloL"), ("B", "state, whole county", "helloLB")):
            rps = num(f"list{shape}_rps")
            # list A carries the target; B is for contrast
            row(f"list {shape} ({label}) req/s", f"{rps:,.0f}", f"hello {hello:,.0f}; target >= {hello / 2:,.0f}",
                f"{rps / hello:.2f}x hello", rps >= hello / 2 if shape == "A" else None)
            hs = num(f"{same}_rps")
            nb = num(f"list{shape}_bytes")
            if nb:
                row(f"list {shape} page bytes (50 tasks)", f"{nb:,.0f}", "-", f"{nb / 50:,.0f} B/task", None)
            if hs:
                row(f"list {shape} vs hello-world answering the same bytes", f"{rps:,.0f}", f"hello same bytes {hs:,.0f}",
                    f"{rps / hs:.2f}x", None)
            p50, p99 = num(f"list{shape}_server_p50_ms"), num(f"list{shape}_server_p99_ms")
            row(f"list {shape} server time p50", f"{p50:.2f} ms", "-", "-", None)
            row(f"list {shape} server time p99", f"{p99:.2f} ms", "target <= 5 ms", f"{p99 / 5:.2f}x target", p99 <= 5)
            su, wu = num(f"list{shape}_server_us_per_req"), num(f"list{shape}_wrk_us_per_req")
            row(f"list {shape} CPU per page: server / wrk", f"{su:.0f} / {wu:.0f} us", "-", "-", None)
            # What bounds it, measured: two cores shared by server and wrk give at most
            # 2 s of CPU per second, so req/s <= 2e6 / (server + wrk us per request).
            row(f"list {shape} CPU ceiling: 2 cores / (server + wrk)", f"{2e6 / (su + wu):,.0f} req/s", "-",
                f"server {su / (su + wu):.0%} of the CPU", None)
        # issue 10: the handler's inbox page (HTML, the same 50 rows as list A) beside list A
        ip = num("inbox_rps")
        if ip is not None:
            row("inbox page (HTML, list A's rows) req/s", f"{ip:,.0f}", f"list A {num('listA_rps'):,.0f}",
                f"{ip / num('listA_rps'):.2f}x list A", None)
            ip99 = num("inbox_server_p99_ms")
            row("inbox page server time p99", f"{ip99:.2f} ms", "target <= 20 ms", f"{ip99 / 20:.2f}x target", ip99 <= 20)
            ib = num("inbox_bytes")
            if ib:
                row("inbox page weight", f"{ib:,.0f} B", "target <= 60 KB", f"{ib / 61440:.2f}x target", ib <= 61440)
        else:
            left_out("inbox page", "list")
        # … and the dispatcher's triage queue (HTML, 50 new problems with their likely duplicates)
        # beside the JSON list of the same 50 problems
        qp = num("queue_rps")
        if qp is not None:
            row("triage queue page (HTML) req/s", f"{qp:,.0f}", f"JSON new problems {num('queueJ_rps'):,.0f}",
                f"{qp / num('queueJ_rps'):.2f}x JSON", None)
            q99 = num("queue_server_p99_ms")
            row("triage queue page server time p99", f"{q99:.2f} ms", "target <= 20 ms", f"{q99 / 20:.2f}x target", q99 <= 20)
            qb = num("queue_bytes")
            if qb:
                row("triage queue page weight", f"{qb:,.0f} B", "target <= 60 KB", f"{qb / 61440:.2f}x target", qb <= 61440)
        else:
            left_out("triage queue page", "list")
        row("hello-world req/s (baseline)", f"{hello:,.0f}", "-", "-", None)
        row("hello-world CPU per request: server / wrk",
            f"{num('hello_server_us_per_req'):.0f} / {num('hello_wrk_us_per_req'):.0f} us", "-", "-", None)
        for same, shape in (("helloL", "A"), ("helloLB", "B")):
            hl = num(f"{same}_rps")
            if not hl:
                continue
            kb = (num(f"list{shape}_bytes") or 0) / 1024
            row(f"hello-world, {kb:.1f} KB answer (list {shape}'s size) req/s", f"{hl:,.0f}", f"hello {hello:,.0f}",
                f"{hl / hello:.2f}x hello", None)
            row(f"hello-world {kb:.1f} KB CPU per request: server / wrk",
                f"{num(f'{same}_server_us_per_req'):.0f} / {num(f'{same}_wrk_us_per_req'):.0f} us", "-", "-", None)
    hello_mb = num("hello_rss_mb")
    for k, label, part in (("intake_rss_mb", "peak RSS, intake server", "intake"),
                           ("overload_rss_mb", "peak RSS, intake server overloaded (queue 2, 64 clients)", "overload"),
                           ("list_rss_mb", f"peak RSS, list server ({tasks:,} tasks)", "list")):
        v = num(k)
        if v is None:
            if part == "overload":
                left_out(label, part)
            continue
        ref = "target <= 64 MB" + (f"; hello {hello_mb:.0f} MB" if hello_mb is not None else "")
        row(label, f"{v:.0f} MB", ref, f"{v / 64:.2f}x target", v <= 64)
    st = num("startup_ms")
    if st is None:
        left_out(f"start-up to /healthz ({tasks:,} tasks)", "startup")
    else:
        row(f"start-up to /healthz ({tasks:,} tasks)", f"{st:.1f} ms", "target <= 100 ms", f"{st / 100:.2f}x target", st <= 100)
    sq, sl = num("slow_quiet_p99_ms"), num("slow_slow300_p99_ms")
    if sq is None or sl is None:
        left_out("GET /tasks p99 beside 300 slow clients (demo db)", "slow")
    else:
        row("GET /tasks p99 beside 300 slow clients (demo db)", f"{sl:.2f} ms", f"quiet {sq:.2f} ms (same run)",
            f"{sl / sq:.2f}x quiet", None)
    lq = num("login_quiet_p99_ms")
    for who, k in (("one address", "login_one_p99_ms"), ("many addresses", "login_many_p99_ms")):
        lv = num(k)
        label = f"GET /tasks p99 under a 64-thread login flood from {who} (demo db)"
        if lq is None or lv is None:
            left_out(label, "login")
        else:
            row(label, f"{lv:.2f} ms", f"quiet {lq:.2f} ms (same run)", f"{lv / lq:.2f}x quiet", None)
    gen = num("gen_seconds")
    if gen:
        row(f"generation of {tasks:,} tasks (once, cached)", f"{gen:.0f} s", "-", f"{tasks / gen:,.0f} tasks/s", None)
    db = num("big_db_mb")
    bpt = None
    if db:
        bpt = num("big_db_bytes_per_task") or db * 1048576 / tasks
        sv = num("big_db_schema")
        row(f"generated database size (after a checkpoint{f', schema {sv:.0f}' if sv else ''})", f"{db:,.0f} MB", "-", "-", None)
        row("bytes per task (database with its history)", f"{bpt:,.0f} B", f"target <= {BYTES_TARGET:,} B",
            f"{bpt / BYTES_TARGET:.2f}x target", bpt <= BYTES_TARGET)

    ev, ot = num("big_db_event_bytes_per_task"), num("big_db_other_bytes_per_task")
    if ev is not None and ot is not None:
        # What bounds it, measured (dbstat): the event log against everything else.
        row("bytes per task: event log / projections, indexes, search", f"{ev:,.0f} / {ot:,.0f} B", "-",
            f"log {ev / (ev + ot):.0%}", None)

    pg_rows(res, num, row, parts, tasks, bpt)

    busy = num("busy_before_pct")
    if busy is not None:
        row("machine busy before the run (other work)", f"{busy:.0f} %", "-", "-", None)
    others = [(k, num(f"{k}_other_cpu_pct")) for k in ("intake", "hello", "listA", "listB", "helloL", "helloLB",
                                                        "pg_intake", "pg_listA", "pg_listB")]
    others = [f"{k} {v:.0f}" for k, v in others if v is not None]
    if others:
        row("other load during wrk runs (% of a core)", ", ".join(others), "0 on a quiet machine", "-", None)

    head = ("figure", "value", "baseline / target", "ratio", "")
    w = [max(len(r[i]) for r in rows + [head]) for i in range(5)]
    # Width in terminal columns is not len() for CJK; these strings are ASCII by construction.
    for r in [head] + rows:
        print("  ".join(r[i].ljust(w[i]) for i in range(5)).rstrip())
    missed = [r[0] for r in rows if r[4] == "MISSED"]
    print(f"\n{len(missed)} target(s) missed" + (": " + "; ".join(missed) if missed else ""))


def pg_rows(res, num, row, parts, tasks, bpt):
    """The PostgreSQL part (issue 8), each figure beside its baseline: pgbench's simple-update
    rate on the same server for intake, SQLite's figures of the same run for the list and the
    bytes per task.  No target is PostgreSQL's yet: these rows are never met / MISSED."""
    row("-- PostgreSQL (scripts/pg-local, same run) --", "", "", "", None)
    if "pg" not in parts:
        why = "not measured: part 'pg' left out (QD_BENCH_PARTS)"
    elif res.get("pg_not_measured"):
        why = "not measured: " + res["pg_not_measured"]
    elif res.get("pg_failed"):
        why = "not measured: the PostgreSQL part failed " + res["pg_failed"]
    else:
        why = "not measured: the run stopped before it"
    if "pg_version" in res:
        st = dict(kv.partition("=")[::2] for kv in res.get("pg_settings", "").split())
        row("PostgreSQL server (pg-local: defaults, durable)", res["pg_version"],
            ", ".join(f"{k} {st[k]}" for k in ("shared_buffers", "max_wal_size") if k in st) or "-", "-", None)

    said = []

    def nm(fig):
        """Not measured: why, in full the first time."""
        row(fig, why if not said else "not measured (as above)", "-", "-", None)
        said.append(fig)

    cl = res.get("pgbench_clients", "").split()
    for c in cl:
        tps = num(f"pgbench_c{c}_tps")
        if tps is None:
            nm(f"pgbench -N tx/s, {c} client(s)")
            continue
        pu, cu = num(f"pgbench_c{c}_pg_us"), num(f"pgbench_c{c}_client_us")
        row(f"pgbench -N tx/s, {c} client(s), {res.get('pgbench_seconds', '?')} s", f"{tps:,.0f}",
            f"latency {num(f'pgbench_c{c}_lat_ms'):.2f} ms; failed {res.get(f'pgbench_c{c}_failed', '?')}",
            f"CPU/tx postgres {pu:.0f} us, pgbench {cu:.0f} us" if pu is not None and cu is not None else "-", None)
    pb = num("pgbench_baseline_tps")
    if pb:
        row("pgbench -N baseline (the best client count)", f"{pb:,.0f} tx/s",
            f"-c {res.get('pgbench_baseline_clients', '?')}, scale {res.get('pgbench_scale', '?')}", "-", None)
    else:
        nm("pgbench -N baseline (simple-update tx/s)")

    pi = num("pg_intake_per_s")
    si = num("intake_per_s")
    if pi is None:
        nm("intake on PostgreSQL problems/s (median)")
    else:
        ref = [f"pgbench {pb:,.0f} tx/s" if pb else "pgbench not measured",
               f"SQLite intake {si:,.0f}/s" if si else "SQLite intake not measured"]
        ratio = [f"{pi / pb:.2f}x pgbench" if pb else "", f"{pi / si:.2f}x SQLite" if si else ""]
        row("intake on PostgreSQL problems/s, 64 clients (median)", f"{pi:,.0f}", "; ".join(ref),
            "; ".join(r for r in ratio if r) or "-", None)
        non = int(num("pg_intake_non201") or 0)
        row("PG intake answers other than 201", f"{non}", "must be 0", "-", non == 0)
        acked, indb = int(num("pg_intake_acked") or 0), num("pg_intake_in_db")
        if indb is not None and acked:
            row("PG intake in db after kill -9 / acked", f"{indb:,.0f} / {acked:,}", "in db >= acked",
                f"{indb / acked:.4f}", indb >= acked)
        if "pg_intake_check" in res:
            row("qingdan check after PG intake", res["pg_intake_check"], "passed", "-", res["pg_intake_check"] == "passed")
        su, pu, wu = num("pg_intake_server_us"), num("pg_intake_pg_us"), num("pg_intake_wrk_us")
        if su is not None and pu is not None and wu is not None:
            ceil = 2e6 / (su + pu + wu)
            row("PG intake CPU per problem: qingdan / postgres / wrk", f"{su:.0f} / {pu:.0f} / {wu:.0f} us",
                f"SQLite: {num('intake_server_us'):.0f} us (server)" if num("intake_server_us") else "-",
                f"CPU ceiling {ceil:,.0f}/s, measured {pi / ceil:.0%} of it", None)
        bc, tx, cm = num("pg_intake_batch_cmds"), num("pg_intake_writer_tx_pct"), num("pg_intake_writer_commit_pct")
        wcpu, wb = num("pg_intake_writer_us"), num("pg_intake_writer_busy_pct")
        if bc is not None and tx is not None:
            row("PG intake writer: commands per transaction; in a transaction; in COMMIT",
                f"{bc:.0f}; {tx:.0f} % of the time; {cm:.0f} %", "-",
                f"writer CPU {wcpu:.0f} us/problem, busy {wb:.0f} %" if wcpu is not None and wb is not None else "-", None)
        rss = num("pg_intake_rss_mb")
        if rss is not None:
            row("peak RSS, intake server on PostgreSQL", f"{rss:.0f} MB", "-", "-", None)

    ms = num("pg_migrate_s")
    if ms is None:
        nm(f"qingdan migrate of {tasks:,} tasks")
    else:
        rows_n = num("pg_migrate_rows") or 0
        row(f"qingdan migrate of {tasks:,} tasks ({rows_n:,.0f} rows)", f"{ms:.1f} s",
            f"copy {num('pg_migrate_copy_s'):.1f} s, verify {num('pg_migrate_verify_s'):.1f} s",
            f"{rows_n / ms:,.0f} rows/s; migrate process CPU {num('pg_migrate_cpu_s'):.1f} s", None)
    vs = num("pg_vacuum_s")
    if vs is not None:
        row("VACUUM ANALYZE after the migrate", f"{vs:.1f} s", "-", "-", None)
    pbpt = num("pg_db_bytes_per_task")
    if pbpt is None:
        nm("bytes per task on PostgreSQL")
    else:
        row(f"PostgreSQL database size ({tasks:,} tasks)", f"{num('pg_db_mb'):,.0f} MB", "-", "-", None)
        row("bytes per task on PostgreSQL (pg_database_size)", f"{pbpt:,.0f} B",
            f"SQLite {bpt:,.0f} B (the same tasks)" if bpt else "-", f"{pbpt / bpt:.2f}x SQLite" if bpt else "-", None)
        ev, ot = num("pg_event_bytes_per_task"), num("pg_other_bytes_per_task")
        sev, sot = num("big_db_event_bytes_per_task"), num("big_db_other_bytes_per_task")
        row("PG bytes per task: event log / everything else (tables with indexes, TOAST)", f"{ev:,.0f} / {ot:,.0f} B",
            f"SQLite {sev:,.0f} / {sot:,.0f} B" if sev is not None else "-",
            f"{ev / sev:.2f}x / {ot / sot:.2f}x SQLite" if sev else "-", None)

    hello = num("hello_rps")
    for shape, label in (("A", "state+township"), ("B", "state, whole county")):
        rps = num(f"pg_list{shape}_rps")
        if rps is None:
            nm(f"list {shape} on PostgreSQL ({tasks:,} tasks)")
            continue
        srps = num(f"list{shape}_rps")
        ref = (f"SQLite {srps:,.0f}" if srps else "SQLite not measured") + (f"; hello {hello:,.0f}" if hello else "")
        ratio = (f"{rps / srps:.2f}x SQLite" if srps else "-") + (f"; {rps / hello:.3f}x hello" if hello else "")
        row(f"list {shape} ({label}) on PostgreSQL req/s", f"{rps:,.0f}", ref, ratio, None)
        p50, p99 = num(f"pg_list{shape}_server_p50_ms"), num(f"pg_list{shape}_server_p99_ms")
        s50, s99 = num(f"list{shape}_server_p50_ms"), num(f"list{shape}_server_p99_ms")
        row(f"list {shape} on PostgreSQL server time p50 / p99", f"{p50:.2f} / {p99:.2f} ms",
            (f"SQLite {s50:.2f} / {s99:.2f} ms; " if s50 is not None else "") + "SQLite's target p99 <= 5 ms",
            f"p99 {p99 / s99:.1f}x SQLite" if s99 else "-", None)
        su, pu, wu = (num(f"pg_list{shape}_{k}_us_per_req") for k in ("server", "pg", "wrk"))
        if su is not None and pu is not None and wu is not None:
            ssu = num(f"list{shape}_server_us_per_req")
            row(f"list {shape} on PostgreSQL CPU per page: qingdan / postgres / wrk", f"{su:.0f} / {pu:.0f} / {wu:.0f} us",
                f"SQLite: server {ssu:.0f} us" if ssu is not None else "-",
                f"CPU ceiling {2e6 / (su + pu + wu):,.0f} req/s, measured {rps / (2e6 / (su + pu + wu)):.0%} of it", None)
        same = res.get(f"pg_list{shape}_same_page")
        nb = num(f"pg_list{shape}_bytes")
        if nb:
            row(f"list {shape} on PostgreSQL page bytes", f"{nb:,.0f}", "-",
                "the same bytes as SQLite's page" if same == "yes" else
                ("DIFFERS from SQLite's page" if same == "NO" else "not compared (SQLite's list not run)"), None)
    rss = num("pg_list_rss_mb")
    if rss is not None:
        row(f"peak RSS, list server on PostgreSQL ({tasks:,} tasks)", f"{rss:.0f} MB",
            f"SQLite {num('list_rss_mb'):.0f} MB" if num("list_rss_mb") is not None else "-", "-", None)
    if res.get("pg_failed") and "pg" in parts:
        row("PostgreSQL part", "FAILED " + res["pg_failed"], "-", "-", None)


if __name__ == "__main__":
    main()
