#!/usr/bin/env python3
"""Generators and comparators for compat-tests/abi-check.sh.

The cases are always derived from the *system* db.h (libdb 5.3.28) and then
compiled against both headers, so that every record, member, typedef,
constant and prototype libdb declares is checked in Tern's header.

Subcommands (all paths explicit; the shell script drives them):

  cases     --ast SYS.json --header SYS_DB_H --macros SYS.dM --out DIR
            writes DIR/members.c (records, members, member types, typedefs,
            prototypes), DIR/intprobe.c (integer-constant candidates) and
            DIR/manifest.json (what is compared, for the summary counts).
  consts    --ast SYS.json --header SYS_DB_H --macros SYS.dM --ok NAMES --out DIR
            writes DIR/consts.c from the integer macros that survived the
            probe (NAMES, one per line), the enumerators and the string macros.
  inventory --ast X.json --header X_DB_H --macros X.dM
            prints a normalised, location-free listing of what a header
            declares (records with member types, typedefs, enums, prototypes,
            macro definitions) for a textual comparison.
  layout    DUMP HEADER...
            normalises a clang -fdump-record-layouts dump (paths, addresses).
  tokens    SYSTEM_DB_H TERN_DB_H
            compares the two headers token by token (comments and layout
            ignored, the two intentional strings masked).
  compare   LABEL SYSTEM_FILE TERN_FILE
            compares two keyed listings ("kind label name=value...",
            "key : value" or "record :: row"); prints each difference and the
            number of differences on the last line as "differences N".
"""
import json
import os
import re
import sys

# The two strings that intentionally name Tern; their version numbers are
# still compared.
INTENTIONAL_STRINGS = {"DB_VERSION_STRING", "DB_VERSION_FULL_STRING"}

ANON_RE = re.compile(r"\((?:unnamed|anonymous)(?: (?:struct|union|enum))? at [^)]*\)")


# --------------------------------------------------------------------------
# AST helpers


def load_ast(path):
    with open(path) as f:
        return json.load(f)


def top_level_in_header(ast, header):
    """Top-level declarations whose location is in HEADER.

    Clang's JSON only names the file when it changes, so the current file is
    tracked through every location in document order."""
    header = os.path.realpath(header)
    state = {"file": None}

    def scan(obj):
        if isinstance(obj, dict):
            if "file" in obj and isinstance(obj["file"], str):
                state["file"] = obj["file"]
            for k, v in obj.items():
                if k not in ("inner", "includedFrom"):
                    scan(v)
            for v in obj.get("inner", []):
                scan(v)
        elif isinstance(obj, list):
            for v in obj:
                scan(v)

    out = []
    for node in ast.get("inner", []):
        loc = node.get("loc", {})
        scan(loc)
        f = state["file"]
        # A declaration written by a macro: its expansion location counts.
        if f is not None and os.path.realpath(f) == header:
            out.append(node)
        for k, v in node.items():
            if k != "loc":
                scan(v)
    return out


def is_anon_type(qt):
    return bool(ANON_RE.search(qt))


def norm_type(qt):
    return ANON_RE.sub("(anonymous)", qt)


def fields_of(node):
    """(name, qualType, is_bitfield, anonymous record node or None) for each
    field of a record node; a field of anonymous record type belongs to the
    anonymous record defined just before it."""
    out = []
    last_anon = None
    for ch in node.get("inner", []):
        k = ch.get("kind")
        if k == "RecordDecl" and ch.get("completeDefinition") and not ch.get("name"):
            last_anon = ch
        elif k == "FieldDecl":
            qt = ch["type"]["qualType"]
            anon = last_anon if is_anon_type(qt) else None
            out.append((ch.get("name", ""), qt, bool(ch.get("isBitfield")), anon))
    return out


class Record:
    def __init__(self, kind, cname, label):
        self.kind = kind          # struct / union
        self.cname = cname        # C spelling usable in sizeof/offsetof, or None
        self.label = label        # stable, location-free name
        self.fields = []          # (label_path, c_path, qualType, is_bitfield, anon_record)


