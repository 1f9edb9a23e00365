#!/usr/bin/env python3
"""gen_corpus.py — writes the committed seed corpora tests/fuzz/corpus/<target>/ (idempotent:
the file name is a short label plus the first 8 hex digits of the content's SHA-1, stale files
are not removed).  Run from the repository root:  tests/fuzz/gen_corpus.py

Every seed must pass its target (make fuzz-replay); inputs that crash a target are reported
(tests/fuzz/README.md) and only added here once src/ is fixed."""
import hashlib, json, os, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

def put(target, label, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    name = "%s-%s" % (label, hashlib.sha1(data).hexdigest()[:8])
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

def j(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))

# ---- fuzz_body: one valid body per body route, then edge cases ---------------------------------
B = "fuzz_body"
valid = {
    "login": {"username": "admin", "password": "correct horse battery"},
    "token": {"label": "夜间导入脚本", "days": 90},
    "token-empty": {},
    "unit": {"parent_id": 1, "name": "青山村", "kind": "village", "peer_group": "north"},
    "category": {"parent_id": 2, "name": "道路交通"},
    "user": {"username": "li.wei", "display_name": "李伟", "unit_id": 3, "password": "s3cret-pass"},
    "grant": {"role": "handler", "unit_id": 3},
    "grant-pii": {"role": "pii", "unit_id": 1},
    "calendar": {"date": "2025-10-01", "kind": "holiday", "name": "国庆节"},
    "calendar-leap": {"date": "2024-02-29", "kind": "workday"},
    "limits": {"urgency": "urgent", "respond": 1, "complete": 5, "max_extensions": 1},
    "visit": {"unit_id": 7, "visited_on": "2025-03-14", "household": "张*家", "note": "屋顶漏雨\n需要维修\t(两处)"},
    "problem": {"unit_id": 7, "category_id": 3, "source": "visit",
                "description": "村口路灯坏了三盏，晚上出行不便。",
                "reporter": {"name": "张三", "phone": "+86 138 0013 8000", "id_no": "11010519491231002X",
                             "address": "青山村三组12号"},
                "anonymous": False, "no_disclose": False, "visit_id": 4},
    "problem-immediate": {"unit_id": 7, "description": "水管漏水", "tier": "immediate",
                          "measures": "当场关闭阀门并更换接头"},
    "problem-nullrep": {"unit_id": 7, "description": "垃圾清运不及时", "reporter": None, "source": "hotline"},
    "merge": {"into": 12},
    "decline": {"reason": "不属于本级职责范围，已告知向县住建局反映"},
    "task": {"problem_ids": [1, 2, 3], "title": "修复村口路灯", "measures": "联系供电所更换灯具",
             "tier": "scheduled", "urgency": "normal", "unit_id": 5, "handler_id": 9, "leader_id": 2},
    "action-progress": {"note": "已联系施工队", "progress": 40},
    "action-complete": {"outcome": "resolved", "note": "路灯已更换"},
    "action-extension": {"days": 10, "reason": "材料未到货"},
    "action-followup": {"solved": True, "satisfaction": "satisfied"},
    "action-signoff": {"exception": True, "reason": "经核实属历史遗留问题"},
    "action-assign": {"unit_id": 5, "handler_id": 9, "leader_id": 2, "urgency": "complex"},
}
for k, v in valid.items():
    put(B, "ok-" + k, j(v))

