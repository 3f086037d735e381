#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the reference server's tests.
#
#   postgres.sh start <dir>   installs Debian's `postgresql` when initdb is missing, creates a
#                             cluster in <dir>, starts it on 127.0.0.1 on a free port (unix
#                             sockets in <dir>), creates the database and prints ONE line on
#                             stdout: postgres://kargojet:<password>@127.0.0.1:<port>/kargojet
#                             (starting an already running <dir> prints its URL again)
#   postgres.sh stop <dir>    stops it (the files stay; delete <dir> afterwards)
#   postgres.sh url <dir>     prints the URL of a running cluster
#
# Everything else goes to stderr and <dir>/postgres.log. PostgreSQL refuses to run as root, so
# as root the cluster belongs to the `postgres` user (`runuser -u postgres --`); <dir> and its
# parents must then be reachable by that user. The cluster is for tests only: fsync is off.
set -euo pipefail

die() {
    echo "postgres.sh: $*" >&2
    exit 1
}

usage() {
    die "usage: postgres.sh start|stop|url <dir>"
}

[[ $# -eq 2 ]] || usage
cmd=$1
dir=$2

# The PostgreSQL binaries directory (newest version first), or empty.
find_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -V -r); do
        if [[ -x $d/initdb && -x $d/pg_ctl ]]; then
            echo "$d"
            return
        fi
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    fi
}

install_postgres() {
    echo "postgres.sh: initdb not found; installing Debian's postgresql" >&2
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || die "not root and no sudo: install postgresql first"
        sudo=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q >&2
    "${sudo[@]}" apt-get install -y -q --no-install-recommends postgresql >&2
}

# Runs a PostgreSQL binary as the cluster's owner.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null && return
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return
        fi
    done
    die "no free port found"
}

url_of() {
    [[ -f $dir/url ]] || die "no cluster in $dir (run: postgres.sh start $dir)"
    cat "$dir/url"
}

running() {
    [[ -d $dir/data ]] && as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

start() {
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if (( ${#dir} > 90 )); then
        die "$dir is too long for a unix socket path; use a shorter directory"
    fi
    if running; then
        url_of
        return
    fi
    if [[ $(id -u) -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || die "user postgres is missing (is the postgresql package installed?)"
        chown postgres: "$dir"
        runuser -u postgres -- test -w "$dir" ||
            die "user postgres cannot write $dir (its parents must be searchable); use a directory under /tmp"
    fi
    if [[ ! -f $dir/data/PG_VERSION ]]; then
        local password
        password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
        local pwfile=$dir/pwfile
        (umask 077 && printf '%s\n' "$password" >"$pwfile")
        [[ $(id -u) -eq 0 ]] && chown postgres: "$pwfile"
        as_owner "$bindir/initdb" -D "$dir/data" -U kargojet --pwfile="$pwfile" \
            --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >>"$dir/initdb.log" 2>&1 ||
            as_owner "$bindir/initdb" -D "$dir/data" -U kargojet --pwfile="$pwfile" \
                --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >>"$dir/initdb.log" 2>&1 ||
            die "initdb failed; see $dir/initdb.log"
        rm -f "$pwfile"
        printf '%s\n' "$password" >"$dir/password"
        chmod 600 "$dir/password"
    fi
    local password port attempt
    password=$(cat "$dir/password")
    for attempt in 1 2 3; do
        port=$(free_port)
        if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            >&2; then
            break
        fi
        echo "postgres.sh: start on port $port failed (attempt $attempt); see $dir/postgres.log" >&2
        port=
    done
    [[ -n $port ]] || die "PostgreSQL did not start; see $dir/postgres.log"
    if ! as_owner "$bindir/psql" -h "$dir" -p "$port" -U kargojet -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'kargojet'" | grep -q 1; then
        as_owner "$bindir/createdb" -h "$dir" -p "$port" -U kargojet kargojet >&2
    fi
    local url="postgres://kargojet:$password@127.0.0.1:$port/kargojet"
    printf '%s\n' "$url" >"$dir/url"
    chmod 600 "$dir/url"
    echo "$url"
}

stop() {
    [[ -d $dir/data ]] || die "no cluster in $dir"
    if running; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >&2
    else
        echo "postgres.sh: the cluster in $dir is not running" >&2
    fi
    rm -f "$dir/url"
}

bindir=$(find_bindir)
if [[ -z $bindir ]]; then
    [[ $cmd == start ]] || die "PostgreSQL is not installed"
    install_postgres
    bindir=$(find_bindir)
    [[ -n $bindir ]] || die "initdb is still missing after installing postgresql"
fi

case $cmd in
start) start ;;
stop) stop ;;
url) url_of ;;
*) usage ;;
esac
