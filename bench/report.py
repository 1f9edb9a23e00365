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

    def row(fig, val, ref, ratio, ok):
        rows.append((fig, val, ref, ratio, "" if ok is None else ("met" if ok else "MISSED")))

    base = num("baseline_sqlite_tx_per_s")
    row("durable SQLite 1-row tx/s (baseline)", f"{base:,.0f}", "-", "-", None)
    intake = num("intake_per_s")
    row("intake problems/s, 64 clients (median)", f"{intake:,.0f}", f"target >= {INTAKE_TARGET:,}; baseline {base:,.0f}",
        f"{intake / INTAKE_TARGET:.2f}x target", intake >= INTAKE_TARGET)
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
    for k, label in (("intake_rss_mb", "peak RSS, intake server"),
                     ("overload_rss_mb", "peak RSS, intake server overloaded (queue 2, 64 clients)"),
                     ("list_rss_mb", f"peak RSS, list server ({tasks:,} tasks)")):
        v = num(k)
        if v is None:
            continue
        ref = "target <= 64 MB" + (f"; hello {hello_mb:.0f} MB" if hello_mb is not None else "")
        row(label, f"{v:.0f} MB", ref, f"{v / 64:.2f}x target", v <= 64)
    st = num("startup_ms")
    row(f"start-up to /healthz ({tasks:,} tasks)", f"{st:.1f} ms", "target <= 100 ms", f"{st / 100:.2f}x target", st <= 100)
    gen = num("gen_seconds")
    if gen:
        row(f"generation of {tasks:,} tasks (once, cached)", f"{gen:.0f} s", "-", f"{tasks / gen:,.0f} tasks/s", None)
    db = num("big_db_mb")
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

    busy = num("busy_before_pct")
    if busy is not None:
        row("machine busy before the run (other work)", f"{busy:.0f} %", "-", "-", None)
    others = [(k, num(f"{k}_other_cpu_pct")) for k in ("intake", "hello", "listA", "listB", "helloL", "helloLB")]
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


if __name__ == "__main__":
    main()