edge = {
    # numbers
    "huge-int": '{"unit_id":99999999999999999999999,"description":"x"}',
    "int64-max": '{"days":9223372036854775807}',
    "int64-min": '{"days":-9223372036854775808}',
    "real-overflow": '{"unit_id":1e400}',
    "real-one": '{"into":1.0}',
    "neg-zero": '{"into":-0}',
    "exp": '{"progress":1E2}',
    "range-edge": '{"urgency":"normal","respond":30,"complete":365,"max_extensions":5}',
    "range-over": '{"urgency":"normal","respond":31,"complete":0,"max_extensions":-1}',
    # strings
    "nul-escape": '{"username":"a\\u0000b","password":"x"}',
    "nul-key": '{"a\\u0000":1}',
    "surrogate-pair": '{"reason":"\\ud83d\\ude00 笑"}',
    "lone-surrogate": '{"reason":"\\ud800"}',
    "ctl-in-str": '{"title":"a\\tb","problem_ids":[1]}',
    "del-in-text": '{"reason":"abc\\u007f"}',
    "blank-required": '{"reason":"  \\n\\t "}',
    "fullwidth-phone": j({"unit_id": 1, "description": "热线来电",
                          "reporter": {"phone": "＋８６ １３８ ００１３ ８０００"}}),
    "plus86-landline": j({"unit_id": 1, "description": "d", "reporter": {"phone": "+86-0755-8888-9999"}}),
    "nested-unknown": j({"unit_id": 1, "description": "d", "reporter": {"qq": "12345"}}),
    "name-64": j({"parent_id": 1, "name": "村" * 64, "kind": "village"}),
    "name-65": j({"parent_id": 1, "name": "村" * 65, "kind": "village"}),
    "emoji-count": j({"label": "😀" * 100}),
    "enum-case": '{"role":"Admin","unit_id":1}',
    "enum-prefix": '{"role":"admi","unit_id":1}',
    "date-bad": '{"date":"2023-02-29","kind":"holiday"}',
    "date-fullwidth": j({"date": "２０２５-１０-０１", "kind": "holiday"}),
    "date-1900": '{"date":"1900-01-01","kind":"ordinary"}',
    "date-2200": '{"date":"2200-01-01","kind":"ordinary"}',
    # arrays and objects
    "ids-dup": '{"problem_ids":[1,1],"title":"t"}',
    "ids-empty": '{"problem_ids":[],"title":"t"}',
    "ids-zero": '{"problem_ids":[0],"title":"t"}',
    "ids-101": j({"problem_ids": list(range(1, 102)), "title": "t"}),
    "ids-mixed": '{"problem_ids":[1,"2",null,3.0],"title":"t"}',
    "dup-key": '{"into":1,"into":2}',
    "null-required": '{"into":null}',
    "bool-as-int": '{"solved":1,"exception":"true"}',
    "obj-as-str": '{"unit_id":1,"description":"d","reporter":"张三"}',
    # documents
    "empty": "",
    "null": "null",
    "array": "[]",
    "string": '"{}"',
    "trailing": '{} x',
    "bom": "\ufeff{}",
    "deep-array": "[" * 3000 + "]" * 3000,
    "deep-object": '{"reporter":' * 200 + "{}" + "}" * 200,
    "unicode-key": j({"描述": "中文键"}),
    "ws": " \t\r\n{ \"into\" : 7 } \n",
}
for k, v in edge.items():
    put(B, "edge-" + k, v)
# invalid UTF-8 (raw bytes; the router refuses them before jansson)
for k, v in {
    "bad-utf8-ff": b'{"name":"\xff\xfe"}',
    "bad-utf8-overlong": b'{"reason":"\xc0\xaf"}',
    "bad-utf8-surrogate": b'{"reason":"\xed\xa0\x80"}',
    "bad-utf8-truncated": b'{"reason":"\xe4\xb8"}',
    "bad-utf8-above-max": b'{"reason":"\xf4\x90\x80\x80"}',
    "raw-nul": b'{"reason":"a\x00b"}',
}.items():
    put(B, "edge-" + k, v)

# ---- fuzz_query ---------------------------------------------------------------------------------
Q = "fuzz_query"
for k, v in {
    "page": "limit=50&offset=0&count=true",
    "problems": "unit_id=3&state=assigned&category_id=7&q=%E8%B7%AF%E7%81%AF",
    "tasks": "due_before=2025-12-31&overdue=1&tier=scheduled&handler_id=9&q=%E4%BF%AE",
    "year": "year=2025",
    "plus": "q=+86+138",
    "chinese-raw": "q=张三",
    "nul": "limit=%00",
    "nul-key": "li%00mit=5",
    "dup": "unit_id=1&unit_id=2",
    "bad-utf8": "q=%FF%FE",
    "neg": "limit=-1",
    "big": "limit=99999999999999999999",
    "space": "limit=+5",
    "zero-id": "handler_id=0",
    "bare": "count",
    "empties": "&&&",
    "bool-word": "count=yes",
    "date-bad": "due_before=2025-02-30",
    "long-q": "q=" + "%E8%B7%AF" * 51,
    "unknown": "foo=bar",
}.items():
    put(Q, k, v)

