#!/usr/bin/env bash
# ABI check: Tern's include/db.h must be ABI- and layout-identical to the
# system libdb 5.3.28 header (/usr/include/db.h). Only DB_VERSION_STRING and
# DB_VERSION_FULL_STRING may differ (they name Tern), and even those must
# carry the same version numbers.
#
# Every case is derived from the system header (tools/gen-abi-cases.py reads
# clang's AST of it) and compiled against both headers:
#   1. records: clang's record-layout dump of both headers, normalised and
#      compared row by row (offsets, sizes, alignments, member types), and a
#      generated C program printing sizeof/_Alignof of every struct/union and
#      offsetof/sizeof/_Alignof of every member (nested anonymous records
#      and bitfields included) plus, per member, whether its type in Tern's
#      header is compatible with the type the system header gives it (this is
#      how method-pointer signatures are checked semantically);
#   2. constants: every object-like macro of the system header that is an
#      integer constant expression (value, size, signedness), every
#      enumerator, every string macro, and the full macro set (names, function-
#      like macros and definitions, textually);
#   3. prototypes of the exported functions (type compatibility and text),
#      plus every typedef (size, alignment, compatible type, signedness);
#   4. an inventory of both headers (every declaration and macro, textually)
#      so that nothing Tern adds or drops goes unnoticed, and a token-by-token
#      comparison of the two files (comments and whitespace ignored).
# It runs for the default configuration and for the header's optional
# branches (DB_DBM_HSEARCH, _XPG4_2, HAVE_MIXED_SIZE_ADDRESSING, CONFIG_TEST).
#
# Environment: TERN_BUILD (output folder, default build; generated files go to
# $TERN_BUILD/abi), TERN_HEADER (the header under test, default
# include/db.h), SYSTEM_HEADER (default /usr/include/db.h), CLANG (default:
# the first clang on PATH).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build="${TERN_BUILD:-$root/build}"
out="$build/abi"
sys_h=$(realpath "${SYSTEM_HEADER:-/usr/include/db.h}")
tern_h=$(realpath "${TERN_HEADER:-$root/include/db.h}")
cc="${CLANG:-clang}"
gen="python3 $root/tools/gen-abi-cases.py"
limit=${ABI_CHECK_SHOW:-80}   # new difference lines shown per part

for f in "$sys_h" "$tern_h"; do
  [ -f "$f" ] || { echo "abi-check: FAIL: no header $f"; exit 1; }
done
command -v "$cc" >/dev/null || { echo "abi-check: FAIL: no clang ($cc)"; exit 1; }
rm -rf "$out"; mkdir -p "$out"

# Newer clang can dump every complete record; older ones dump the records
# whose layout is computed, and members.c computes all of db.h's.
layout_flag=-fdump-record-layouts
echo 'struct s { int a; };' > "$out/probe.c"
if "$cc" -x c -fsyntax-only -Xclang -fdump-record-layouts-complete "$out/probe.c" >/dev/null 2>&1; then
  layout_flag=-fdump-record-layouts-complete
fi

# Differences are counted once: the same drift seen in several
# configurations is one difference.
total_diffs=0
shown=0
declare -A seen_diff=()
: > "$out/differences.txt"
note_diff() {   # note_diff LINE: count and show LINE unless already seen
  [ -z "${seen_diff[$1]+x}" ] || return 0
  seen_diff[$1]=1
  printf '%s\n' "$1" >> "$out/differences.txt"
  total_diffs=$((total_diffs + 1))
  shown=$((shown + 1))
  if [ "$shown" -le "$limit" ]; then printf '%s\n' "$1"; fi
}
report() {   # report PART FILE: the differences found by a compare run
  local part=$1 file=$2 line new=0
  shown=0
  [ -s "$file" ] || { note_diff "  $part: comparison failed ($file)"; return; }
  while IFS= read -r line; do
    [ "${line#differences }" = "$line" ] || continue
    if [ $new = 0 ] && [ -z "${seen_diff[$line]+x}" ]; then
      echo "abi-check: $cfg: $part: differences:"; new=1
    fi
    note_diff "$line"
  done < "$file"
  [ "$shown" -le "$limit" ] || echo "  ... $((shown - limit)) more (see $file)"
}

