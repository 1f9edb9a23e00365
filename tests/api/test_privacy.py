"""Residents' personal data never leaves the server unmasked to anyone without the personal-data
right (SPEC §4), proved from the outside against the real binary.

1. Plant: two residents, names, phone numbers in every form a hostile writer could use, ID and
   bank-card numbers, landlines, written into EVERY free-text field the API accepts (problem
   descriptions as grid and as each resident, decline reasons, visits, task titles and
   measures, the note/reason of every task action, an immediate problem whose phone number
   straddles the 60-character title cut, anonymous and no-disclose problems, one task
   gathering problems of both residents).  Each datum gets its own number, so a leak names
   the field it came from.
2. Walk: every GET route of GET /api/v1/routes, as every demo user, the second resident and
   anonymously, with every planted id substituted (a route whose parameters cannot be filled
   fails), lists paged through with limit=200 and called with count=true.  Every string of
   every body is normalised like a hostile reader would (NFKC, Chinese numerals, any decimal
   digit, separators removed) and must contain no planted number, no planted name and — in
   free-text fields — no run of 7+ digits that is not a date or an amount.  Personal-data
   routes (…/pii) answered 200 to a holder of the right instead return the original values and
   append exactly one pii.read event each.
3. Search is no oracle: searching any planted number (as written, as digits) or name finds
   nothing; a search for an ordinary planted phrase does find its item.
4. The pages (issue 10): every GET page route of the served table that needs a login, as every
   demo user, the residents and a stranger, planted ids filled and every local link followed
   (item pages, lists, CSV exports, the audit CSV under /api/); text, attributes and data blocks
   HTML-unescaped and read as above.  Pages have no reveal of their own: the holder of the right
   sees the masked form there too, and no pii.read event is appended.
5. A resident sees only their own problems on a shared task.

TAP: one line per role × route (details only on failure).
"""
import csv
import functools
import html.parser
import http.client
import io
import json
import re
import sqlite3
import time
import unicodedata
import urllib.parse

import qd

T0 = time.time()
MAX_DETAIL = 30

# ================================================================================================
# The hostile reader: normalisation and detection (independent of the server's masking code).

CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")}
CN_DIGITS.update({"零": "0", "幺": "1", "两": "2"})
CN_DIGITS.update({c: str(i + 1) for i, c in enumerate("壹贰叁肆伍陆柒捌玖")})
SEPARATORS = set("-‐‑‒–—―−－﹣.。·・_＿/／\\,，、()（）[]【】〔〕")
FREE_TEXT = {"description", "decline_reason", "title", "measures", "note", "reason", "household"}
INTERNAL_KEYS = {"unit_path", "origin_path", "created_by"}
AMOUNT_AFTER = ("元", "万", "亿", "吨", "亩", "米", "公里", "千米", "公斤", "千克", "斤", "平方", "方", "%", "‰",
                "块", "角", "kg", "km", "m²", "m")
AMOUNT_BEFORE = ("¥", "$", "RMB", "人民币")
RUN = re.compile(r"[0-9]{7,}")


def normalise(s):
    """(normalised string, index into s of every normalised character)."""
    out, idx = [], []
    for i, ch in enumerate(s):
        for c in unicodedata.normalize("NFKC", ch):
            if c in CN_DIGITS:
                c = CN_DIGITS[c]
            elif not c.isascii():
                try:
                    c = str(unicodedata.decimal(c))
                except ValueError:
                    pass
            if c.isspace() or unicodedata.category(c) in ("Cf", "Pd") or c in SEPARATORS:
                continue
            out.append(c)
            idx.append(i)
    return "".join(out), idx


def name_norm(s):
    return "".join(c for c in unicodedata.normalize("NFKC", s) if not c.isspace()
                   and unicodedata.category(c) != "Cf").casefold()


def shown(s, limit=70):
    """A readable excerpt: invisible characters escaped."""
    r = "".join(c if c.isprintable() and unicodedata.category(c) != "Cf" else f"\\u{ord(c):04x}" for c in s)
    return r if len(r) <= limit else r[:limit] + "…"


def excerpt(s, idx, a, b):
    i, j = idx[a], idx[b - 1] + 1
    return ("…" if i > 12 else "") + shown(s[max(0, i - 12):j + 12], 90) + ("…" if j + 12 < len(s) else "")


def _is_date(d):
    y, m, dd = int(d[:4]), int(d[4:6]), int(d[6:8])
    return 1900 <= y <= 2099 and 1 <= m <= 12 and 1 <= dd <= 31


def _is_time(t):
    """hh, hhmm or hhmmss (a date followed by a time: 2025-06-02 14:30 reads as 2025060214)."""
    return len(t) in (2, 4, 6) and int(t[:2]) < 24 and all(int(t[i:i + 2]) < 60 for i in range(2, len(t), 2))


def exempt_run(ns, a, b):
    """A run of 7+ digits that is a date (or dates, a date with a time, years) or an amount."""
    run = ns[a:b]
    n = len(run)
    if n % 8 == 0 and all(_is_date(run[i:i + 8]) for i in range(0, n, 8)):
        return True
    if n in (10, 12, 14) and _is_date(run[:8]) and _is_time(run[8:]):
        return True
    if n % 4 == 0 and all(1900 <= int(run[i:i + 4]) <= 2099 for i in range(0, n, 4)):
        return True
    if any(ns.startswith(u, b) for u in AMOUNT_AFTER):
        return True
    if any(ns.endswith(p, 0, a) for p in AMOUNT_BEFORE):
        return True
    return False


NUMBERS = []  # planted numbers: dict(label, raw, needles)
NAMES = []    # planted names and addresses: dict(label, raw, needle)


@functools.lru_cache(maxsize=None)
def analyse(s):
    """(planted data found in s: [(label, excerpt)], digit runs not exempt: [(run, excerpt)])."""
    ns, idx = normalise(s)
    hits, runs = [], []
    digits = sum(c.isdigit() for c in ns)
    if digits >= 7:
        for d in NUMBERS:
            for nd in d["needles"]:
                p = ns.find(nd)
                if p >= 0:
                    hits.append((f"planted {d['label']} ({nd})", excerpt(s, idx, p, p + len(nd)), nd))
                    break
        found = [h[2] for h in hits]
        for m in RUN.finditer(ns):
            run = m.group()
            # a run that is (or holds) a planted number is already reported as that number
            if not exempt_run(ns, m.start(), m.end()) and not any(nd in run or run in nd for nd in found):
                runs.append((run, excerpt(s, idx, m.start(), m.end())))
    if NAMES:
        nn = name_norm(s)
        for d in NAMES:
            if d["needle"] in nn:
                hits.append((f"planted {d['label']}", shown(s), None))
    return tuple(h[:2] for h in hits), tuple(runs)