# ---- fuzz_path (valid UTF-8 only until known finding 2 is fixed) ---------------------------------
P = "fuzz_path"
for k, v in {
    "task-action": "/api/v1/tasks/12/complete",
    "task-history": "tasks/1/history",
    "pii": "/api/v1/problems/7/pii",
    "grants": "users/3/grants",
    "id-zero": "users/0/grants",
    "id-leading-zero": "tasks/007/accept",
    "id-max": "tasks/1000000000000009/accept",
    "id-over": "tasks/1000000000000010/accept",
    "empty-seg": "/api/v1/tasks//accept",
    "upper-word": "tasks/1/Complete",
    "word-39": "tasks/1/" + "a" * 39,
    "word-40": "tasks/1/" + "a" * 40,
    "trailing-slash": "/api/v1/tasks/",
    "date-leap": "2024-02-29",
    "date-nonleap": "2023-02-29",
    "date-min": "1900-01-01",
    "date-max": "2199-12-31",
    "date-over": "2200-01-01",
    "date-short": "2025-1-01",
    "date-fullwidth": "２０２５-１０-０１",
    "mobile": "13800138000",
    "mobile-86": "+86 138 0013 8000",
    "mobile-fw": "１３８００１３８０００",
    "mobile-fwplus": "＋８６　１３８－００１３－８０００",
    "landline": "010-12345678",
    "landline-86": "86 0755 8888 9999",
    "idno-x": "11010519491231002X",
    "idno-lower": "11010519491231002x",
    "idno-bad": "110105194912310021",
    "emoji": "😀 路灯",
    "cal-shipped": b"\x10\x02\x05\x85",
    "cal-custom": b"\x20\x01\xf6\x04" + b"\x21\x01\x01" + b"\x22\x01\x02" + b"\x21\x01\x00" + b"\x27\x01\x02",
    "cal-backwards": b"\x00\x00\x80\x81",
}.items():
    put(P, k, v)

# ---- fuzz_mask -----------------------------------------------------------------------------------
M = "fuzz_mask"
for k, v in {
    "name": "张三",
    "compound": "欧阳娜娜",
    "latin": "John Smith",
    "address": "青山县河口镇青山村三组12号",
    "community": "幸福社区5栋2单元301",
    "phone-text": "张三的电话13800138000，请回电",
    "phone-spaced": "电话：+86 138-0013-8000",
    "phone-fw": "＋８６　１３８－００１３－８０００",
    "idno-text": "身份证11010519491231002X已核实",
    "digits-12": "订单号123456789012",
    "money": "补助金额2000元，2025年发放",
    "empty": "",
    # separators, digit forms, Chinese numerals (core/mask.h)
    "sep-dots": "电话138.1234.5678",
    "sep-zw": "138\u200b1234\u20605678\ufeff",
    "sep-mixed": "拨 138 - 1234 _ 5678，或(0716)1234567、（027）8765 4321",
    "sep-four": "号码138 ) ( 1234",
    "digits-circled": "①③⑧①②③④⑤⑥⑦⑧，⑴⑶⑻，⒈⒊⒏",
    "digits-scripts": "𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖 ١٣٨١٢٣٤٥٦٧٨ ❶❸❽",
    "cn-phone": "幺三八一二三四五六七八，一三八 一二三四 五六七八",
    "cn-short": "三三两两，一二三，二〇二二年七月",
    "id-x": "身份证 421023 19900101 123X，旧证421023900101123",
    "card-19": "卡号6222 0212 3456 7890 123",
    "unknown": "座机8765 4321，编号1234567",
    "amounts": "投资12345.67万元，￥1234567，3000000吨，95%，1,234,567元",
    "dates": "20220701 2022-07-01 2022.07.01 2021、2022、2023年 10:30",
    "intl": "伦敦+44 20 7946 0958",
    "glued": "编号66＋8613812345678，13812345678一直打不通",
    "names": "张三说张 三和张小明、小明、欧阳娜娜、John Smith都来了",
    "label": "3组李四户",
    "label-phone": "李四家 13812345678",
    "masked": "电话138****5678，座机0716-****4567，【已隐藏】",
}.items():
    put(M, k, v)

# ---- fuzz_payload: stored event payloads (store/payload.h): format 1 (deflate, dictionary 1) as
# the writer did, format 2 (zstd) as it does, and broken ways of being one -------------------------------------------------------
import re, zlib
P = "fuzz_payload"
def event_dict():
    src = open(os.path.join(ROOT, "..", "..", "..", "src", "store", "event_dict.c"), encoding="utf-8").read()
    s = "".join(re.findall(r'^\t"(.*)"[;]?$', src, re.M))
    out, i = bytearray(), 0
    while i < len(s):
        if s[i] == "\\":
            if s[i + 1] in "01234567":
                out.append(int(s[i + 1:i + 4], 8)); i += 4
            else:
                out.append(ord(s[i + 1])); i += 2
        else:
            out.append(ord(s[i])); i += 1
    return bytes(out)
