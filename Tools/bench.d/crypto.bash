# shellcheck shell=bash
# `Tools/bench crypto`: Warren's encryption primitives (issue 10) on the generated tree, and
# the budget issue 10 sets for encrypted register and verify. Sourced by Tools/bench's
# bench_crypto; uses its helpers (ensure_built, ensure_tree, tree_files, drop_caches, now,
# sub, ratio, mib, rate, log, die, add_summary) and settings (ROOT, BENCH_DIR, RUN, WARREN).
#
# 1. Primitives, one thread, every file of the tree read from a warm page cache, the
#    median of BENCH_CRYPTO_ROUNDS (default 3) runs each, by WarrenCryptoBench (release):
#    plain SHA-256 (today's ingest hash), SHA-256 + HMAC-SHA256 keyed id in one pass,
#    AES-256-GCM and ChaCha20-Poly1305 envelopes, both with the digest (encrypted ingest's
#    CPU work), and opening every envelope from disk with the digest and id check
#    (encrypted verify --full's CPU work). Against openssl on the same files in the same
#    run: `dgst -sha256`, `dgst -sha256 -hmac`, `enc -aes-256-ctr` and `enc -chacha20`
#    (openssl enc refuses AEAD modes, so CTR, the cipher half of GCM, is the streaming
#    baseline), and `openssl speed -evp` of both AEADs at 1 MiB blocks (in memory).
# 2. scrypt: KeyRing.open with the standard parameters (N=2^15) and with N=2^16.
# 3. Peak memory of sealing and opening a 512 MiB stream in 4 MiB pieces.
# 4. Cold page cache, the run with the median wall time of BENCH_CRYPTO_ROUNDS each: restic
#    0.14 backup (a fresh repository each time, restic's defaults) and check --read-data of
#    the tree against warren register (a fresh repository each time) and verify --full,
#    unencrypted; and the disk's floor for each: `cp -a` of the tree and sync (what any
#    first backup must read and write), and `cat` of every object of the repository (what
#    verify --full must read).
# 5. The same register and verify --full into an encrypted repository (password from a
#    0600 file): issue 10's three ratios, encrypted register / unencrypted register
#    (<= 1.3), encrypted register / restic backup (<= 0.35), encrypted verify --full /
#    restic check --read-data (<= 0.3), and each against its disk floor.

CRYPTO_ROUNDS=${BENCH_CRYPTO_ROUNDS:-3}
CRYPTO_KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f

# crypto_median CMD...: runs CMD CRYPTO_ROUNDS times; prints the median CPU seconds
# (user + sys, children included).
crypto_median() {
    local times=() i
    for ((i = 0; i < CRYPTO_ROUNDS; i++)); do
        # Through a child bash, so that CMD may be one of the exported functions below.
        /usr/bin/time -f '%U %S' -o "$RUN/crypto-time" bash -c '"$@"' _ "$@" > /dev/null
        times+=("$(awk 'END { printf "%.3f", $1 + $2 }' "$RUN/crypto-time")")
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (CRYPTO_ROUNDS + 1) / 2 ))p"
}

# crypto_bench_median MODE [DIR]: the median of WarrenCryptoBench's own `cpu_seconds=` (file list on stdin).
crypto_bench_median() {
    local times=() i out
    for ((i = 0; i < CRYPTO_ROUNDS; i++)); do
        out=$("$CRYPTO_BIN" "$@" < "$CRYPTO_LIST") || die "WarrenCryptoBench $* failed"
        times+=("$(sed -n 's/.* cpu_seconds=\([0-9.]*\).*/\1/p' <<<"$out")")
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (CRYPTO_ROUNDS + 1) / 2 ))p"
}

# crypto_timed MAX_STATUS CMD...: runs CMD (output discarded); sets CRYPTO_WALL and
# CRYPTO_CPU (user + sys seconds, children included); dies if it exits above MAX_STATUS.
crypto_timed() {
    local max=$1; shift
    local status=0
    /usr/bin/time -f '%e %U %S' -o "$RUN/crypto-time" "$@" > /dev/null 2> "$RUN/crypto-cmd.err" || status=$?
    [ "$status" -le "$max" ] || { cat "$RUN/crypto-cmd.err" >&2; die "$1 exited $status"; }
    CRYPTO_WALL=$(awk 'END { printf "%.2f", $1 }' "$RUN/crypto-time")
    CRYPTO_CPU=$(awk 'END { printf "%.2f", $2 + $3 }' "$RUN/crypto-time")
}