def scan(body, findings, resident=False):
    """Every string in body (at any depth): planted data, and digit runs in free-text keys."""
    def walk(v, kp, key):
        if isinstance(v, str):
            hits, runs = analyse(v)
            for label, ex in hits:
                findings.append((kp, label, ex))
            if key in FREE_TEXT:
                for run, ex in runs:
                    findings.append((kp, f"{len(run)}-digit run in free text", ex))
        elif isinstance(v, dict):
            if ANON and v.get("code") == ANON["code"]:
                ANON["seen"] = ANON.get("seen", 0) + 1
                for k, x in v.items():
                    if ("reporter" in k or k == "name") and x not in (None, "", {}, []):
                        findings.append((f"{kp}.{k}" if kp else k, "anonymous problem shows a reporter name",
                                         shown(str(x))))
            for k, x in v.items():
                if resident and k in INTERNAL_KEYS:
                    findings.append((f"{kp}.{k}" if kp else k, "internal key shown to a resident", shown(json.dumps(x))))
                walk(x, f"{kp}.{k}" if kp else k, k)
        elif isinstance(v, list):
            for i, x in enumerate(v):
                walk(x, f"{kp}[{i}]", key)
    walk(body, "", None)


ANON = {}

# ------------------------------------------------------------------------------------------------
# The detector itself, before anything is planted: masked forms, dates, amounts, codes pass.

clean = ["138****5678", "联系电话138****5678，备用139****0001", "4210**********123X", "4210**********1234",
         "【已隐藏】", "张*", "欧阳**", "J***", "0716-***4567", "6222***********0123", "+861****5678",
         "2025-06-02", "20250602", "2025-06-02 14:30", "2025.06.02-2025.06.30", "2024—2025年度",
         "补贴1234567元", "¥1,234,567.00", "￥12345678", "约12000000吨", "2228ERCEQL", "22N7K3XQ9P",
         "王建华", "周老嘴镇新河口村一组", "30%", "第3、5、7户"]
bad = [s for s in clean if analyse(s)[1]]
qd.ok(not bad, "the detector passes masked numbers, dates, amounts, codes and staff names",
      "\n".join(f"{shown(s)} → {analyse(s)[1]}" for s in bad))
dirty = ["13812345678", "138 1234 5678", "138\u200b1234\u200b5678", "１３８１２３４５６７８", "①③⑧①②③④⑤⑥⑦⑧",
         "幺三八一二三四五六七八", "".join(chr(0x1D7CE + int(c)) for c in "13812345678"), "١٣٨١٢٣٤٥٦٧٨", "(0716)1234567", "87654321"]
missed = [shown(s) for s in dirty if not analyse(s)[1]]
qd.ok(not missed, "the detector flags unmasked digit runs in every form", missed)
analyse.cache_clear()

# ================================================================================================
# The server and its people.

srv = qd.Server.demo()
admin = srv.login("admin")
sec = srv.login("security")  # grants are the security administrator's
DEMO_USERS = ["admin", "dispatch", "grid", "handler", "unithead", "leader", "supervisor", "analyst", "resident"]
S = {u: srv.login(u) if u != "admin" else admin for u in DEMO_USERS}


POSTED = []  # (what, response body) of every planting request: scanned once everything is planted


def must(resp, want, what, posted=True):
    st, b = resp
    if st != want:
        qd.ok(False, f"fixture: {what}", (st, b))
        qd.done()
    if posted:
        POSTED.append((what, b))
    return b


units = must(admin.get("/api/v1/units"), 200, "units", posted=False)["items"]
by_name = {}
for u in units:
    by_name.setdefault(u["name"], u)
XHK = by_name["新河口村"]
GROUP = [u for u in units if u["parent_id"] == XHK["id"] and u["kind"] == "group"][0]
ZLZ = by_name["周老嘴镇"]
ME = {u: must(S[u].get("/api/v1/me"), 200, f"me {u}", posted=False) for u in DEMO_USERS}

# the second resident, in the same village
r2 = must(admin.post("/api/v1/users", {"username": "resident2", "display_name": "居民乙", "unit_id": XHK["id"],
                                       "password": qd.PASSWORD}), 201, "create resident2")
must(sec.post(f"/api/v1/users/{r2['id']}/grants", {"role": "resident", "unit_id": XHK["id"]}), 200, "grant resident2")
S["resident2"] = srv.login("resident2")
ME["resident2"] = must(S["resident2"].get("/api/v1/me"), 200, "me resident2", posted=False)
RESIDENTS = ("resident", "resident2")
USERS = DEMO_USERS + ["resident2", "anonymous"]
S["anonymous"] = srv.session()
PII_HOLDER = {u for u in USERS if u != "anonymous" and "pii" in ME[u].get("rights", [])}
qd.ok(PII_HOLDER == {"dispatch"}, "only dispatch holds the personal-data right among the callers", sorted(PII_HOLDER))

# ================================================================================================
# Planted data.

_n = [0]


def seq():
    _n[0] += 1
    return _n[0]


def mobile():
    n = seq()
    return "1" + "3578936745"[n % 10] + str(n % 10) + f"{(n * 48271 + 91357) % 100000000:08d}"


def idno(x=False):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    n = seq()
    base = f"421081{1950 + n % 50}{n % 12 + 1:02d}{n % 28 + 1:02d}"
    for k in range(1000):
        s17 = base + f"{(n * 37 + k) % 1000:03d}"
        c = "10X98765432"[sum(int(a) * b for a, b in zip(s17, w)) % 11]
        if (c == "X") == x:
            return s17 + c


def idno15():
    n = seq()
    return f"421081{50 + n % 40}{n % 12 + 1:02d}{n % 28 + 1:02d}{(n * 131) % 1000:03d}"


def card(length):
    n = seq()
    head = "6222" if length == 19 else "6228"
    return head + f"{(n * 982451653 + 2718281828459045) % 10 ** (length - 4):0{length - 4}d}"


def landline_local(digits):
    n = seq()
    return "8" + f"{(n * 104729 + 2718281) % 10 ** (digits - 1):0{digits - 1}d}"


def g344(d, sep):
    return d[:3] + sep + d[3:7] + sep + d[7:]


def interleave(d, sep):
    return sep.join(d)