D1 = event_dict()
def pack(text, level=6):
    c = zlib.compressobj(level, zlib.DEFLATED, -12, 6, zlib.Z_DEFAULT_STRATEGY, zdict=D1)
    return b"\x01" + c.compress(text.encode("utf-8")) + c.flush()
payloads = {
    "accept": j({"action": "accept", "from": "assigned", "note": {"sealed": "q83v" * 12},
                 "rows": {"task": {"id": 7, "responded_on": "2026-11-30", "state": "in_progress"}}, "to": "in_progress"}),
    "problem-create": j({"rows": {"problem": {"category_id": 8, "code": "222CX6ANDF", "created_by": 104,
                         "description": {"sealed": "whYRt3i8tPiTNQGX" * 6}, "id": 4, "reporter_masked": "汪**",
                         "source": "visit", "state": "new", "unit_id": 322, "unit_path": "/1/317/322/"}}}),
    "empty-object": "{}",
    "long": j({"rows": {"x": "清单" * 5000}}),
}
for label, text in payloads.items():
    put(P, label, pack(text))
    put(P, label + "-l1", pack(text, 1))
good = pack(payloads["accept"])
put(P, "truncated", good[:-3])
put(P, "trailing", good + b"\x00")
put(P, "unknown-dict", b"\x07" + good[1:])
put(P, "flipped", good[:9] + bytes([good[9] ^ 0xFF]) + good[10:])
put(P, "empty", b"")
put(P, "dict-only", b"\x01")
put(P, "stored-block", b"\x01" + bytes([1, 5, 0, 0xFA, 0xFF]) + b"{}\x00ab")  # a NUL inside the text
put(P, "ratio", b"\x01" + zlib.compress(b"a" * 300000, 9)[2:-4])  # raw stream without the dictionary
# format 2 (written now): a zstd frame without its magic, made with the zstd CLI and the committed
# trained dictionary (src/store/event_dict_zstd.c), as payload.c writes it
import subprocess, tempfile
def zdict():
    src = open(os.path.join(ROOT, "..", "..", "..", "src", "store", "event_dict_zstd.c"), encoding="utf-8").read()
    return bytes(int(h, 16) for h in re.findall(r"0x([0-9a-f]{2})", src.split("= {", 1)[1]))
with tempfile.NamedTemporaryFile() as df:
    df.write(zdict()); df.flush()
    def zpack(text, level=5):
        # from a file, not a pipe: the CLI then writes the content size, as payload.c does (and
        # payload_unpack requires)
        with tempfile.NamedTemporaryFile() as tf:
            tf.write(text.encode("utf-8")); tf.flush()
            out = subprocess.run(["zstd", "-q", f"-{level}", "-c", "-D", df.name, "--no-check", "--no-dictID", tf.name],
                                 capture_output=True, check=True).stdout
        assert out[:4] == b"\x28\xb5\x2f\xfd"
        return b"\x02" + out[4:]
    for label, text in payloads.items():
        put(P, "z-" + label, zpack(text))
    zg = zpack(payloads["accept"])
put(P, "z-truncated", zg[:-3])
put(P, "z-trailing", zg + b"\x00")
put(P, "z-flipped", zg[:9] + bytes([zg[9] ^ 0xFF]) + zg[10:])
put(P, "z-format-only", b"\x02")
# a frame header claiming 2^40 bytes of text (single segment, 8-byte size), then a raw block
put(P, "z-huge-claim", b"\x02\xe0" + (1 << 40).to_bytes(8, "little") + b"\x11\x00\x00" + b"ab")

