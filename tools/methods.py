"""Parse include/db.h: every function-pointer member of every public handle.

Shared by the stub generator (tools/gen-methods.py); prints a table when run.
"""
import re, sys, os

HANDLES = {  # C struct -> (typedef, name used in messages)
    '__db_env': ('DB_ENV', 'DB_ENV'), '__db': ('DB', 'DB'), '__dbc': ('DBC', 'DBcursor'),
    '__db_txn': ('DB_TXN', 'DB_TXN'), '__db_sequence': ('DB_SEQUENCE', 'DB_SEQUENCE'),
    '__db_site': ('DB_SITE', 'DB_SITE'), '__db_channel': ('DB_CHANNEL', 'DB_CHANNEL'),
    '__db_log_cursor': ('DB_LOGC', 'DB_LOGC'), '__db_mpoolfile': ('DB_MPOOLFILE', 'DB_MPOOLFILE'),
}

def split_args(s):
    out, depth, cur = [], 0, ''
    for ch in s:
        if ch == '(': depth += 1
        if ch == ')': depth -= 1
        if ch == ',' and depth == 0:
            out.append(cur.strip()); cur = ''
        else:
            cur += ch
    if cur.strip(): out.append(cur.strip())
    return out

def members(header):
    h = open(header).read()
    for m in re.finditer(r'^struct (__\w+) \{(.*?)^\};', h, re.S | re.M):
        struct, body = m.group(1), m.group(2)
        if struct not in HANDLES: continue
        for f in re.finditer(r'([\w\s\*]+?)\(\*(\w+)\)\s*__P\(\((.*?)\)\);', body, re.S):
            ret = ' '.join(f.group(1).split())
            args = split_args(' '.join(f.group(3).split()))
            yield struct, f.group(2), ret, args

if __name__ == '__main__':
    header = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'include', 'db.h')
    for s, n, r, a in members(header):
        print(f'{HANDLES[s][0]:13} {n:28} {r:14} {len(a)} {"VARIADIC" if a and a[-1]=="..." else ""} {a[0] if a else ""}')
