# shellcheck shell=bash
# `Tools/bench count`: what offline message counting (issue 7) adds to `warren register`.
# Sourced by Tools/bench's bench_count; uses its helpers (ensure_built, drop_caches, now, sub,
# log, die, mib, add_summary) and settings (ROOT, BENCH_DIR, BENCH_GIB, RUN, WARREN).
#
# Tree: BENCH_DIR/tree-index, made by Tools/bench.d/gen-index.py: the usual layout (4 vhosts,
# round(20 * BENCH_GIB) queues each, 16 MiB rdq files) with VALID CQv1/CQv2 index files and
# an expected-counts.json. Kept and reused while its parameters (and the generator) are
# unchanged.
#
# Measure: BENCH_COUNT_ROUNDS (default 5) rounds, each registering the tree into a fresh
# repository once with counting (the default) and once with WARREN_INDEX_COUNTING=off, the
# order alternating between rounds, page cache dropped before each register. Reports the
# medians and the overhead (with / without - 1), target <= 10%. Every counting run's
# `warren show --json` must match expected-counts.json exactly (else the benchmark fails).
#
# Environment (besides Tools/bench's):
#   BENCH_COUNT_ROUNDS   rounds (default 5)
#   BENCH_COUNT_MSGS     live messages per non-empty queue, MIN-MAX (default 10000-50000)

COUNT_GEN="$ROOT/Tools/bench.d/gen-index.py"
COUNT_CHECK="$ROOT/Tools/bench.d/check-counts.py"
TREE_INDEX="$BENCH_DIR/tree-index"
COUNT_SEED=4242