def collect(ast, header):
    """Records (including nested and anonymous ones), typedefs, enums and
    functions declared by HEADER, in declaration order."""
    nodes = top_level_in_header(ast, header)
    records = []      # Record, in order
    typedefs = []     # (name, qualType, desugaredQualType)
    enums = []        # (label, cname or None, [enumerators])
    functions = []    # (name, qualType)
    seen_defs = set()

    def walk_record(node, cname, label):
        rec = Record(node.get("tagUsed", "struct"), cname, label)
        records.append(rec)
        for ch in node.get("inner", []):
            if ch.get("kind") == "RecordDecl" and ch.get("completeDefinition") and ch.get("name"):
                # A named nested record is a file-scope tag in C.
                lab = "%s %s" % (ch.get("tagUsed", "struct"), ch["name"])
                if lab not in seen_defs:
                    seen_defs.add(lab)
                    walk_record(ch, lab, lab)
        rec.fields = fields_of(node)
        return rec

    def label_of(node):
        return "%s %s" % (node.get("tagUsed", "struct"), node["name"])

    pending_top_anon = None
    for i, node in enumerate(nodes):
        k = node.get("kind")
        if k == "RecordDecl":
            if not node.get("completeDefinition"):
                continue
            if node.get("name"):
                lab = label_of(node)
                if lab in seen_defs:
                    continue
                seen_defs.add(lab)
                walk_record(node, lab, lab)
            else:
                pending_top_anon = node
        elif k == "TypedefDecl":
            t = node["type"]
            qt = t["qualType"]
            typedefs.append((node["name"], qt, t.get("desugaredQualType", qt)))
            # "typedef struct { ... } NAME;": the record is reached through
            # the typedef name.
            owned = [ch.get("ownedTagDecl", {}).get("id") for ch in node.get("inner", [])]
            if pending_top_anon is not None and (pending_top_anon["id"] in owned or is_anon_type(qt)):
                walk_record(pending_top_anon, node["name"],
                            "%s %s" % (pending_top_anon.get("tagUsed", "struct"), node["name"]))
            pending_top_anon = None
            # Anonymous enum named by a typedef.
            for ch in node.get("inner", []):
                owned = ch.get("ownedTagDecl")
                if owned and owned.get("kind") == "EnumDecl" and not owned.get("name"):
                    for e in enums:
                        if e["id"] == owned["id"]:
                            e["label"] = "typedef " + node["name"]
                            e["cname"] = node["name"]
        elif k == "EnumDecl":
            consts = [c["name"] for c in node.get("inner", []) if c.get("kind") == "EnumConstantDecl"]
            if not consts:
                continue
            name = node.get("name")
            enums.append({"id": node["id"], "label": ("enum " + name) if name else None,
                          "cname": ("enum " + name) if name else None, "consts": consts})
        elif k == "FunctionDecl":
            functions.append((node["name"], node["type"]["qualType"]))
    for ix, e in enumerate(enums):
        if e["label"] is None:
            e["label"] = "enum <anonymous #%d>" % ix
    return records, typedefs, enums, functions


def expand_members(records):
    """Member list per top-level record: (label path, C path, qualType,
    bitfield) including the members of nested anonymous records."""
    out = []
    for rec in records:
        if rec.cname is None:
            continue
        members = []

        def add(fields, lpath, cpath):
            for name, qt, bit, anon in fields:
                lp = lpath + name if name else lpath + "<anon>"
                cp = cpath + name if name else cpath.rstrip(".")
                if name:
                    members.append((lp, cp, qt, bit))
                if anon is not None:
                    add(fields_of(anon), lp + ".", (cp + ".") if cp else "")
        add(rec.fields, "", "")
        out.append((rec, members))
    return out


INT_TYPES = re.compile(r"^(const )?(volatile )?((signed|unsigned) )?(char|short|int|long|long long|"
                       r"unsigned|short int|long int|long long int|_Bool)( int)?$")


def is_integerish(desugared):
    return bool(INT_TYPES.match(desugared)) or desugared.startswith("enum ")


# --------------------------------------------------------------------------
# Macros


def header_macro_names(header):
    names = []
    with open(header, errors="replace") as f:
        for line in f:
            m = re.match(r"\s*#\s*define\s+([A-Za-z_]\w*)", line)
            if m and m.group(1) not in names:
                names.append(m.group(1))
    return names


def read_macros(dm):
    """NAME -> (params or None, normalised definition) from clang -dM -E."""
    out = {}
    with open(dm, errors="replace") as f:
        for line in f:
            m = re.match(r"#define ([A-Za-z_]\w*)(\([^)]*\))?(?: (.*))?$", line.rstrip("\n"))
            if not m:
                continue
            body = re.sub(r"\s+", " ", (m.group(3) or "")).strip()
            out[m.group(1)] = (m.group(2), body)
    return out