CIRCLED = {"0": "⓪", **{str(i): chr(0x2460 + i - 1) for i in range(1, 10)}}
PHONE_FORMS = {
    "plain": lambda d: d,
    "spaces": lambda d: g344(d, " "),
    "double spaces": lambda d: g344(d, "  "),
    "spaced dashes": lambda d: g344(d, " - "),
    "dots": lambda d: g344(d, "."),
    "underscores": lambda d: g344(d, "_"),
    "slashes": lambda d: g344(d, "/"),
    "full-width commas": lambda d: g344(d, "，"),
    "tabs": lambda d: g344(d, "\t"),
    "U+200B between digits": lambda d: interleave(d, "\u200b"),
    "U+2060 between digits": lambda d: interleave(d, "\u2060"),
    "U+FEFF between digits": lambda d: interleave(d, "\ufeff"),
    "brackets": lambda d: f"({d[:3]}){d[3:7]}-{d[7:]}",
    "lenticular brackets": lambda d: f"【{d[:3]}】{d[3:]}",
    "full-width digits": lambda d: "".join(chr(0xFF10 + int(c)) for c in d),
    "circled digits": lambda d: "".join(CIRCLED[c] for c in d),
    "mathematical digits": lambda d: "".join(chr(0x1D7CE + int(c)) for c in d),
    "Arabic-Indic digits": lambda d: "".join(chr(0x0660 + int(c)) for c in d),
    "Chinese numerals with 幺": lambda d: "幺" + "".join("零一二三四五六七八九"[int(c)] for c in d[1:]),
    "Chinese numerals": lambda d: "".join("〇一二三四五六七八九"[int(c)] for c in d),
    "+86 grouped": lambda d: "+86 " + g344(d, " "),
    "0086-": lambda d: "0086-" + d,
}
MULTILINE_ONLY = {"tabs"}


class Text:
    """A free-text value under construction; every number added is recorded as planted."""

    def __init__(self, where, multiline=True):
        self.where, self.multiline, self.parts = where, multiline, []

    def t(self, s):
        self.parts.append(s)
        return self

    def _plant(self, label, raw, needles):
        """needles: the normalised digits a hostile reader would recover (any one is a leak)."""
        NUMBERS.append({"label": f"{self.where}: {label}", "raw": raw, "needles": needles, "where": self.where})
        self.parts.append(raw)
        return self

    def phone(self, form):
        d = mobile()
        return self._plant(f"phone, {form}", PHONE_FORMS[form](d), [d])

    def id18(self, x=False):
        d = idno(x)
        return self._plant("ID number (18, X)" if x else "ID number (18)", d, [d[:17]])

    def id15(self):
        d = idno15()
        return self._plant("ID number (15)", d, [d])

    def card(self, length, grouped):
        d = card(length)
        raw = " ".join(d[i:i + 4] for i in range(0, length, 4)) if grouped else d
        return self._plant(f"bank card ({length}{', grouped by 4' if grouped else ''})", raw, [d])

    def landline(self, form):
        if form == "bare":
            loc = landline_local(8)
            return self._plant("landline, bare 8 digits", loc, [loc])
        loc = landline_local(7)
        raw = f"(0716){loc}" if form == "(0716)" else f"0716-{loc}"
        return self._plant(f"landline, {form}", raw, ["0716" + loc, loc])

    def name(self, n):
        self.parts.append(n)
        return self

    def __str__(self):
        return "".join(self.parts)


def plant_name(label, name):
    NAMES.append({"label": label, "raw": name, "needle": name_norm(name)})


def text(where, multiline=True, phones=(), ids=(), cards=(), landlines=(), lead="", tail=""):
    """A Chinese sentence carrying the given data, each between words (never between separators)."""
    t = Text(where, multiline).t(lead)
    for f in phones:
        if f in MULTILINE_ONLY and not multiline:
            continue
        t.t("；联系电话").phone(f)
    for x in ids:
        t.t("；身份证号")
        if x == 15:
            t.id15()
        else:
            t.id18(x=(x == "X"))
    for length, grouped in cards:
        t.t("；银行卡号").card(length, grouped)
    for f in landlines:
        t.t("；座机").landline(f)
    return str(t.t("；" + tail if tail else "。"))


ALL_PHONE_FORMS = list(PHONE_FORMS)
ORIG = {}  # (noun, id) → {"problem": {key: original}} or [original strings]

NAME_A, NAME_LATIN, NAME_R1, NAME_R2, NAME_ND, NAME_AN = "欧阳娜娜", "Mary Watson", "司马建国", "诸葛小明", "上官婉清", "东方明月"
for label, nm in (("reporter name (grid, P1)", NAME_A), ("reporter name (Latin, P2)", NAME_LATIN),
                  ("resident's name (resident, P4)", NAME_R1), ("resident's name (resident2, P5)", NAME_R2),
                  ("reporter name (no_disclose, P6)", NAME_ND), ("reporter name (anonymous, P7)", NAME_AN)):
    plant_name(label, nm)
st, users = admin.get("/api/v1/users")
staff_names = [u["display_name"] for u in users["items"]]
clash = [(n["raw"], d) for n in NAMES for d in staff_names if name_norm(d) in n["needle"] or n["needle"] in name_norm(d)]
qd.ok(not clash, "no planted resident name is (part of) a staff display name", clash)


def address(label, s):
    NAMES.append({"label": f"{label}: exact address", "raw": s, "needle": name_norm(s)})
    return s


P = {}      # name → problem id
CODE = {}   # name → tracking code
PROBLEM_ORIG = {}  # problem id → expected /pii fields


def problem(key, sess, desc, reporter=None, **extra):
    body = {"unit_id": GROUP["id"], "description": desc}
    if reporter:
        body["reporter"] = reporter
    body.update(extra)
    b = must(S[sess].post("/api/v1/problems", body), 201, f"problem {key} as {sess}")
    P[key], CODE[key] = b["id"], b["code"]
    exp = {"description": desc}
    if reporter:
        exp.update(reporter)
    PROBLEM_ORIG[b["id"]] = exp
    return b


def phone_field(label):
    d = mobile()
    NUMBERS.append({"label": f"{label}: reporter.phone", "raw": d, "needles": [d], "where": label})
    return d


def idno_field(label, x):
    d = idno(x)
    NUMBERS.append({"label": f"{label}: reporter.id_no", "raw": d, "needles": [d[:17]], "where": label})
    return d


half = len(ALL_PHONE_FORMS) // 2
# P1: a grid worker logs what 欧阳娜娜 raised; the first half of the phone forms, her own name
P1_desc = text("P1.description", phones=ALL_PHONE_FORMS[:half], lead=f"反映人{NAME_A}说隐私测试甲号坑塘漏水",
               tail=f"以上为{NAME_A}本人提供")
problem("P1", "grid", P1_desc, {"name": NAME_A, "phone": phone_field("P1"), "id_no": idno_field("P1", True),
                                "address": address("P1", "湖北省监利市周老嘴镇新河口村一组二十八号院东单元")})