count_settings() {
    COUNT_ROUNDS=${BENCH_COUNT_ROUNDS:-5}
    COUNT_MSGS=${BENCH_COUNT_MSGS:-10000-50000}
    [[ "$COUNT_ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_COUNT_ROUNDS must be a positive integer: '$COUNT_ROUNDS'"
    [[ "$COUNT_MSGS" =~ ^([0-9]+)-([0-9]+)$ ]] && (( BASH_REMATCH[1] <= BASH_REMATCH[2] )) \
        || die "BENCH_COUNT_MSGS must be MIN-MAX with MIN <= MAX: '$COUNT_MSGS'"
    COUNT_MIN_MSGS=${BASH_REMATCH[1]}
    COUNT_MAX_MSGS=${BASH_REMATCH[2]}
    command -v python3 >/dev/null || die "python3 is required (Tools/bench.d/gen-index.py)"
}

count_tree_params() {
    echo "gen-index=$(md5sum < "$COUNT_GEN" | cut -c1-12) gib=$BENCH_GIB msgs=$COUNT_MSGS seed=$COUNT_SEED"
}

# Builds TREE_INDEX unless it exists with the same parameters.
ensure_count_tree() {
    local params
    params=$(count_tree_params)
    if [ -f "$TREE_INDEX/.bench-params" ] && [ "$(cat "$TREE_INDEX/.bench-params")" = "$params" ]; then
        log "reusing $TREE_INDEX ($params)"
        return 0
    fi
    [ -e "$TREE_INDEX" ] && { log "parameters changed; deleting old $TREE_INDEX"; rm -rf -- "$TREE_INDEX"; }
    local partial="$BENCH_DIR/tree-index.partial" t0
    rm -rf -- "$partial"
    log "generating $partial ($params) ..."
    t0=$(now)
    python3 "$COUNT_GEN" --out "$partial" --gib "$BENCH_GIB" --seed "$COUNT_SEED" \
        --min-msgs "$COUNT_MIN_MSGS" --max-msgs "$COUNT_MAX_MSGS" || die "gen-index.py failed"
    sync
    echo "$params" > "$partial/.bench-params"
    mv -- "$partial" "$TREE_INDEX"
    log "generated $(mib "$(du_bytes "$TREE_INDEX")") in $(sub "$(now)" "$t0")s"
}

# Files and bytes of TREE_INDEX/msg_stores by kind: sets COUNT_COMPOSITION (one line).
count_composition() {
    COUNT_COMPOSITION=$(find "$TREE_INDEX/msg_stores" -type f -printf '%s %f\n' | awk '
        { k = "other" }
        $2 ~ /^[0-9]+\.idx$/ { k = "idx" } $2 == "journal.jif" { k = "jif" } $2 ~ /^[0-9]+\.qi$/ { k = "qi" }
        $2 ~ /^[0-9]+\.qs$/ { k = "qs" } $2 ~ /^[0-9]+\.rdq$/ { k = "rdq" }
        { n[k]++; b[k] += $1; N++; B += $1 }
        function m(x) { return sprintf("%.1f MiB", x / 1048576) }
        END {
            printf "%d files, %s: idx %d files %s, journal.jif %d %s, qi %d %s (read by counting: %s); qs %d %s; rdq %d %s; other %d",
                N, m(B), n["idx"], m(b["idx"]), n["jif"], m(b["jif"]), n["qi"], m(b["qi"]), m(b["idx"] + b["jif"] + b["qi"]),
                n["qs"], m(b["qs"]), n["rdq"], m(b["rdq"]), n["other"]
        }')
}

# count_register VAR on|off: registers TREE_INDEX into a fresh repository from a cold cache.
# VAR gets the wall-clock seconds, COUNT_LAST_CPU the CPU seconds (user + sys), COUNT_LAST_ID
# the backup id and COUNT_LAST_REPO the repository.
count_register() {
    local __var=$1 __mode=$2 __repo="$RUN/repo-count-$2" __id __status=0 __env=()
    [ "$__mode" = off ] && __env=(WARREN_INDEX_COUNTING=off)
    rm -rf -- "$__repo"
    "$COUNT_WARREN" init --repo "$__repo" > /dev/null
    drop_caches
    local TIMEFORMAT='%R %U %S'
    { time __id=$(env "${__env[@]}" "$COUNT_WARREN" register "$TREE_INDEX" --node bench@localhost --repo "$__repo" \
        2> "$RUN/count-$__mode.err") || __status=$?; } 2> "$RUN/count-$__mode.time"
    [ "$__status" = 0 ] || { cat "$RUN/count-$__mode.err" >&2; die "register (counting $__mode) failed (exit $__status)"; }
    local __times
    read -r -a __times < "$RUN/count-$__mode.time"
    printf -v "$__var" '%s' "${__times[0]}"
    COUNT_LAST_CPU=$(add "${__times[1]}" "${__times[2]}")
    COUNT_LAST_ID=$__id
    COUNT_LAST_REPO=$__repo
}

# Checks the last register's catalog against expected-counts.json (outside the timing).
count_check() {
    local mode=$1 out
    "$COUNT_WARREN" show "$COUNT_LAST_ID" --repo "$COUNT_LAST_REPO" --json > "$RUN/count-show-$mode.json" \
        || die "warren show $COUNT_LAST_ID failed"
    if [ "$mode" = on ]; then
        out=$(python3 "$COUNT_CHECK" "$TREE_INDEX/expected-counts.json" "$RUN/count-show-$mode.json") \
            || die "counting did not report what the generator wrote (see above); show output kept in $RUN/count-show-$mode.json until exit"
    else
        out=$(python3 "$COUNT_CHECK" --off "$TREE_INDEX/expected-counts.json" "$RUN/count-show-$mode.json") \
            || die "WARREN_INDEX_COUNTING=off did not switch counting off (see above)"
    fi
    COUNT_VERIFIED=$out
}

# median of the arguments (mean of the two middle ones for an even count)
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# count_overhead WITH WITHOUT -> "+12.3 %"
count_overhead() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%+.1f %%", (a / b - 1) * 100; else print "n/a" }'; }

bench_count_run() {
    count_settings
    ensure_built
    ensure_count_tree
    mkdir -p "$RUN"
    # Every round runs this copy: a concurrent `swift build` cannot swap the binary mid-way.
    COUNT_WARREN="$RUN/warren-count"
    cp -- "$WARREN" "$COUNT_WARREN"
    count_composition
    log "count tree: $COUNT_COMPOSITION"

    local r t mode on=() off=() cpu_on=() cpu_off=() verified="" order
    for ((r = 1; r <= COUNT_ROUNDS; r++)); do
        if (( r % 2 )); then order="on off"; else order="off on"; fi
        for mode in $order; do
            count_register t "$mode"
            count_check "$mode"
            if [ "$mode" = on ]; then
                on+=("$t"); cpu_on+=("$COUNT_LAST_CPU"); verified=$COUNT_VERIFIED
            else
                off+=("$t"); cpu_off+=("$COUNT_LAST_CPU")
            fi
            log "round $r: register, counting $mode: ${t}s (CPU ${COUNT_LAST_CPU}s); $COUNT_VERIFIED"
            rm -rf -- "$COUNT_LAST_REPO"
        done
    done

    local m_on m_off c_on c_off
    m_on=$(median "${on[@]}")
    m_off=$(median "${off[@]}")
    c_on=$(median "${cpu_on[@]}")
    c_off=$(median "${cpu_off[@]}")
    add_summary "count tree" "$COUNT_COMPOSITION"
    add_summary "register, counting on" "$(printf '%7.2f s  median of %d (%s); CPU %.2f s' "$m_on" "${#on[@]}" "${on[*]}" "$c_on")"
    add_summary "register, counting off" "$(printf '%7.2f s  median of %d (%s); CPU %.2f s' "$m_off" "${#off[@]}" "${off[*]}" "$c_off")"
    add_summary "counting overhead" "$(count_overhead "$m_on" "$m_off") wall-clock (with / without - 1; target <= 10%); CPU $(count_overhead "$c_on" "$c_off") ($(sub "$c_on" "$c_off") s)"
    add_summary "counts" "$verified"
}