def object_macros(header, dm):
    defs = read_macros(dm)
    res = []
    for n in header_macro_names(header):
        if n in defs and defs[n][0] is None and defs[n][1] != "":
            res.append((n, defs[n][1]))
    return res


# --------------------------------------------------------------------------
# Subcommands


PRELUDE = r"""/* Generated by tools/gen-abi-cases.py from the system db.h; do not edit. */
#include ABI_HEADER
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#define REC(label, T) printf("record %s size=%zu align=%zu\n", label, sizeof(T), (size_t)_Alignof(T));
#define MEM(label, T, path) printf("member %s offset=%zu size=%zu align=%zu\n", label, offsetof(T, path), sizeof(((T *)0)->path), (size_t)_Alignof(__typeof__(((T *)0)->path)));
#define MTYPE(label, T, path, ...) printf("mtype %s compatible=%d\n", label, __builtin_types_compatible_p(__typeof__(((T *)0)->path), __VA_ARGS__));
#define BITF(label, T, path) do { T s_; unsigned char *p_ = (unsigned char *)&s_; size_t i_, lo_ = (size_t)-1, n_ = 0; memset(&s_, 0, sizeof s_); s_.path = -1; for (i_ = 0; i_ < sizeof s_ * 8; i_++) if (p_[i_ / 8] >> (i_ % 8) & 1) { if (lo_ == (size_t)-1) lo_ = i_; n_++; } printf("bitfield %s bit=%zu width=%zu signed=%d\n", label, lo_, n_, (int)(s_.path < 0)); } while (0);
#define TDEF(name, T) printf("typedef %s size=%zu align=%zu\n", name, sizeof(T), (size_t)_Alignof(T));
#define TTYPE(name, T, ...) printf("ttype %s compatible=%d\n", name, __builtin_types_compatible_p(T, __VA_ARGS__));
#define TSIGN(name, T) printf("tsign %s signed=%d\n", name, (int)((T)-1 < 0));
#define FUNC(name, ...) printf("function %s compatible=%d\n", #name, __builtin_types_compatible_p(__typeof__(name), __VA_ARGS__));
#define INTC(name) printf("const %s value=%lld uvalue=%llu size=%zu signed=%d\n", #name, (long long)(name), (unsigned long long)(name), sizeof(name), (int)((__typeof__(name))-1 < 0));
#define ENUMC(name) printf("enumerator %s value=%lld\n", #name, (long long)(name));
#define STRC(name) printf("string %s value=\"%s\" size=%zu\n", #name, name, sizeof(name));
int main(void)
{
"""


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def cmd_cases(args):
    ast = load_ast(args["--ast"])
    records, typedefs, enums, functions = collect(ast, args["--header"])
    out = args["--out"]
    lines = []
    n_members = n_methods = 0
    manifest = {"structs": [], "members": [], "typedefs": [], "prototypes": [], "methods": []}
    for rec, members in expand_members(records):
        T = rec.cname
        lines.append("REC(%s, %s)" % (c_str(rec.label), T))
        manifest["structs"].append(rec.label)
        for lp, cp, qt, bit in members:
            lab = c_str("%s.%s" % (rec.label, lp))
            manifest["members"].append("%s.%s" % (rec.label, lp))
            if "(*)" in qt:
                manifest["methods"].append("%s.%s" % (rec.label, lp))
            if bit:
                lines.append("BITF(%s, %s, %s)" % (lab, T, cp))
            else:
                lines.append("MEM(%s, %s, %s)" % (lab, T, cp))
            if not is_anon_type(qt):
                lines.append("MTYPE(%s, %s, %s, %s)" % (lab, T, cp, qt))
            else:
                # A nested anonymous record: a record of its own, checked
                # through its parent's member path.
                manifest["structs"].append("%s.%s" % (rec.label, lp))
    for name, qt, dq in typedefs:
        manifest["typedefs"].append(name)
        lines.append("TDEF(%s, %s)" % (c_str(name), name))
        if not is_anon_type(dq):
            lines.append("TTYPE(%s, %s, %s)" % (c_str(name), name, dq))
        if is_integerish(dq):
            lines.append("TSIGN(%s, %s)" % (c_str(name), name))
    for e in enums:
        if e["cname"] and e["cname"].startswith("enum "):
            lines.append("TDEF(%s, %s)" % (c_str(e["cname"]), e["cname"]))
            lines.append("TSIGN(%s, %s)" % (c_str(e["cname"]), e["cname"]))
    for name, qt in functions:
        manifest["prototypes"].append(name)
        lines.append("FUNC(%s, %s)" % (name, qt))
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "members.c"), "w") as f:
        f.write(PRELUDE)
        for l in lines:
            f.write("\t" + l + "\n")
        f.write("\treturn 0;\n}\n")
    # Integer probe: a case label needs an integer constant expression.
    with open(os.path.join(out, "intprobe.c"), "w") as f:
        f.write("/* Generated by tools/gen-abi-cases.py; one candidate per line. */\n#include ABI_HEADER\n")
        for n, body in object_macros(args["--header"], args["--macros"]):
            if body.startswith('"'):
                continue
            f.write("void probe_%s(long long x) { switch (x) { case (%s): break; } }\n" % (n, n))
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=0)