# P2: a Latin name, the other half of the phone forms; declined with IDs, cards and landlines in the reason
P2_desc = text("P2.description", phones=ALL_PHONE_FORMS[half:], lead=f"{NAME_LATIN} reports 隐私测试乙号外籍住户",
               tail=f"signed {NAME_LATIN}")
problem("P2", "grid", P2_desc, {"name": NAME_LATIN, "phone": phone_field("P2")})
P2_reason = text("P2.decline_reason", ids=("X", 18, 15), cards=((19, False), (16, True)),
                 landlines=("(0716)", "0716-", "bare"), lead="属于司法诉讼程序", tail="请当事人自行起诉")
# P3: IDs, cards and landlines in a description, raised during a visit (linked below)
P3_desc = text("P3.description", ids=("X", 18, 15), cards=((19, False), (19, True), (16, False), (16, True)),
               landlines=("(0716)", "0716-", "bare"), lead="隐私测试丙号低保复核材料")
# P4 / P5: each resident submits their own problem, naming themselves (both go on the shared task)
P4_desc = text("P4.description", phones=("plain", "spaces", "U+200B between digits", "Chinese numerals"), ids=("X",),
               lead=f"我是{NAME_R1}，共办甲户鱼塘漏水", tail=f"{NAME_R1}")
P5_desc = text("P5.description", phones=("plain", "dots", "full-width digits", "circled digits"), ids=(18,),
               cards=((16, True),), lead=f"我叫{NAME_R2}，共办乙户屋顶漏雨", tail=f"落款{NAME_R2}")
# P6: no_disclose (on the shared task too); P7: anonymous
P6_desc = text("P6.description", phones=("plain", "mathematical digits"), ids=(15,), lead="不公开丙户家事纠纷")
P7_desc = text("P7.description", phones=("plain", "Arabic-Indic digits", "+86 grouped"), lead="匿名反映丁户宅基地纠纷",
               tail=f"反映人{NAME_AN}")
# P8: immediate, the phone number straddles the 60th character (the task title is the first 60)
P8_lead = "路灯不亮已当场更换灯泡请村民放心隐私测试即办事项现场处置完毕并留存照片如有问题请联系村委会值班人员的手机号码"
P8_lead = P8_lead[:52]
P8_phone = mobile()
NUMBERS.append({"label": "P8.description: phone across the 60-character title cut", "raw": P8_phone,
                "needles": [P8_phone, P8_phone[:8]], "where": "P8.description"})
P8_desc = P8_lead + P8_phone + text("P8.description", phones=("spaced dashes",), tail="谢谢")
P8_measures = text("P8.measures", phones=("plain", "slashes"), ids=("X",), lead="现场更换灯泡")
# P11: resident2's second problem, declined (the resident sees the reason)
P11_desc = text("P11.description", phones=("0086-",), lead="共办乙户院墙开裂")
P11_reason = text("P11.decline_reason", phones=("plain", "underscores"), lead="不属于受理范围")

# visits (before P3, which links to V1)
V, VISIT_ORIG = {}, {}
for key, household, note in (
        ("V1", f"{NAME_A}家", text("V1.note", phones=("plain", "tabs", "U+2060 between digits"), ids=("X", 15),
                                   landlines=("bare",), lead="走访了解低保情况")),
        ("V2", f"{NAME_LATIN}家", text("V2.note", phones=("Chinese numerals with 幺", "lenticular brackets"),
                                       cards=((19, True),), landlines=("0716-",), lead="入户走访外籍住户"))):
    b = must(S["grid"].post("/api/v1/visits", {"unit_id": GROUP["id"], "visited_on": "2025-06-02",
                                               "household": household, "note": note}), 201, f"visit {key}")
    V[key] = b["id"]
    VISIT_ORIG[b["id"]] = [household, note]

problem("P3", "grid", P3_desc, visit_id=V["V1"])
problem("P4", "resident", P4_desc, {"name": NAME_R1, "phone": phone_field("P4")})
problem("P5", "resident2", P5_desc, {"name": NAME_R2, "phone": phone_field("P5"), "id_no": idno_field("P5", False)})
problem("P6", "grid", P6_desc, {"name": NAME_ND, "phone": phone_field("P6")}, no_disclose=True)
problem("P7", "grid", P7_desc, {"name": NAME_AN, "phone": phone_field("P7")}, anonymous=True)
ANON.update(code=CODE["P7"], id=P["P7"])
p8 = problem("P8", "grid", P8_desc, {"name": NAME_A, "phone": phone_field("P8")}, tier="immediate", measures=P8_measures)
problem("P11", "resident2", P11_desc, {"name": NAME_R2})

disp = S["dispatch"]
for key, reason in (("P2", P2_reason), ("P11", P11_reason)):
    must(disp.post(f"/api/v1/problems/{P[key]}/decline", {"reason": reason}), 200, f"decline {key}")
    PROBLEM_ORIG[P[key]]["decline_reason"] = reason

# tasks
T, TASK_ORIG = {}, {}
HID, LID = ME["handler"]["id"], ME["leader"]["id"]
ASSIGN = {"unit_id": ZLZ["id"], "handler_id": HID, "leader_id": LID}


def act(tkey, who, action, **body):
    for k in ("note", "reason"):
        if k in body:
            TASK_ORIG[T[tkey]].append(body[k])
    return must(S[who].post(f"/api/v1/tasks/{T[tkey]}/{action}", body), 200, f"{tkey} {action} as {who}")


def task(tkey, pkeys, title, measures, **extra):
    body = {"problem_ids": [P[k] for k in pkeys], "title": title, "measures": measures, **extra}
    b = must(disp.post("/api/v1/tasks", body), 201, f"task {tkey}")
    T[tkey] = b["id"]
    TASK_ORIG[b["id"]] = [title, measures]


T1_title = text("T1.title", multiline=False, phones=("plain", "spaces", "full-width commas"), lead="隐私测试共办任务")
T1_measures = text("T1.measures", phones=("plain", "tabs", "U+FEFF between digits", "brackets"), ids=("X",),
                   cards=((19, True),), landlines=("(0716)",), lead="组织施工队维修")
task("T1", ["P4", "P5", "P6"], T1_title, T1_measures, urgency="complex", **ASSIGN)


def note(where, *forms, **kw):
    return text(where, phones=forms, **kw)