# ---- fuzz_sql_params: the store's SQL as SQLite writes its parameters (store/sql_params.h), and
# the forms it must refuse --------------------------------------------------------------------
Q = "fuzz_sql_params"
for label, text in {
    "plain": "SELECT id FROM \"user\" WHERE username=?",
    "numbered": "UPDATE credential SET failed=failed+1, locked_until=CASE WHEN failed+1>=?2 THEN ?3 ELSE locked_until END WHERE user_id=?1",
    "mixed": "?2 ?3 ?1 ?",
    "quoted": "SELECT '?' || ? || 'it''s ?', \"a?b\" FROM t -- ?\nWHERE x=? /* ?1 */",
    "escape": "t.title LIKE ? ESCAPE '\\' OR t.measures LIKE ? ESCAPE '\\'",
    "cast": "SELECT x::text, CAST(? AS bigint)",
    "named": "SELECT :name, @x, $y",
    "open-string": "SELECT 'open",
    "open-comment": "SELECT /* open",
    "zero": "SELECT ?0",
    "big": "SELECT ?32768",
}.items():
    put(Q, label, text.encode("utf-8"))

# ---- fuzz_head: lines of a heads file and of a public key file (store/sign.h), valid and broken --
H = "fuzz_head"
head = {"v": 1, "seq": 2146, "hash": "f7e41b8d0f07cab139ab60a48818bc43a4deb6cb8ec8f133a44dd97a1d99304a",
        "at": 1796213963411, "key": "407736ede49f30b2", "sig": "ad" * 64}
put(H, "ok-head", j(head))
put(H, "ok-head-spaced", json.dumps(head))
for label, change in {"seq-0": {"seq": 0}, "seq-str": {"seq": "1"}, "v2": {"v": 2}, "at-neg": {"at": -1},
                      "hash-upper": {"hash": head["hash"].upper()}, "hash-short": {"hash": head["hash"][:-1]},
                      "sig-short": {"sig": "ad" * 63}, "key-long": {"key": "407736ede49f30b200"},
                      "extra": {"extra": True}, "seq-huge": {"seq": 2 ** 63}}.items():
    put(H, "bad-" + label, j(dict(head, **change)))
put(H, "bad-missing", j({k: v for k, v in head.items() if k != "sig"}))
put(H, "bad-dup", j(head)[:-1] + ',"seq":1}')
put(H, "bad-array", "[1,2,3]")
put(H, "bad-nul", j(head)[:20] + "\u0000" + j(head)[20:])
put(H, "bad-long", '{"v":1,"pad":"' + "x" * 1100 + '"}')
put(H, "ok-pub", "407736ede49f30b2" * 4)
put(H, "ok-pub-spaces", "  " + "0123456789abcdef" * 4 + " \r")
put(H, "ok-pub-comment", "# the key before the rotation")
put(H, "bad-pub-upper", "407736EDE49F30B2" * 4)
put(H, "bad-pub-65", "407736ede49f30b2" * 4 + "0")

# ---- fuzz_cookie: a size byte, the name asked for, NUL, a Cookie header (web/cookie.h) ----------
C = "fuzz_cookie"
for label, size, name, header in [
        ("ok-session", 64, "qd_session", "qd_session=mAbc-DEF_123xyz; qd_lang=en"),
        ("ok-among", 64, "qd_pre", "theme=dark; qd_pre=0123456789abcdef0123456789abcdef; x=1"),
        ("ok-quoted", 16, "a", 'a="quoted"; b=2'),
        ("ok-empty-value", 8, "a", "a=; b=1"),
        ("ok-octets", 64, "u", "u=!#$%&'()*+-./:<=>?@[]^_`{|}~"),
        ("ok-other-dup", 8, "qd_elder", "x=1; x=2; qd_elder=1"),
        ("bad-dup", 64, "qd_session", "qd_session=mine; qd_session=planted"),
        ("bad-no-space", 8, "a", "a=1;b=2"),
        ("bad-trailing", 8, "a", "a=1; "),
        ("bad-comma", 8, "a", "a=1, b=2"),
        ("bad-space-value", 8, "a", "a=x y"),
        ("bad-open-quote", 8, "a", 'a="x'),
        ("bad-ctl", 8, "a", "a=x\x01"),
        ("bad-utf8", 8, "a", "a=\u00e9"),
        ("bad-name", 8, "a", "a(b)=1; a=2"),
        ("long-exact", 8, "a", "a=1234567"),
        ("long-over", 8, "a", "a=12345678"),
        ("zero-size", 0, "a", "a=1"),
        ("empty", 8, "a", ""),
        ("many", 16, "c99", "; ".join(f"c{i}=v{i}" for i in range(200)))]:
    put(C, label, bytes([size]) + name.encode() + b"\0" + header.encode("utf-8"))