# crypto_cold CMD...: what crypto_cold_median runs each round: the round's preparation
# (CRYPTO_PREPARE, a command line run by eval; ':' for none), a dropped page cache, CMD.
# crypto_cold_median MAX_STATUS CMD...: CRYPTO_ROUNDS cold runs of CMD; sets CRYPTO_WALL and
# CRYPTO_CPU to those of the run with the median wall time (this disk's speed varies by
# a fifth from one run to the next).
crypto_cold_median() {
    local max=$1; shift
    local runs=() i mid
    for ((i = 0; i < CRYPTO_ROUNDS; i++)); do
        eval "${CRYPTO_PREPARE:-:}"
        drop_caches
        crypto_timed "$max" "$@"
        runs+=("$CRYPTO_WALL $CRYPTO_CPU")
    done
    mid=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n "$(( (CRYPTO_ROUNDS + 1) / 2 ))p")
    CRYPTO_WALL=${mid% *} CRYPTO_CPU=${mid#* }
    CRYPTO_PREPARE=:
}

# openssl dgst over the tree's files (xargs: a few processes, each given many files).
crypto_openssl_files() { xargs -0 -a "$CRYPTO_LIST" openssl dgst "$@"; }
# openssl enc has no multi-file mode: it reads the tree's files concatenated into one file
# (one process, no pipe whose copying would count against it).
crypto_openssl_stream() { openssl enc "$@" -in "$CRYPTO_CAT" -out /dev/null; }
export -f crypto_openssl_files crypto_openssl_stream

# openssl speed -evp CIPHER at 1 MiB blocks: bytes per second.
crypto_openssl_speed() {
    openssl speed -seconds 2 -bytes 1048576 -evp "$1" 2>/dev/null \
        | awk -v c="$2" '$1 == c { v = $NF; sub(/k$/, "", v); printf "%.0f", v * 1000 }'
}