# drop_failing FILE HEADER FLAGS...: comment out the lines of FILE that do not
# compile against HEADER (each case is one line); the errors go to
# FILE.HEADER-tag.dropped. Returns 1 if errors are not attributable to lines.
drop_failing() {
  local file=$1 hdr=$2 tag=$3; shift 3
  local i errs lines
  : > "$file.$tag.dropped"
  for i in 1 2 3 4 5 6 7 8; do
    errs=$("$cc" -x c -fsyntax-only -ferror-limit=0 -fno-color-diagnostics "$@" \
             -DABI_HEADER="\"$hdr\"" "$file" 2>&1 >/dev/null | grep ': error:')
    [ -z "$errs" ] && return 0
    lines=$(printf '%s\n' "$errs" | sed -n "s|^$(basename "$file"):\([0-9]*\):.*|\1|p; s|^$file:\([0-9]*\):.*|\1|p" | sort -un)
    if [ -z "$lines" ]; then
      printf '%s\n' "$errs" >> "$file.$tag.dropped"
      return 1
    fi
    printf '%s\n' "$errs" >> "$file.$tag.dropped"
    for n in $lines; do sed -i "${n}s|^|//dropped: |" "$file"; done
  done
  return 1
}

configs=(
  "default|"
  "dbm-hsearch|-DDB_DBM_HSEARCH=1"
  "dbm-hsearch-xpg4|-DDB_DBM_HSEARCH=1 -D_XPG4_2"
  "mixed-size-addressing|-DHAVE_MIXED_SIZE_ADDRESSING"
  "config-test|-DCONFIG_TEST"
)