# ---- fuzz_form: urlencoded bodies (web/form.h) --------------------------------------------------
F = "fuzz_form"
for label, body in {
        "ok-login": "username=grid&password=qingdan-demo&csrf=0123456789abcdef0123456789abcdef",
        "ok-visit": "unit_id=7&visited_on=2025-03-14&household=%E5%BC%A0*%E5%AE%B6&note=%E5%B1%8B%E9%A1%B6+%E6%BC%8F%E9%9B%A8%0D%0A",
        "ok-problem-reporter": "unit_id=7&description=x&reporter.name=%E6%9D%8E&reporter.phone=13800000000",
        "ok-ids-repeated": "problem_ids=3&problem_ids=5&problem_ids=8,9",
        "ok-bool": "solved=on&urgent=0&x=true",
        "ok-empty-values": "unit_id=&note=&days=",
        "ok-empty": "",
        "bad-percent": "note=a%2",
        "bad-percent-hex": "note=%zz",
        "bad-nul": "note=a%00b",
        "bad-utf8": "note=%C3%28",
        "bad-raw-space": "note=a b",
        "bad-raw-utf8": "note=\u8def",
        "bad-no-eq": "note",
        "bad-amp-amp": "a=1&&b=2",
        "bad-trailing-amp": "a=1&",
        "bad-name": "a[]=1",
        "bad-int": "unit_id=7x&days=abc",
        "bad-csrf-twice": "csrf=a&csrf=b",
        "bad-repeated": "description=a&description=b",
        "long-name": "n" * 64 + "=1",
        "many-fields": "&".join(f"f{i}=1" for i in range(257)),
}.items():
    put(F, label, body)

# ---- fuzz_multipart: a Content-Type, NUL, a multipart/form-data body (web/multipart.h) ----------
M = "fuzz_multipart"
CT = "multipart/form-data; boundary=----WebKitFormBoundaryA1b2"
BD = "------WebKitFormBoundaryA1b2"
def part(name, data, filename=None, ctype=None):
    h = f'Content-Disposition: form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
    return (f"{BD}\r\n{h}\r\n" + (f"Content-Type: {ctype}\r\n" if ctype else "") + "\r\n").encode() + data + b"\r\n"
def mp(label, body, ct=CT):
    put(M, label, ct.encode() + b"\0" + body)
mp("ok-form", part("title", "路灯坏了".encode()) + part("problem_ids", b"3") + part("problem_ids", b"4") +
   part("csrf", b"0123456789abcdef0123456789abcdef") + (BD + "--\r\n").encode())
mp("ok-empty-file", part("note", b"x") + part("photo", b"", filename="", ctype="application/octet-stream") + (BD + "--").encode())
mp("ok-file", part("photo", b"\xff\xd8\xff\xe0\0\x10JFIF", filename="路灯.jpg", ctype="image/jpeg") + (BD + "--").encode())
mp("ok-quoted-boundary", b'--a b\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n--a b--', ct='multipart/form-data; boundary="a b"')
mp("ok-no-parts", (BD + "--").encode())
mp("bad-preamble", b"junk\r\n" + part("a", b"1") + (BD + "--").encode())
mp("bad-no-close", part("a", b"1"))
mp("bad-epilogue", part("a", b"1") + (BD + "--garbage").encode())
mp("bad-no-name", (BD + "\r\nContent-Disposition: form-data\r\n\r\n1\r\n" + BD + "--").encode())
mp("bad-cte", (BD + '\r\nContent-Disposition: form-data; name="a"\r\nContent-Transfer-Encoding: base64\r\n\r\nMQ==\r\n' + BD + "--").encode())
mp("bad-filename-star", (BD + "\r\nContent-Disposition: form-data; name=\"a\"; filename*=UTF-8''x\r\n\r\n1\r\n" + BD + "--").encode())
mp("bad-header-long", (BD + '\r\nContent-Disposition: form-data; name="a"\r\nX: ' + "h" * 3000 + "\r\n\r\n1\r\n" + BD + "--").encode())
mp("bad-boundary-71", b"--" + b"b" * 71 + b"\r\n", ct="multipart/form-data; boundary=" + "b" * 71)
mp("bad-no-boundary", part("a", b"1"), ct="multipart/form-data")
mp("bad-nul-text", part("title", b"a\0b") + (BD + "--").encode())
mp("many-parts", b"".join(part(f"f{i}", b"1") for i in range(257)) + (BD + "--").encode())