act("T1", "handler", "return", reason=note("T1.return.reason", "plain", "double spaces", lead="不属于本单位职责"))
act("T1", "dispatch", "assign", note=note("T1.assign.note", "dots", lead="重新交办"), **ASSIGN)
act("T1", "handler", "accept", note=note("T1.accept.note", "plain", "Chinese numerals", lead="已签收"))
act("T1", "handler", "progress", progress=30, note=note("T1.progress.note", "plain", "slashes", ids=(18,), lead="已安排施工"))
act("T1", "handler", "request_extension", days=3, reason=note("T1.request_extension.reason", "underscores", lead="汛期停工"))
act("T1", "leader", "deny_extension", reason=note("T1.deny_extension.reason", "circled digits", lead="不符合延期条件"))
act("T1", "handler", "complete", outcome="resolved", note=note("T1.complete.note", "plain", "+86 grouped",
                                                               cards=((16, False),), lead="已修复"))
act("T1", "grid", "follow_up", solved=False, satisfaction="unsatisfied",
    note=note("T1.follow_up.note", "mathematical digits", landlines=("bare",), lead="入户回访不满意"))
act("T1", "dispatch", "reopen", reason=note("T1.reopen.reason", "0086-", "full-width digits", lead="群众不满意重新办理"))
act("T1", "handler", "complete", outcome="resolved", note=note("T1.complete#2.note", "lenticular brackets", lead="再次修复"))
act("T1", "grid", "follow_up", solved=True, satisfaction="satisfied",
    note=note("T1.follow_up#2.note", "U+200B between digits", lead="回访满意"))
act("T1", "dispatch", "sign_off", note=note("T1.sign_off.note", "Chinese numerals with 幺", ids=(15,), lead="同意销号"))
act("T1", "dispatch", "reopen", reason=note("T1.reopen#2.reason", "U+2060 between digits", lead="抽查发现问题"))

T2_title = text("T2.title", multiline=False, phones=("dots",), ids=("X",), lead="隐私测试坑塘治理")
T2_measures = text("T2.measures", phones=("plain", "Chinese numerals"), cards=((16, True),), landlines=("0716-",),
                   lead="清淤加固")
task("T2", ["P1", "P3"], T2_title, T2_measures, urgency="complex", **ASSIGN)
act("T2", "handler", "accept", note=note("T2.accept.note", "plain", lead="已签收"))
act("T2", "handler", "progress", progress=50, note=note("T2.progress.note", "spaces", ids=("X",), lead="清淤过半"))
act("T2", "handler", "request_extension", days=2, reason=note("T2.request_extension.reason", "spaced dashes", lead="材料未到"))
act("T2", "leader", "approve_extension", note=note("T2.approve_extension.note", "Arabic-Indic digits", lead="同意延期"))

T["T3"] = p8["task_id"]
TASK_ORIG[T["T3"]] = [P8_desc[:60], P8_measures]
act("T3", "supervisor", "follow_up", solved=True, satisfaction="satisfied",
    note=note("T3.follow_up.note", "plain", "brackets", lead="督导回访"))
act("T3", "dispatch", "sign_off", note=note("T3.sign_off.note", "double spaces", lead="销号"))

IDS = {"problems": [P[k] for k in sorted(P)], "tasks": [T[k] for k in sorted(T)], "visits": [V[k] for k in sorted(V)],
       "users": [ME["resident"]["id"], ME["resident2"]["id"]]}
KEY_OF = {("problems", v): k for k, v in P.items()} | {("tasks", v): k for k, v in T.items()} | \
    {("visits", v): k for k, v in V.items()}

# Every planted datum, as written, is found by the detector (the normaliser reads every form).
unread = [d["label"] for d in NUMBERS if not any(nd in normalise(d["raw"])[0] for nd in d["needles"])]
qd.ok(not unread and len(NUMBERS) > 100, f"the detector reads every planted number as written ({len(NUMBERS)} numbers, "
      f"{len(NAMES)} names/addresses)", unread)
analyse.cache_clear()
probe = []
scan({"items": [{"code": ANON["code"], "reporter_name": "东**"}], "problems": [{"unit_path": "/1/"}]}, probe, resident=True)
ANON["seen"] = 0
qd.ok(len(probe) == 2, "the detector flags a reporter name on the anonymous problem and internal keys shown to a resident",
      probe)

# The answers to the planting requests themselves (tasks after each action, declined problems, …)
# are outputs too: none of them may carry what was just planted.
found = {}  # (key path, what) → [first request, count, excerpt]
for what, body in POSTED:
    f = []
    scan(body, f)
    for kp, w, ex in f:
        found.setdefault((re.sub(r"\[\d+\]", "[]", kp), w), [what, 0, ex])[1] += 1
lines = [f"{first}: {kp}: {w}{f' (in {n} answers)' if n > 1 else ''} «{ex}»" for (kp, w), (first, n, ex) in found.items()]
qd.ok(not lines, f"the answers to the {len(POSTED)} planting requests (POST) carry no personal data",
      "\n".join(lines[:MAX_DETAIL] + ([f"… and {len(lines) - MAX_DETAIL} more"] if len(lines) > MAX_DETAIL else [])))

# ================================================================================================
# The pii audit for problems (always, whatever the route table says).

DB = srv.connect()


def pii_reads():
    return DB.execute("SELECT count(*) FROM event WHERE kind='pii.read'").fetchone()[0]


def check_problem_pii(pid, body):
    exp = PROBLEM_ORIG[pid]
    return [f"{k}: {shown(str(body.get(k)))} ≠ original {shown(v)}" for k, v in exp.items()
            if not isinstance(body, dict) or body.get(k) != v]


for key in ("P1", "P5", "P2"):
    pid = P[key]
    n0 = pii_reads()
    st, b = disp.get(f"/api/v1/problems/{pid}/pii")
    n1 = pii_reads()
    wrong = check_problem_pii(pid, b) if st == 200 else [f"status {st}"]
    qd.ok(st == 200 and not wrong and n1 - n0 == 1,
          f"dispatch × GET /api/v1/problems/{{id}}/pii ({key}) returns the original values and adds one pii.read event",
          "\n".join(wrong + [f"pii.read events added: {n1 - n0}"]))
    n0 = pii_reads()
    st, b = S["handler"].get(f"/api/v1/problems/{pid}/pii")
    n1 = pii_reads()
    qd.ok(st in (403, 404) and n1 == n0, f"handler × GET /api/v1/problems/{{id}}/pii ({key}) is refused and not audited as a read",
          (st, b, n1 - n0))

# ================================================================================================
# The walk.

routes = must(admin.get("/api/v1/routes"), 200, "routes", posted=False)["items"]
# The API's GET routes (the walk reads JSON answers); the pages are walked after the searches below.
GET_ROUTES = [r for r in routes if r["method"] == "GET" and r["path"].startswith("/api/")]