def cmd_consts(args):
    ast = load_ast(args["--ast"])
    _, _, enums, _ = collect(ast, args["--header"])
    ok = [l.strip() for l in open(args["--ok"]) if l.strip()]
    out = args["--out"]
    lines = []
    manifest = {"constants": []}
    for n in ok:
        lines.append("INTC(%s)" % n)
        manifest["constants"].append(n)
    for e in enums:
        for c in e["consts"]:
            lines.append("ENUMC(%s)" % c)
            manifest["constants"].append(c)
    for n, body in object_macros(args["--header"], args["--macros"]):
        if body.startswith('"') and n not in INTENTIONAL_STRINGS:
            lines.append("STRC(%s)" % n)
            manifest["constants"].append(n)
    with open(os.path.join(out, "consts.c"), "w") as f:
        f.write(PRELUDE)
        for l in lines:
            f.write("\t" + l + "\n")
        f.write("\treturn 0;\n}\n")
    with open(os.path.join(out, "consts.json"), "w") as f:
        json.dump(manifest, f, indent=0)


def cmd_inventory(args):
    ast = load_ast(args["--ast"])
    header = args["--header"]
    records, typedefs, enums, functions = collect(ast, header)
    out = []
    for rec in records:
        out.append("record %s : %s" % (rec.label, rec.kind))
    for rec, members in expand_members(records):
        for lp, cp, qt, bit in members:
            out.append("field %s.%s : %s%s" % (rec.label, lp, norm_type(qt), " (bitfield)" if bit else ""))
    for name, qt, dq in typedefs:
        out.append("typedef %s : %s = %s" % (name, norm_type(qt), norm_type(dq)))
    for e in enums:
        out.append("enum %s : %s" % (e["label"], ", ".join(e["consts"])))
    for name, qt in functions:
        out.append("prototype %s : %s" % (name, qt))
    defs = read_macros(args["--macros"])
    for n in header_macro_names(header):
        if n not in defs:
            continue
        params, body = defs[n]
        if n in INTENTIONAL_STRINGS:
            # The text names Tern; the version it carries must still be the
            # header's own (whose numbers are compared as constants).
            parts = ["DB_VERSION_MAJOR", "DB_VERSION_MINOR", "DB_VERSION_PATCH"]
            if n == "DB_VERSION_FULL_STRING":
                parts = ["DB_VERSION_FAMILY", "DB_VERSION_RELEASE"] + parts
            want = ".".join(defs.get(p, (None, "?"))[1] for p in parts)
            found = re.search(r"(?<![\d.])" + re.escape(want) + r"(?![\d.])", body)
            body = "string carrying version %s: %s" % (want, "yes" if found else "NO")
        out.append("macro %s%s : %s" % (n, params or "", body))
    # Duplicate keys (e.g. two anonymous enums) get an ordinal.
    seen = {}
    for l in out:
        key = l.split(" : ", 1)[0]
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            l = l.replace(" : ", " #%d : " % seen[key], 1)
        print(l)


def cmd_layout(argv):
    dump = argv[0]
    headers = [os.path.realpath(h) for h in argv[1:]] + argv[1:]
    text = open(dump, errors="replace").read()
    for h in sorted(set(headers), key=len, reverse=True):
        text = text.replace(h, "db.h")
    text = ANON_RE.sub("(anonymous)", text)
    blocks = text.split("*** Dumping AST Record Layout")
    seen = {}
    for b in blocks[1:]:
        rows = [l.rstrip() for l in b.strip("\n").split("\n") if l.strip()]
        if not rows:
            continue
        title = re.sub(r"^\s*\d+\s*\|\s*", "", rows[0])
        seen[title] = seen.get(title, 0) + 1
        if seen[title] > 1:
            title += " #%d" % seen[title]
        for r in rows[1:]:
            print("%s :: %s" % (title, re.sub(r"\s+", " ", r.strip())))
        print("%s :: rows=%d" % (title, len(rows)))


