#!/usr/bin/env bash
# The glibc floor of ELF files: for each FILE, the highest GLIBC_x.y symbol version it needs
# (its .gnu.version_r section, the list the dynamic loader checks before running anything, so
# one line per file even for a file that needs nothing from glibc). Fails when any file needs
# more than the floor (2.17, what manylinux2014 and RHEL/CentOS 7 have), or is not an ELF file.
#   bash tests/dist/glibc-floor.sh FILE...        one line per file: FILE: GLIBC_2.17 (or "none")
#   GLIBC_FLOOR=2.28 bash tests/dist/glibc-floor.sh FILE...
# readelf rather than objdump -T: Debian's objdump reads only this machine's architecture, readelf
# reads aarch64 files as well.
set -euo pipefail
floor="${GLIBC_FLOOR:-2.17}"
[ $# -gt 0 ] || { echo "usage: $0 FILE..." >&2; exit 2; }
command -v readelf >/dev/null || { echo "glibc-floor: readelf (binutils) is required" >&2; exit 2; }

newer() { # A B: is version A above version B?
    [ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | tail -n 1)" = "$1" ]
}

bad=0
for f in "$@"; do
    if ! head -c 4 "$f" 2>/dev/null | grep -q $'^\x7fELF'; then
        echo "$f: not an ELF file" >&2
        bad=1
        continue
    fi
    # `Name: GLIBC_2.17  Flags: none  Version: 3` lines; GLIBC_PRIVATE is no version.
    high="$(readelf -V -W "$f" | sed -n 's/.*Name: GLIBC_\([0-9][0-9.]*\) .*/\1/p' | sort -uV | tail -n 1)"
    if [ -z "$high" ]; then
        echo "$f: none (needs no versioned glibc symbol)"
    elif newer "$high" "$floor"; then
        echo "$f: GLIBC_$high, above the floor $floor; the symbols:" >&2
        readelf --dyn-syms -W "$f" | grep -oE '[A-Za-z0-9_]+@GLIBC_[0-9.]+' | sort -u |
            while IFS=@ read -r sym v; do
                if newer "${v#GLIBC_}" "$floor"; then echo "  $sym@$v" >&2; fi
            done
        bad=1
    else
        echo "$f: GLIBC_$high"
    fi
done
[ $bad = 0 ] || { echo "glibc-floor: FAILED (floor GLIBC_$floor)" >&2; exit 1; }
echo "glibc-floor: $# files, none above GLIBC_$floor"