for entry in "${configs[@]}"; do
  cfg=${entry%%|*}
  read -r -a defs <<< "${entry#*|}"
  d="$out/$cfg"; mkdir -p "$d"
  echo '#include ABI_HEADER' > "$d/tu.c"
  for side in sys tern; do
    if [ $side = sys ]; then h=$sys_h; else h=$tern_h; fi
    "$cc" -x c -fsyntax-only -Xclang -ast-dump=json "${defs[@]}" -DABI_HEADER="\"$h\"" "$d/tu.c" > "$d/$side.json" 2> "$d/$side.json.err"
    "$cc" -x c -E -dM "${defs[@]}" -DABI_HEADER="\"$h\"" "$d/tu.c" > "$d/$side.dM" 2>> "$d/$side.json.err"
    if grep -q 'error:' "$d/$side.json.err"; then
      echo "abi-check: $cfg: $side header $h does not compile:"; head -n 20 "$d/$side.json.err"
      if [ $side = sys ]; then exit 1; fi
      note_diff "  $h does not compile ($cfg)"
    fi
  done

  # Generate the cases from the system header; keep only those that compile
  # against it (e.g. sizeof of an opaque typedef, non-integer macros).
  $gen cases --ast "$d/sys.json" --header "$sys_h" --macros "$d/sys.dM" --out "$d" || exit 1
  drop_failing "$d/members.c" "$sys_h" sys -w "${defs[@]}" \
    || { echo "abi-check: $cfg: members.c does not compile against the system header"; cat "$d/members.c.sys.dropped"; exit 1; }
  drop_failing "$d/intprobe.c" "$sys_h" sys -w -pedantic-errors "${defs[@]}" \
    || { echo "abi-check: $cfg: intprobe.c does not compile against the system header"; cat "$d/intprobe.c.sys.dropped"; exit 1; }
  sed -n 's/^void probe_\([A-Za-z0-9_]*\)(.*/\1/p' "$d/intprobe.c" > "$d/integer-macros.txt"
  $gen consts --ast "$d/sys.json" --header "$sys_h" --macros "$d/sys.dM" --ok "$d/integer-macros.txt" --out "$d" || exit 1
  drop_failing "$d/consts.c" "$sys_h" sys -w "${defs[@]}" \
    || { echo "abi-check: $cfg: consts.c does not compile against the system header"; cat "$d/consts.c.sys.dropped"; exit 1; }

  # Build and run each program against both headers. A case that does not
  # compile against Tern's header is dropped there (and shows as missing).
  for prog in members consts; do
    cp "$d/$prog.c" "$d/$prog-tern.c"
    if ! drop_failing "$d/$prog-tern.c" "$tern_h" tern -w "${defs[@]}"; then
      echo "abi-check: $cfg: $prog.c does not compile against $tern_h:"
      head -n 20 "$d/$prog-tern.c.tern.dropped"
      note_diff "  $prog.c does not compile against $tern_h ($cfg)"
    fi
    if [ -s "$d/$prog-tern.c.tern.dropped" ]; then
      errs=$(grep ': error:' "$d/$prog-tern.c.tern.dropped" | sed 's/^[^ ]*: error: /  /' | sort -u)
      if [ "$errs" != "${last_errs:-}" ]; then
        echo "abi-check: $cfg: $prog: cases that do not compile against Tern's header:"
        printf '%s\n' "$errs" | head -n "$limit"
      fi
      last_errs=$errs
    fi
    "$cc" -x c -w "${defs[@]}" -DABI_HEADER="\"$sys_h\"" -o "$d/$prog-sys" "$d/$prog.c" && "$d/$prog-sys" > "$d/$prog-sys.out" \
      || { echo "abi-check: $cfg: $prog against the system header failed"; exit 1; }
    : > "$d/$prog-tern.out"
    "$cc" -x c -w "${defs[@]}" -DABI_HEADER="\"$tern_h\"" -o "$d/$prog-tern" "$d/$prog-tern.c" 2> "$d/$prog-tern.err" \
      && "$d/$prog-tern" > "$d/$prog-tern.out"
    $gen compare "$prog" "$d/$prog-sys.out" "$d/$prog-tern.out" > "$d/$prog.diff"
    report "$prog (sizeof/_Alignof/offsetof/types/values)" "$d/$prog.diff"
  done

  # Record layouts as clang computes them (member types included).
  for side in sys tern; do
    if [ $side = sys ]; then h=$sys_h; src=$d/members.c; else h=$tern_h; src=$d/members-tern.c; fi
    "$cc" -x c -w -fsyntax-only -Xclang "$layout_flag" "${defs[@]}" -DABI_HEADER="\"$h\"" "$src" > "$d/layout-$side.raw" 2>/dev/null
    $gen layout "$d/layout-$side.raw" "$h" > "$d/layout-$side.txt"
    $gen inventory --ast "$d/$side.json" --header "$h" --macros "$d/$side.dM" > "$d/inventory-$side.txt"
  done
  $gen compare layout "$d/layout-sys.txt" "$d/layout-tern.txt" > "$d/layout.diff"
  report "record layouts (clang $layout_flag)" "$d/layout.diff"
  $gen compare inventory "$d/inventory-sys.txt" "$d/inventory-tern.txt" > "$d/inventory.diff"
  report "declarations and macros (text)" "$d/inventory.diff"
done

# Token by token (comments and layout ignored): nothing else may drift,
# not even what the compiler does not see (parameter names, enumerator
# spellings, branches of the header no configuration above takes).
cfg=all
$gen tokens "$sys_h" "$tern_h" > "$out/tokens.diff"
report "header tokens" "$out/tokens.diff"

# Counts: everything compared, each item once across the configurations.
summary=$(python3 - "$out" <<'EOF'
import glob, json, os, sys
items = {k: set() for k in ("structs", "members", "methods", "typedefs", "prototypes", "constants")}
for m in glob.glob(os.path.join(sys.argv[1], "*", "manifest.json")) + glob.glob(os.path.join(sys.argv[1], "*", "consts.json")):
    for k, v in json.load(open(m)).items():
        if k in items:
            items[k].update(v)
n = {k: len(v) for k, v in items.items()}
print("%d structs, %d members (%d method pointers), %d constants, %d typedefs, %d prototypes"
      % (n["structs"], n["members"], n["methods"], n["constants"], n["typedefs"], n["prototypes"]))
EOF
)
read -r s_structs _ s_members _ s_methods _ _ s_consts _ s_typedefs _ s_protos _ <<< "$(echo "$summary" | tr -d '(),')"
echo "abi-check: ${#configs[@]} configurations; compared $summary"
echo "abi-check: $s_structs structs, $s_members members, $s_consts constants, $s_protos prototypes compared; $total_diffs differences"
[ "$total_diffs" -eq 0 ]
