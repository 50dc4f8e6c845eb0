# Sourced by Tools/rabbitmq-node: RabbitMQ 4.0.5 nodes inside the trixie chroot that
# Tools/rabbitmq-chroot builds. The node's files stay on the host, in $BASE/NAME like a 3.10
# node's, bind-mounted at the same path inside the chroot: the data directory is the same
# path on both sides, and files Warren writes there are the node's files.
#
# Every node leaves in $BASE/NAME: `chroot` (the chroot's path, marks a 4.0 node) and
# `rabbitmqctl`, a wrapper running the chroot's 4.0.5 rabbitmqctl (pass it to Warren as
# --rabbitmqctl). Mounts are counted under a lock: the chroot's proc, sys, dev and dev/pts are
# unmounted when its last node stops.

CHROOT_TOOL="$HERE/rabbitmq-chroot"

chroot_locked() {
    local root=$1; shift
    mkdir -p "$(dirname "$root")"
    (
        flock -w 120 9 || die "could not lock $root.lock within 120 s"
        "$@"
    ) 9>"$root.lock"
}

start_chroot() {
    local d="$BASE/$name" root
    root=$("$CHROOT_TOOL" path)
    if [ ! -e "$root/.warren-ready" ]; then
        echo "rabbitmq-node: the 4.0.5 chroot is not built yet; building it now (Tools/setup does this once)" >&2
        chroot_locked "$root" "$CHROOT_TOOL" build
    fi
    local uid gid
    uid=$(id -u rabbitmq); gid=$(id -g rabbitmq)
    mkdir -p "$d/mnesia" "$d/log"
    local port
    for ((port = 5700 + RANDOM % 2000; ; port++)); do
        if port_free "$port" && port_free $((port + 20000)); then break; fi
    done
    echo '[].' > "$d/enabled_plugins"
    printf 'listeners.tcp.default = %s\nloopback_users = none\n' "$port" > "$d/rabbitmq.conf"
    echo "$root" > "$d/chroot"
    # The CLI inside the chroot, as the broker's user, with the shared cookie.
    cat > "$d/rabbitmqctl" <<EOF
#!/bin/sh
# RabbitMQ 4.0.5's rabbitmqctl, run inside $root (written by Tools/rabbitmq-node).
exec chroot --userspec=$uid:$gid "$root" /usr/bin/env -i HOME=/var/lib/rabbitmq LANG=C.UTF-8 \\
    PATH=/usr/lib/rabbitmq/bin:/usr/sbin:/usr/bin:/sbin:/bin /usr/lib/rabbitmq/bin/rabbitmqctl "\$@"
EOF
    chmod 755 "$d/rabbitmqctl"
    chown -R rabbitmq:rabbitmq "$d"
    chown root:root "$d/rabbitmqctl"
    chroot_locked "$root" mount_for_node "$root" "$d"
    # The host's epmd serves both sides (loopback is shared); one started inside the chroot
    # would outlive the node and keep the chroot busy.
    command -v epmd >/dev/null && epmd -daemon 2>/dev/null || true
    (
        for fd in /proc/self/fd/*; do
            fd=${fd##*/}
            [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null || true
        done
        # 1,000 queues need more than the default 1024 descriptors (EMFILE in the CQv2 index).
        ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
        setsid chroot --userspec="$uid:$gid" "$root" /usr/bin/env -i HOME=/var/lib/rabbitmq LANG=C.UTF-8 \
            PATH=/usr/lib/rabbitmq/bin:/usr/sbin:/usr/bin:/sbin:/bin \
            RABBITMQ_NODENAME="$name@localhost" RABBITMQ_NODE_PORT="$port" \
            RABBITMQ_DIST_PORT=$((port + 20000)) RABBITMQ_MNESIA_BASE="$d/mnesia" \
            RABBITMQ_LOG_BASE="$d/log" RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" \
            RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" RABBITMQ_PID_FILE="$d/beam.pid" \
            /usr/lib/rabbitmq/bin/rabbitmq-server >"$d/log/console.log" 2>&1 </dev/null &
        echo $! > "$d/pid"
    )
    local ok=0
    for ((i = 0; i < 120; i++)); do
        if "$d/rabbitmqctl" -n "$name@localhost" ping >/dev/null 2>&1; then ok=1; break; fi
        kill -0 "$(cat "$d/pid")" 2>/dev/null || break
        sleep 1
    done
    if [ "$ok" != 1 ] || ! "$d/rabbitmqctl" -n "$name@localhost" await_startup --timeout 120 >"$d/log/await.log" 2>&1; then
        echo "rabbitmq-node: 4.0 node $name did not start; last log lines:" >&2
        tail -20 "$d/log/console.log" >&2 || true
        stop_node "$name"
        exit 1
    fi
    echo "NODE=$name@localhost"
    echo "PORT=$port"
    echo "DIR=$(node_dir "$name")"
    echo "VERSION=$(cat "$root/.warren-ready")"
    echo "RABBITMQCTL=$d/rabbitmqctl"
}

mount_for_node() {
    local root=$1 d=$2
    "$CHROOT_TOOL" mount
    # The shared cookie: host-side and chroot-side CLIs both reach every node.
    install -m 0400 -o rabbitmq -g rabbitmq /var/lib/rabbitmq/.erlang.cookie "$root/var/lib/rabbitmq/.erlang.cookie"
    mkdir -p "$root$d"
    mountpoint -q "$root$d" || mount --bind "$d" "$root$d"
}

umount_for_node() {
    local root=$1 d=$2
    if mountpoint -q "$root$d"; then umount "$root$d" 2>/dev/null || umount -l "$root$d"; fi
    rmdir "$root$d" 2>/dev/null || true
    "$CHROOT_TOOL" umount
}

# Called by stop_node before it deletes $BASE/NAME: the processes are gone by then or killed
# here, then the node's bind mount goes, then the system mounts if no other node needs them.
stop_chroot_node() {
    local n=$1 d="$BASE/$1" root
    root=$(cat "$d/chroot")
    [ -x "$d/rabbitmqctl" ] && timeout 60 "$d/rabbitmqctl" -n "$n@localhost" stop >/dev/null 2>&1 || true
    for f in "$d/beam.pid" "$d/pid"; do
        if [ -s "$f" ]; then
            local p; p=$(cat "$f")
            kill -0 "$p" 2>/dev/null && { pkill -KILL -s "$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true; }
        fi
    done
    chroot_locked "$root" umount_for_node "$root" "$d"
}