def cmd_compare(argv):
    label, a, b = argv

    def load(p):
        d = {}
        order = []
        for l in open(p, errors="replace"):
            l = l.rstrip("\n")
            if not l:
                continue
            if " :: " in l or " : " in l:
                sep = " :: " if " :: " in l else " : "
                k, v = l.split(sep, 1)
                if sep == " :: ":
                    # Layout rows: key is record + ordinal row.
                    k = "%s :: #%d" % (k, sum(1 for x in order if x.startswith(k + " :: #")) + 1)
            else:
                # "kind label... name=value...": the key is what precedes the
                # first name=value field (labels may contain spaces).
                parts = l.split(" ")
                i = next((j for j, t in enumerate(parts) if "=" in t), len(parts))
                k, v = " ".join(parts[:i]), " ".join(parts[i:])
            if k in d:
                n = 2
                while "%s #%d" % (k, n) in d:
                    n += 1
                k = "%s #%d" % (k, n)
            d[k] = v
            order.append(k)
        return d, order

    sa, oa = load(a)
    sb, ob = load(b)
    diffs = 0
    for k in oa:
        if k not in sb:
            print("  %s: %s: system: %s | tern: MISSING" % (label, k, sa[k]))
            diffs += 1
        elif sa[k] != sb[k]:
            print("  %s: %s: system: %s | tern: %s" % (label, k, sa[k], sb[k]))
            diffs += 1
    for k in ob:
        if k not in sa:
            print("  %s: %s: system: MISSING | tern: %s" % (label, k, sb[k]))
            diffs += 1
    print("differences %d" % diffs)


TOKEN_RE = re.compile(r"""
    (?P<ws>[ \t\f\v]+) |
    (?P<comment>/\*.*?\*/|//[^\n]*) |
    (?P<nl>\n) |
    (?P<str>L?"(?:\\.|[^"\\\n])*") |
    (?P<chr>L?'(?:\\.|[^'\\\n])*') |
    (?P<num>\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.])*) |
    (?P<id>[A-Za-z_]\w*) |
    (?P<punct>\.\.\.|<<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^]=|\#\#|.)
    """, re.S | re.X)


def token_lines(path):
    """Logical lines of a header as token strings: comments, whitespace and
    blank lines dropped; the text of the two intentional strings masked."""
    text = open(path, errors="replace").read().replace("\\\n", " ")
    lines, cur = [], []
    for m in TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            # A comment is one space, even across lines (C 5.1.1.2).
            continue
        if kind == "nl":
            if cur:
                lines.append(cur)
            cur = []
            continue
        cur.append(m.group())
    if cur:
        lines.append(cur)
    out = []
    for toks in lines:
        if len(toks) >= 4 and toks[0] == "#" and toks[1] == "define" and toks[2] in INTENTIONAL_STRINGS:
            toks = toks[:3] + ["<string compared by version>"]
        out.append(" ".join(toks))
    return out


def cmd_tokens(argv):
    import difflib
    a, b = token_lines(argv[0]), token_lines(argv[1])
    diffs = 0
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        diffs += 1
        sys_txt = " / ".join(a[i1:i2]) or "-"
        tern_txt = " / ".join(b[j1:j2]) or "-"
        print("  tokens: after %r: system: %s | tern: %s"
              % (a[i1 - 1] if i1 else "<start>", sys_txt[:400], tern_txt[:400]))
    print("differences %d" % diffs)


def parse_opts(argv):
    d = {}
    i = 0
    while i < len(argv):
        d[argv[i]] = argv[i + 1]
        i += 2
    return d


def main():
    cmd, argv = sys.argv[1], sys.argv[2:]
    if cmd == "cases":
        cmd_cases(parse_opts(argv))
    elif cmd == "consts":
        cmd_consts(parse_opts(argv))
    elif cmd == "inventory":
        cmd_inventory(parse_opts(argv))
    elif cmd == "layout":
        cmd_layout(argv)
    elif cmd == "tokens":
        cmd_tokens(argv)
    elif cmd == "compare":
        cmd_compare(argv)
    else:
        sys.exit("unknown subcommand " + cmd)


if __name__ == "__main__":
    main()