bench_crypto_run() {
    command -v restic > /dev/null || die "the crypto benchmark needs restic 0.14 (apt-get install restic)"
    [[ "$CRYPTO_ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_CRYPTO_ROUNDS must be a positive integer"
    ensure_built
    if [ -n "${BENCH_CRYPTO_BIN:-}" ]; then
        CRYPTO_BIN=$BENCH_CRYPTO_BIN   # a prebuilt one (a quick check of this script)
    else
        log "building WarrenCryptoBench (release) ..."
        swift build --package-path "$ROOT" -c release --product WarrenCryptoBench >&2
        CRYPTO_BIN="$(swift build --package-path "$ROOT" -c release --show-bin-path)/WarrenCryptoBench"
    fi
    ensure_tree
    mkdir -p "$RUN"
    export CRYPTO_LIST="$RUN/crypto-files" CRYPTO_CAT="$RUN/crypto-concatenated"
    tree_files | sort | tr '\n' '\0' > "$CRYPTO_LIST"
    local bytes nfiles
    bytes=$(xargs -0 stat -c %s < "$CRYPTO_LIST" | awk '{ s += $1 } END { printf "%d", s }')
    nfiles=$(tr -cd '\0' < "$CRYPTO_LIST" | wc -c)
    log "crypto: $nfiles files, $(mib "$bytes"); warming the page cache ..."
    xargs -0 cat < "$CRYPTO_LIST" > /dev/null

    xargs -0 cat < "$CRYPTO_LIST" > "$CRYPTO_CAT"

    # 1. primitives (CPU seconds: the machine is shared, and CPU time hardly depends on load)
    local w_sha w_digest w_aead_aes w_aead_chacha w_seal_aes w_seal_chacha w_seal_alt w_open w_open_sha
    w_sha=$(crypto_bench_median sha256)
    w_digest=$(crypto_bench_median digest)
    w_aead_aes=$(crypto_bench_median aead-aes)
    w_aead_chacha=$(crypto_bench_median aead-chacha)
    w_seal_aes=$(crypto_bench_median seal-aes)
    w_seal_chacha=$(crypto_bench_median seal-chacha)
    w_seal_alt=$(crypto_bench_median seal-sha-id)
    local sealed="$RUN/crypto-sealed"
    rm -rf -- "$sealed"; mkdir -p "$sealed"
    "$CRYPTO_BIN" seal-to "$sealed" < "$CRYPTO_LIST" > /dev/null || die "WarrenCryptoBench seal-to failed"
    find "$sealed" -type f ! -path '*/.keys/*' -print0 | xargs -0 cat > /dev/null
    w_open=$(crypto_bench_median open-from "$sealed")
    w_open_sha=$(crypto_bench_median open-sha "$sealed")
    rm -rf -- "$sealed"
    log "warren: sha256 ${w_sha}s, digest ${w_digest}s, aes ${w_aead_aes}s, chacha ${w_aead_chacha}s, seal-aes ${w_seal_aes}s, seal-chacha ${w_seal_chacha}s, seal-sha-id ${w_seal_alt}s, open ${w_open}s, open-sha ${w_open_sha}s"

    local o_sha o_hmac o_ctr o_chacha s_gcm s_poly
    o_sha=$(crypto_median crypto_openssl_files -sha256)
    o_hmac=$(crypto_median crypto_openssl_files -sha256 -hmac "$CRYPTO_KEY")
    o_ctr=$(crypto_median crypto_openssl_stream -aes-256-ctr -K "$CRYPTO_KEY" -iv 00000000000000000000000000000000)
    o_chacha=$(crypto_median crypto_openssl_stream -chacha20 -K "$CRYPTO_KEY" -iv 00000000000000000000000000000000)
    s_gcm=$(crypto_openssl_speed aes-256-gcm AES-256-GCM)
    s_poly=$(crypto_openssl_speed chacha20-poly1305 ChaCha20-Poly1305)
    rm -f -- "$CRYPTO_CAT"
    log "openssl: sha256 ${o_sha}s, hmac ${o_hmac}s, aes-256-ctr ${o_ctr}s, chacha20 ${o_chacha}s; speed gcm ${s_gcm} B/s, chacha-poly ${s_poly} B/s"

    # 2. scrypt, 3. bounded memory
    local unlock15 unlock16 stream
    unlock15=$("$CRYPTO_BIN" unlock 32768 8 1 5)
    unlock16=$("$CRYPTO_BIN" unlock 65536 8 1 3)
    stream=$("$CRYPTO_BIN" stream 512)
    log "$unlock15"; log "$unlock16"; log "$stream"

    # 4. restic, warren (unencrypted) and the disk's floors, cold cache; wall and CPU (user + sys) seconds
    local rrepo="$RUN/restic-repo" rcache="$RUN/restic-cache" t_rb t_rc c_rb c_rc
    export RESTIC_PASSWORD=bench-password
    CRYPTO_PREPARE='rm -rf -- "$rrepo" "$rcache"; restic init --repo "$rrepo" --cache-dir "$rcache" -q > /dev/null'
    crypto_cold_median 0 restic backup "$TREE" --repo "$rrepo" --cache-dir "$rcache" --host bench -q
    t_rb=$CRYPTO_WALL c_rb=$CRYPTO_CPU
    crypto_cold_median 0 restic check --read-data --repo "$rrepo" --cache-dir "$rcache" -q
    t_rc=$CRYPTO_WALL c_rc=$CRYPTO_CPU
    unset RESTIC_PASSWORD
    rm -rf -- "$rrepo" "$rcache"
    local copy="$RUN/tree-copy" t_cp c_cp
    CRYPTO_PREPARE='rm -rf -- "$copy"'
    crypto_cold_median 0 bash -c 'cp -a "$1" "$2" && sync' _ "$TREE" "$copy"
    t_cp=$CRYPTO_WALL c_cp=$CRYPTO_CPU
    rm -rf -- "$copy"
    local wrepo="$RUN/repo-crypto" t_reg t_ver c_reg c_ver
    CRYPTO_PREPARE='rm -rf -- "$wrepo"; "$WARREN" init --no-encryption --repo "$wrepo" > /dev/null'
    crypto_cold_median 0 "$WARREN" register "$TREE" --node bench@localhost --repo "$wrepo"
    t_reg=$CRYPTO_WALL c_reg=$CRYPTO_CPU
    # The generated index files are random bytes, so verify says not viable (exit 1).
    crypto_cold_median 1 "$WARREN" verify 1 --full --repo "$wrepo"
    t_ver=$CRYPTO_WALL c_ver=$CRYPTO_CPU
    rm -rf -- "$wrepo"
    log "restic backup ${t_rb}s (cpu ${c_rb}s), check --read-data ${t_rc}s (cpu ${c_rc}s); cp -a + sync ${t_cp}s; warren register ${t_reg}s (cpu ${c_reg}s), verify --full ${t_ver}s (cpu ${c_ver}s)"

    # 5. the same register and verify --full into an encrypted repository (password from a
    # private file, as an operator's cron job gives it), cold cache: issue 10's three ratios.
    local erepo="$RUN/repo-crypto-encrypted" epw="$RUN/bench-password" t_ereg c_ereg t_ever c_ever t_cat c_cat sealed
    (umask 077; printf 'bench-password\n' > "$epw")
    CRYPTO_PREPARE='rm -rf -- "$erepo"; "$WARREN" init --password-file "$epw" --repo "$erepo" > /dev/null'
    crypto_cold_median 0 "$WARREN" register "$TREE" --node bench@localhost --password-file "$epw" --repo "$erepo"
    t_ereg=$CRYPTO_WALL c_ereg=$CRYPTO_CPU
    crypto_cold_median 1 "$WARREN" verify 1 --full --password-file "$epw" --repo "$erepo"
    t_ever=$CRYPTO_WALL c_ever=$CRYPTO_CPU
    sealed=$(du_bytes "$erepo/objects")
    crypto_cold_median 0 bash -c 'find "$1" -type f -exec cat {} + > /dev/null' _ "$erepo/objects"
    t_cat=$CRYPTO_WALL c_cat=$CRYPTO_CPU
    rm -rf -- "$erepo" "$epw"
    log "encrypted: warren register ${t_ereg}s (cpu ${c_ereg}s), verify --full ${t_ever}s (cpu ${c_ever}s); cat of its objects ${t_cat}s"

    local mbs; mbs() { rate "$bytes" "$1" | sed 's|/s|/cpu-s|'; }
    add_summary "crypto tree" "$nfiles files, $(mib "$bytes"), warm cache, 1 thread, CPU seconds (user + sys), median of $CRYPTO_ROUNDS"
    add_summary "  SHA-256" "$(printf '%6.3f s %9s  vs openssl dgst %.3f s: %sx' "$w_sha" "$(mbs "$w_sha")" "$o_sha" "$(ratio "$w_sha" "$o_sha")")"
    add_summary "  SHA-256 + HMAC (one pass)" "$(printf '%6.3f s %9s  vs openssl dgst + dgst -hmac %.3f s: %sx' "$w_digest" "$(mbs "$w_digest")" "$(add "$o_sha" "$o_hmac")" "$(ratio "$w_digest" "$(add "$o_sha" "$o_hmac")")")"
    add_summary "  AES-256-GCM envelope" "$(printf '%6.3f s %9s  vs openssl enc -aes-256-ctr %.3f s: %sx; openssl speed gcm %s' "$w_aead_aes" "$(mbs "$w_aead_aes")" "$o_ctr" "$(ratio "$w_aead_aes" "$o_ctr")" "$(awk -v s="$s_gcm" 'BEGIN { printf "%.0f MB/s", s / 1e6 }')")"
    add_summary "  ChaCha20-Poly1305 envelope" "$(printf '%6.3f s %9s  vs openssl enc -chacha20 %.3f s: %sx; openssl speed chacha-poly %s' "$w_aead_chacha" "$(mbs "$w_aead_chacha")" "$o_chacha" "$(ratio "$w_aead_chacha" "$o_chacha")" "$(awk -v s="$s_poly" 'BEGIN { printf "%.0f MB/s", s / 1e6 }')")"
    add_summary "  AES-GCM / ChaCha-Poly" "$(printf 'envelope %sx the time (< 1: AES-GCM is faster)' "$(ratio "$w_aead_aes" "$w_aead_chacha")")"
    add_summary "  seal: digest + AES-GCM" "$(printf '%6.3f s %9s  vs openssl sha256 + hmac + aes-ctr %.3f s: %sx' "$w_seal_aes" "$(mbs "$w_seal_aes")" "$(add "$(add "$o_sha" "$o_hmac")" "$o_ctr")" "$(ratio "$w_seal_aes" "$(add "$(add "$o_sha" "$o_hmac")" "$o_ctr")")")"
    add_summary "  seal: digest + ChaCha-Poly" "$(printf '%6.3f s %9s' "$w_seal_chacha" "$(mbs "$w_seal_chacha")")"
    add_summary "  seal: SHA-256 + AES-GCM, id" "$(printf '%6.3f s %9s  (id = HMAC of the SHA-256, not of the content)' "$w_seal_alt" "$(mbs "$w_seal_alt")")"
    add_summary "  open + SHA-256" "$(printf '%6.3f s %9s  (encrypted verify --full and restore)' "$w_open_sha" "$(mbs "$w_open_sha")")"
    add_summary "  open + SHA-256 + id check" "$(printf '%6.3f s %9s' "$w_open" "$(mbs "$w_open")")"
    add_summary "  scrypt unlock N=2^15 (std)" "$(sed 's/mode=unlock //' <<<"$unlock15")"
    add_summary "  scrypt unlock N=2^16" "$(sed 's/mode=unlock //' <<<"$unlock16")"
    add_summary "  512 MiB stream" "$(sed 's/mode=stream //' <<<"$stream")"
    add_summary "cold runs" "median wall time of $CRYPTO_ROUNDS (BENCH_CRYPTO_ROUNDS) each, page cache dropped before each"
    add_summary "disk floor: cp -a + sync" "$(printf '%7.2f s (cpu %.2f s)  the tree read and written once (%s)' "$t_cp" "$c_cp" "$(mib "$bytes")")"
    add_summary "disk floor: cat objects" "$(printf '%7.2f s (cpu %.2f s)  the encrypted repository'"'"'s objects read once (%s)' "$t_cat" "$c_cat" "$(mib "$sealed")")"
    add_summary "restic backup" "$(printf '%7.2f s (cpu %.2f s)  warren register (unencrypted) %.2f s (cpu %.2f s): %sx restic, %sx cp -a' "$t_rb" "$c_rb" "$t_reg" "$c_reg" "$(ratio "$t_reg" "$t_rb")" "$(ratio "$t_reg" "$t_cp")")"
    add_summary "restic check --read-data" "$(printf '%7.2f s (cpu %.2f s)  warren verify --full (unencrypted) %.2f s (cpu %.2f s): %sx restic, %sx cat' "$t_rc" "$c_rc" "$t_ver" "$c_ver" "$(ratio "$t_ver" "$t_rc")" "$(ratio "$t_ver" "$t_cat")")"
    add_summary "encrypted register (first)" "$(printf '%7.2f s (cpu %.2f s)  vs unencrypted register %.2f s: %sx (target <= 1.3); vs restic backup %.2f s: %sx (target <= 0.35); %sx cp -a' \
        "$t_ereg" "$c_ereg" "$t_reg" "$(ratio "$t_ereg" "$t_reg")" "$t_rb" "$(ratio "$t_ereg" "$t_rb")" "$(ratio "$t_ereg" "$t_cp")")"
    add_summary "encrypted verify --full" "$(printf '%7.2f s (cpu %.2f s)  vs restic check --read-data %.2f s: %sx (target <= 0.3); vs unencrypted verify %.2f s: %sx; %sx cat' \
        "$t_ever" "$c_ever" "$t_rc" "$(ratio "$t_ever" "$t_rc")" "$t_ver" "$(ratio "$t_ever" "$t_ver")" "$(ratio "$t_ever" "$t_cat")")"
    add_summary "  verify target vs the floor" "$(printf '0.3x restic check is %.2f s; reading the objects alone (cat) took %.2f s: %s' \
        "$(awk -v r="$t_rc" 'BEGIN { printf "%.2f", 0.3 * r }')" "$t_cat" "$(awk -v r="$t_rc" -v c="$t_cat" 'BEGIN { print (0.3 * r < c ? "below what this disk can read" : "within what this disk can read") }')")"
}
