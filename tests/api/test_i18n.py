"""The message catalogs (i18n/zh_CN/*.txt, i18n/en/*.txt): both have the same keys (a page is
never half translated), no key is given twice, every line is `key = text`; every message key a
page names as a literal — tr(r, "…"), tr_lang(lang, elder, "…"), tr_code(r, "vocab", "code") —
is in both catalogs; a 适老化 variant "<key>.elder" has its ordinary message; and every file of
one language has its counterpart of the same name in the other.  (That every code of src/core's
vocabularies has a name is tests/unit/test_i18n.c's.)  No server: the catalogs are read as
scripts/embed reads them."""
import os, re
import qd

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
LANGS = ("zh_CN", "en")
KEY = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)+$")


def load(lang):
    msgs, problems = {}, []
    d = os.path.join(ROOT, "i18n", lang)
    for name in sorted(os.listdir(d)):
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(d, name), encoding="utf-8") as f:
            for n, raw in enumerate(f, 1):
                line = raw.strip()
                if not line or line.startswith("#"):
                    continue
                k, sep, v = line.partition("=")
                k, v = k.strip(), v.strip()
                if not sep or not KEY.match(k) or not v:
                    problems.append(f"{lang}/{name}:{n}: {line!r}")
                elif k in msgs:
                    problems.append(f"{lang}/{name}:{n}: {k} given twice")
                else:
                    msgs[k] = (v, name)
    return msgs, problems


cats = {}
for lang in LANGS:
    cats[lang], problems = load(lang)
    qd.ok(not problems, f"i18n/{lang}: every line is `key = text`, no key twice ({len(cats[lang])} messages)", problems)
    qd.ok(len(cats[lang]) > 50, f"i18n/{lang} has messages", len(cats[lang]))

zh, en = cats["zh_CN"], cats["en"]
only_zh, only_en = sorted(set(zh) - set(en)), sorted(set(en) - set(zh))
qd.ok(not only_zh, "every Chinese message has its English one", only_zh)
qd.ok(not only_en, "every English message has its Chinese one", only_en)
files = {lang: sorted(n for n in os.listdir(os.path.join(ROOT, "i18n", lang)) if n.endswith(".txt")) for lang in LANGS}
qd.ok(files["zh_CN"] == files["en"], "the two catalogs have the same files", files)
moved = sorted(k for k in set(zh) & set(en) if zh[k][1] != en[k][1])
qd.ok(not moved, "a key is in the file of the same name in both", moved)
orphans = sorted(k for k in set(zh) | set(en) if k.endswith(".elder") and k[:-6] not in zh)
qd.ok(not orphans, "every 适老化 variant <key>.elder has its ordinary message", orphans)


def calls(text, fn):
    """The argument text of every call fn( … ) in text (parentheses matched, strings skipped)."""
    for m in re.finditer(r"\b" + fn + r"\s*\(", text):
        i, depth, start = m.end(), 1, m.end()
        while i < len(text) and depth:
            c = text[i]
            if c == '"':
                i += 1
                while i < len(text) and text[i] != '"':
                    i += 2 if text[i] == "\\" else 1
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            i += 1
        yield text[start:i - 1]


def split_args(args):
    out, depth, cur, i = [], 0, "", 0
    while i < len(args):
        c = args[i]
        if c == '"':
            j = i + 1
            while j < len(args) and args[j] != '"':
                j += 2 if args[j] == "\\" else 1
            cur += args[i:j + 1]
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += c
        i += 1
    out.append(cur.strip())
    return out


literal = re.compile(r'"((?:[^"\\]|\\.)*)"')
def top_level(arg):
    """The argument without the calls nested in it: tr(r, f(x, "a") ? "k1" : "k2") names k1 and
    k2, not "a" (a JSON member name read to choose between them)."""
    while True:
        out = re.sub(r"\b[A-Za-z_]\w*\s*\((?:[^()\"]|\"(?:[^\"\\]|\\.)*\")*\)", "0", arg)
        if out == arg:
            return out
        arg = out


used, missing = set(), []
for dirpath, _, names in os.walk(os.path.join(ROOT, "src")):
    for name in names:
        if not name.endswith(".c"):
            continue
        path = os.path.join(dirpath, name)
        rel = os.path.relpath(path, ROOT)
        text = open(path, encoding="utf-8").read()
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # not the examples in comments
        keys = []
        for fn, at in (("tr", 1), ("tr_lang", 2)):
            for args in calls(text, fn):
                a = split_args(args)
                if len(a) > at:
                    keys += literal.findall(top_level(a[at]))  # both arms of a ?: too
        for fn, at in (("tr_code", 1), ("tr_code_lang", 2)):
            for args in calls(text, fn):
                a = split_args(args)
                if len(a) > at + 1:
                    v, c = literal.findall(top_level(a[at])), literal.findall(top_level(a[at + 1]))
                    if v and c:
                        keys += [f"{v[0]}.{x}" for x in c]
        for k in keys:
            used.add(k)
            for lang in LANGS:
                if k not in cats[lang]:
                    missing.append(f"{rel}: {k} not in i18n/{lang}")
qd.ok(len(used) >= 20, f"{len(used)} message keys named as literals in src/", sorted(used))
qd.ok(not missing, "every message key named in src/ is in both catalogs", missing)
qd.done()