class NoSubstitution(Exception):
    pass


def fill(pattern):
    """Concrete paths for a route pattern: every planted id of the noun before each {id}."""
    segs = pattern.split("/")
    paths = [[]]
    for i, seg in enumerate(segs):
        if seg.startswith("{"):
            noun = segs[i - 1] if i else ""
            ids = IDS.get(noun) if seg == "{id}" else None
            if not ids:
                raise NoSubstitution(f"no substitution for {seg} in {pattern}")
            paths = [p + [(str(x), noun, x)] for p in paths for x in ids]
        else:
            paths = [p + [(seg, None, None)] for p in paths]
    out = []
    for p in paths:
        ent = [(noun, x) for _, noun, x in p if noun]
        out.append(("/".join(s for s, _, _ in p), ent[-1] if ent else None))
    return out


def is_list(route):
    return any(q.get("name") == "limit" for q in route.get("query") or [])


seen_in_lists = {}  # (user, noun) → ids seen
status_5xx = []


def check_pii_200(user, noun, eid, body):
    """A personal-data read by a holder of the right: the original values."""
    if noun == "problems" and eid in PROBLEM_ORIG:
        return check_problem_pii(eid, body)
    exp = TASK_ORIG.get(eid) if noun == "tasks" else VISIT_ORIG.get(eid) if noun == "visits" else None
    if exp is None:
        return []
    strings = set()

    def collect(v):
        if isinstance(v, str):
            strings.add(v)
        elif isinstance(v, dict):
            for x in v.values():
                collect(x)
        elif isinstance(v, list):
            for x in v:
                collect(x)
    collect(body)
    return [f"original not returned: {shown(s)}" for s in exp if s not in strings]


def walk_route(user, route):
    sess = S[user]
    pattern = route["path"]
    findings = []  # (request path, key path, problem, excerpt)
    problems = []  # status/audit problems
    n = 0
    try:
        targets = fill(pattern)
    except NoSubstitution as e:
        return None, [str(e)]
    pii_route = pattern.endswith("/pii")
    for path, ent in targets:
        reqs = [path]
        if is_list(route) and not ent:
            reqs = [path, path + "?count=true", path + "?limit=200"]
        for rp in reqs:
            pages = [rp]
            if rp == path + "?limit=200":
                pages = [f"{path}?limit=200&offset=0"]
            while pages:
                cur = pages.pop()
                n0 = pii_reads() if pii_route else 0
                st, body = sess.get(cur)
                n += 1
                if st >= 500:
                    status_5xx.append((user, cur, st))
                    problems.append(f"{cur}: status {st}")
                if user == "anonymous":
                    if st != 401:
                        problems.append(f"{cur}: anonymous got {st}, not 401")
                if pii_route and user != "anonymous":
                    added = pii_reads() - n0
                    if user in PII_HOLDER:
                        if st != 200:
                            problems.append(f"{cur}: the holder of the personal-data right got {st}")
                        if added != (1 if st == 200 else 0):
                            problems.append(f"{cur}: {added} pii.read events added (want {1 if st == 200 else 0})")
                    else:
                        if st not in (403, 404):
                            problems.append(f"{cur}: {st} to a caller without the personal-data right (want 403/404)")
                        if added:
                            problems.append(f"{cur}: {added} pii.read events added by a refused read")
                if pii_route and user in PII_HOLDER and st == 200:
                    for w in check_pii_200(user, ent[0], ent[1], body):
                        problems.append(f"{cur} ({KEY_OF.get(ent, ent)}): {w}")
                    continue
                f = []
                scan(body, f, resident=user in RESIDENTS)
                findings += [(cur, kp, what, ex) for kp, what, ex in f]
                if isinstance(body, dict) and cur.startswith(path + "?limit=200"):
                    noun = pattern.rstrip("/").rsplit("/", 1)[-1]
                    seen_in_lists.setdefault((user, noun), set()).update(
                        i.get("id") for i in body.get("items") or [] if isinstance(i, dict))
                    if body.get("has_more") and len(body.get("items") or []) > 0:
                        off = int(cur.rsplit("=", 1)[1]) + 200
                        if off < 20000:
                            pages.append(f"{path}?limit=200&offset={off}")
    return n, problems + summarise(findings)


def summarise(findings):
    """One line per (what, key path pattern, request path without query), with one example each:
    a planted datum seen in the plain list, the counted list and every page is one line."""
    groups = {}
    for cur, kp, what, ex in findings:
        kpp = re.sub(r"\[\d+\]", "[]", kp)
        curp = cur.split("?")[0]
        key = (what, kpp, curp)
        if key not in groups:
            groups[key] = [0, cur, kp, ex]
        groups[key][0] += 1
    lines = []
    for (what, kpp, curp), (cnt, cur, kp, ex) in groups.items():
        lines.append(f"{cur} {kp}: {what}{f' (×{cnt})' if cnt > 1 else ''} «{ex}»")
    return lines


walk_failures = {}  # (user, pattern) → lines
fill_failures = []
for route in GET_ROUTES:
    try:
        fill(route["path"])
    except NoSubstitution as e:
        fill_failures.append(str(e))
qd.ok(not fill_failures, f"every GET route of GET /api/v1/routes can be walked ({len(GET_ROUTES)} routes)", fill_failures)

total_requests = 0
for user in USERS:
    for route in GET_ROUTES:
        n, lines = walk_route(user, route)
        if n is None:
            continue
        total_requests += n
        walk_failures[(user, route["path"])] = lines
        what = "401 everywhere" if user == "anonymous" else "no personal data leaves"
        if route["path"].endswith("/pii") and user in PII_HOLDER:
            what = "originals returned, each read audited once"
        elif route["path"].endswith("/pii") and user != "anonymous":
            what = "refused (403/404), not audited, nothing leaks"
        detail = None
        if lines:
            detail = "\n".join(lines[:MAX_DETAIL] + ([f"… and {len(lines) - MAX_DETAIL} more"] if len(lines) > MAX_DETAIL else []))
        qd.ok(not lines, f"{user} × GET {route['path']}: {what} ({n} responses)", detail)

# The walk saw the planted items (so the lists were really scanned), as dispatch and as each resident.
miss = []
for noun, want in (("problems", set(IDS["problems"])), ("tasks", set(IDS["tasks"])), ("visits", set(IDS["visits"]))):
    got = seen_in_lists.get(("dispatch", noun), set())
    if (noun in {r["path"].rsplit("/", 1)[-1] for r in GET_ROUTES if is_list(r)}) and want - got:
        miss.append(f"{noun}: {sorted(want - got)} not in dispatch's list")
for user, keys in (("resident", ("P4",)), ("resident2", ("P5", "P11"))):
    got = seen_in_lists.get((user, "problems"), set())
    if {P[k] for k in keys} - got:
        miss.append(f"{user}: own problems {keys} not in GET /problems")
if not ANON.get("seen"):
    miss.append("the anonymous problem was never seen by the walk")
qd.ok(not miss, "the walk paged through lists that hold the planted items (and saw the anonymous problem)", miss)
print(f"# walk: {total_requests} requests, {len(GET_ROUTES)} GET routes, {len(USERS)} callers, {time.time() - T0:.1f} s")

# ================================================================================================
# Search is no oracle.

queries = []
for d in NUMBERS:
    for q in dict.fromkeys([d["raw"], re.sub(r"[^0-9]", "", normalise(d["raw"])[0]), *d["needles"]]):
        if q and len(q) <= 50 and q not in queries:
            queries.append(q)
for d in NAMES:
    if len(d["raw"]) <= 50 and d["raw"] not in queries:
        queries.append(d["raw"])
queries.append(NAME_LATIN.replace(" ", ""))

SEARCHERS = ["analyst", "grid", "handler", "supervisor", "leader"]
CONTROL = {"/api/v1/problems": ("隐私测试甲号坑塘", P["P1"]), "/api/v1/tasks": ("隐私测试共办任务", T["T1"])}
for user in SEARCHERS:
    for base, (phrase, want) in CONTROL.items():
        st, b = S[user].get(f"{base}?q={urllib.parse.quote(phrase)}&limit=200")
        ids = [i["id"] for i in (b or {}).get("items", [])]
        qd.ok(st == 200 and want in ids, f"{user} × GET {base}?q=<an ordinary planted phrase> finds its item (control)",
              (st, ids[:10]))
        found, refused = [], 0
        for q in queries:
            st, b = S[user].get(f"{base}?q={urllib.parse.quote(q, safe='')}&limit=200")
            if st == 400 and (b or {}).get("field") == "q":
                refused += 1
                continue
            items = (b or {}).get("items")
            if st != 200 or items:
                label = next((d["label"] for d in NUMBERS if q in (d["raw"], *d["needles"])), None) or \
                    next((d["label"] for d in NAMES if q == d["raw"]), "planted digits")
                found.append(f"q={shown(q, 40)} ({label}): status {st}, "
                             f"{len(items or [])} items {[i.get('id') for i in (items or [])][:5]}")
        qd.ok(not found, f"{user} × GET {base}?q=<planted number or name> finds nothing "
              f"({len(queries)} queries{f', {refused} refused as invalid' if refused else ''})",
              "\n".join(found[:MAX_DETAIL] + ([f"… and {len(found) - MAX_DETAIL} more"] if len(found) > MAX_DETAIL else [])))

# ================================================================================================
# The pages (issue 10): every GET route of the served table outside /api/ that needs a login, as
# every caller, with every planted id substituted, and every local link a page offers followed
# (item pages, pagination, filters, CSV exports — the audit log's under /api/ too), each page's
# text and attribute values HTML-unescaped and read like the JSON strings above.  The pages have
# no reveal of their own (the audited /pii routes are the only one): a holder of the right sees
# the masked form on them as well, and walking them appends no pii.read event.  After the searches
# above, so the audit log the audit administrator's page shows holds them.

PAGE_ROUTES = [r for r in routes if r["method"] == "GET" and not r["path"].startswith("/api/") and r["auth"] == "login"]
PAGE_IDS = dict(IDS, triage=IDS["problems"], grants=IDS["users"])
FOLLOW = [(re.compile("^" + re.sub(r"\\\{[a-z_]+\\\}", "[0-9]+", re.escape(r["path"])) + "$"), r)
          for r in routes if r["method"] == "GET" and r["auth"] == "login"]
PAGE_USERS = ["admin", "security", "auditor", "dispatch", "grid", "handler", "unithead", "leader", "supervisor", "analyst",
              "resident", "resident2", "anonymous"]
for u in ("security", "auditor"):
    S.setdefault(u, sec if u == "security" else srv.login(u))
MAX_PAGES = 500  # per caller: every seed, then links to planted items first, then the others


def fill_page(pattern):
    saved = dict(IDS)
    IDS.clear()
    IDS.update(PAGE_IDS)
    try:
        return [p for p, _ in fill(pattern)]
    finally:
        IDS.clear()
        IDS.update(saved)


class PageText(html.parser.HTMLParser):
    """Every text node, attribute value, comment and JSON data block of a page, unescaped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks, self.text, self.links, self.blocks, self._script = [], [], [], [], None

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if v:
                self.chunks.append(v)
                if k in ("href", "action", "formaction") and tag in ("a", "link", "form", "button"):
                    self.links.append((tag, v))
        if tag == "script":
            self._script = dict(attrs).get("type", "")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self.blocks.append(data)
        else:
            self.text.append(data)
        self.chunks.append(data)

    def handle_comment(self, data):
        self.chunks.append(data)


def raw_get(sess, path):
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    h = {"Cookie": f"qd_session={sess.cookie}"} if sess.cookie else {}
    c.request("GET", path, headers=h)
    r = c.getresponse()
    body = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, body, hdrs


def scan_page(body, ctype, findings):
    """(links a page offers) after reading every string of it into findings (key path, what, excerpt)."""
    if ctype.startswith("text/csv"):
        for i, row in enumerate(csv.reader(io.StringIO(body.decode("utf-8-sig")))):
            for j, cell in enumerate(row):
                for label, ex in analyse(cell)[0]:
                    findings.append((f"csv[{i}][{j}]", label, ex))
        return []
    if ctype.startswith("application/json"):
        scan(json.loads(body or b"null"), findings)
        return []
    pt = PageText()
    pt.feed(body.decode("utf-8"))
    pt.close()
    for k, chunk in enumerate(pt.chunks):
        for label, ex in analyse(chunk)[0]:
            findings.append((f"html[{k}]", label, ex))
    # a name split by inline markup is still read as one (numbers are read per node: ids and dates
    # of adjacent cells would otherwise run together)
    joined = "".join(pt.text)
    nn = name_norm(joined)
    for d in NAMES:
        if d["needle"] in nn:
            findings.append(("html text", f"planted {d['label']} (across markup)", shown(d["raw"])))
    for blk in pt.blocks:
        try:
            scan(json.loads(blk), findings)
        except ValueError:
            pass
    return [v for tag, v in pt.links if tag == "a"]


def local_link(base, href):
    u = urllib.parse.urljoin(base, href)
    parts = urllib.parse.urlsplit(u)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    for rx, r in FOLLOW:
        if rx.match(parts.path):
            return parts.path + ("?" + parts.query if parts.query else "")
    return None


PLANTED_PATHS = {f"/{noun}/{x}" for noun, ids in PAGE_IDS.items() for x in ids}


def walk_pages(user):
    sess = S[user]
    seeds = [p for r in PAGE_ROUTES for p in fill_page(r["path"])]
    seeds += ["/tasks?q=" + urllib.parse.quote("隐私测试"), "/tasks.csv?q=" + urllib.parse.quote("隐私测试"),
              "/tasks?limit=200", "/tasks.csv?limit=200", "/triage?limit=200",
              f"/work?visit={V['V1']}&p={P['P3']}", "/admin/audit?limit=200"]
    first, later, seen = list(seeds), [], set()
    got, findings, problems = {}, [], []
    while (first or later) and len(seen) < MAX_PAGES:
        url = (first or later).pop(0)
        if url in seen:
            continue
        seen.add(url)
        st, body, hd = raw_get(sess, url)
        path = url.split("?")[0]
        pattern = next((r["path"] for rx, r in FOLLOW if rx.match(path)), path)
        got.setdefault(pattern, set()).add(st)
        if st >= 500:
            status_5xx.append((user, url, st))
            problems.append(f"{url}: status {st}")
        if user == "anonymous" and st not in (303, 401):
            problems.append(f"{url}: a stranger got {st}, not the way to /login")
        f = []
        links = scan_page(body, hd.get("content-type", ""), f)
        findings += [(url, kp, what, ex) for kp, what, ex in f]
        if st != 200:
            continue
        for href in links:
            nxt = local_link(url, href)
            if nxt and nxt not in seen:
                (first if nxt.split("?")[0] in PLANTED_PATHS else later).append(nxt)
    return len(seen), got, problems + summarise(findings), len(first) + len(later)


# The page reader itself: a planted number written as character references, a planted name split by
# inline markup, and one in a JSON data block with \u escapes are all found; a planted item's page
# shows its (masked) text, so the walk reads what the items hold.
num, nm = NUMBERS[0], NAMES[0]
probe_html = ("<p>" + "".join(f"&#{ord(c)};" for c in num["raw"]) + "</p><p>" + nm["raw"][:2] + "<b>" + nm["raw"][2:] +
              "</b></p><script type=\"application/json\">" + json.dumps({"x": NAMES[1]["raw"]}, ensure_ascii=True) +
              "</script><a title=\"" + "".join(f"&#x{ord(c):x};" for c in NAMES[2]["raw"]) + "\" href=\"/\">x</a>")
probe = []
scan_page(probe_html.encode(), "text/html; charset=utf-8", probe)
kinds = sorted({w for _, w, _ in probe})
qd.ok(len(kinds) >= 4, "the page reader finds planted data escaped, split by markup, in a data block and in an attribute",
      kinds)
st, body, _ = raw_get(disp, f"/tasks/{T['T1']}")
qd.ok(st == 200 and "隐私测试共办任务" in body.decode() and "共办甲户鱼塘漏水" in body.decode(),
      "the task page of a planted task shows its masked title and its problems' text (control)", st)

PAGE_STATUS = {}  # pattern → {status of any caller}
n0 = pii_reads()
for user in PAGE_USERS:
    before = pii_reads()
    n, got, lines, left = walk_pages(user)
    for pat, sts in got.items():
        PAGE_STATUS.setdefault(pat, set()).update(sts)
    added = pii_reads() - before
    if added:
        lines.append(f"walking the pages appended {added} pii.read events")
    detail = "\n".join(lines[:MAX_DETAIL] + ([f"… and {len(lines) - MAX_DETAIL} more"] if len(lines) > MAX_DETAIL else []))
    what = "nothing unmasked, no reveal" if user in PII_HOLDER else "no personal data leaves"
    if user == "anonymous":
        what = "sent to /login everywhere, nothing shown"
    qd.ok(not lines, f"{user} × the pages: {what} ({n} pages and exports{f', {left} links left unvisited' if left else ''})",
          detail or None)
unreached = sorted(r["path"] for r in PAGE_ROUTES if 200 not in PAGE_STATUS.get(r["path"], set()))
qd.ok(not unreached, f"every GET page route that needs a login was read (200) by some caller ({len(PAGE_ROUTES)} routes)",
      unreached)
followed = sorted(p for p in PAGE_STATUS if p.startswith("/api/"))
qd.ok("/api/v1/audit" in followed, "the walk followed the pages' links out to the exports under /api/ (the audit CSV)",
      followed)
print(f"# pages: {len(PAGE_ROUTES)} GET page routes, {len(PAGE_USERS)} callers, {time.time() - T0:.1f} s")

# ================================================================================================
# A resident sees only their own problems on a shared task.

OWN = {"resident": {P["P4"]}, "resident2": {P["P5"], P["P11"]}}
OTHER = {"resident": ["P5", "P6"], "resident2": ["P4", "P6"]}
PHRASE = {"P4": "共办甲户鱼塘漏水", "P5": "共办乙户屋顶漏雨", "P6": "不公开丙户家事纠纷"}


def strings_of(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from strings_of(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings_of(x)


for user in RESIDENTS:
    tid = T["T1"]
    st, t = S[user].get(f"/api/v1/tasks/{tid}")
    listed = [p.get("id") for p in (t or {}).get("problems", []) if isinstance(p, dict)]
    qd.ok(st == 200 and listed and set(listed) <= OWN[user],
          f"{user} × GET /api/v1/tasks/{{shared}} lists only the problems they submitted", (st, listed, sorted(OWN[user])))
    for path in (f"/api/v1/tasks/{tid}", f"/api/v1/tasks/{tid}/history"):
        st, b = S[user].get(path)
        texts = list(strings_of(b))
        leaks = [f"{k}: {what} {shown(needle)}" for k in OTHER[user]
                 for what, needle in (("tracking code", CODE[k]), ("description", PHRASE[k]))
                 if any(needle in s for s in texts)]
        qd.ok(st == 200 and not leaks, f"{user} × GET {path.replace(str(tid), '{shared}')}: nothing of the other "
              "resident's or the no_disclose problem", (st, leaks))
    others = [(k, S[user].get(f"/api/v1/problems/{P[k]}")[0]) for k in OTHER[user]]
    qd.ok(all(s == 404 for _, s in others), f"{user} × GET /api/v1/problems/{{other's}}: 404", others)

qd.ok(not status_5xx, "no request answered 5xx", status_5xx[:20])
elapsed = time.time() - T0
print(f"# the privacy test ran in {elapsed:.1f} s", flush=True)
DB.close()
qd.done()
