#!/usr/bin/env bash
# Builds the Docker image ringplan/cassandra:5.0.7 without any image registry:
#   1. a Debian bookworm base image from Debian's package mirror (debootstrap --variant=minbase,
#      then `docker import`), cached as a tarball under $RINGPLAN_DOCKER_CACHE;
#   2. FROM it, JDK 17 (openjdk-17-jre-headless) from apt, installed in a build container on the
#      host network (no registry involved, only the Debian mirror);
#   3. the cassandra-all 5.0.7 jars and their runtime dependencies that the sandbox already
#      resolves from the local Maven repository (sandbox/target/cassandra-lib), plus an entry
#      point and nodetool / sstableloader wrappers (sandbox/docker/files/).
# The image is labelled with a digest of its inputs; when an image with the same digest exists,
# nothing is built ("up to date"). Prints the build time.
#
# Usage: sandbox/docker/build-image.sh [--force]
# Needs: a running Docker engine, root (debootstrap) for the first base image, the Maven
# repository with cassandra-all 5.0.7 (mvn -o), network access to the Debian mirror.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
IMAGE=${RINGPLAN_CASSANDRA_IMAGE:-ringplan/cassandra:5.0.7}
BASE=ringplan/debian:bookworm
CACHE=${RINGPLAN_DOCKER_CACHE:-$HOME/.cache/ringplan/docker}
LIB=$REPO/sandbox/target/cassandra-lib
FILES=$REPO/sandbox/docker/files
FORCE=${1:-}
start=$(date +%s)
DOCKER=${DOCKER:-docker}

log() { printf 'build-image: %s\n' "$*" >&2; }

# The Debian mirror apt uses on this machine (deb822 sources first, then sources.list).
mirror() {
  local m=""
  if [[ -r /etc/apt/sources.list.d/debian.sources ]]; then
    m=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
  fi
  if [[ -z "$m" && -r /etc/apt/sources.list ]]; then
    m=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' \
      /etc/apt/sources.list)
  fi
  echo "${m:-http://deb.debian.org/debian}"
}

# 1. The base image.
if ! $DOCKER image inspect "$BASE" >/dev/null 2>&1; then
  mkdir -p "$CACHE"
  tarball=$CACHE/debian-bookworm-minbase.tar
  if [[ ! -s "$tarball" ]]; then
    command -v debootstrap >/dev/null || { log "debootstrap is not installed (apt-get install -y debootstrap)"; exit 1; }
    rootfs=$(mktemp -d "$CACHE/rootfs.XXXXXX")
    trap 'rm -rf "$rootfs"' EXIT
    log "debootstrap --variant=minbase bookworm from $(mirror) (about 2 minutes)"
    debootstrap --variant=minbase bookworm "$rootfs" "$(mirror)" >"$CACHE/debootstrap.log" 2>&1 \
      || { log "debootstrap failed, see $CACHE/debootstrap.log"; tail -5 "$CACHE/debootstrap.log" >&2; exit 1; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$tarball.tmp" .
    mv -f "$tarball.tmp" "$tarball"
    rm -rf "$rootfs"
    trap - EXIT
  fi
  log "docker import $tarball as $BASE"
  $DOCKER import "$tarball" "$BASE" >/dev/null
fi

# 2. The Cassandra lib directory.
if [[ ! -f "$LIB/cassandra-all-5.0.7.jar" ]]; then
  log "making $LIB (mvn -q -pl sandbox/cassandra-lib generate-resources)"
  mvn -B -o -q -pl sandbox/cassandra-lib generate-resources 2>/dev/null \
    || mvn -B -q -pl sandbox/cassandra-lib generate-resources
fi

# 3. The image, unless one built from the same inputs exists.
inputs=$( { (cd "$LIB" && ls -l --time-style=+ -- *.jar); cat "$FILES"/* "$0" \
  sandbox/src/main/resources/dev/ringplan/sandbox/jvm17-jpms.args; } | sha256sum | cut -c1-16)
have=$($DOCKER image inspect -f '{{ index .Config.Labels "dev.ringplan.inputs" }}' "$IMAGE" 2>/dev/null || true)
if [[ "$have" == "$inputs" && "$FORCE" != "--force" ]]; then
  log "$IMAGE is up to date (inputs $inputs)"
  exit 0
fi
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
mkdir "$ctx/lib"
cp -l "$LIB"/*.jar "$ctx/lib/" 2>/dev/null || cp "$LIB"/*.jar "$ctx/lib/"
cp "$FILES"/* "$ctx/"
cp sandbox/src/main/resources/dev/ringplan/sandbox/jvm17-jpms.args "$ctx/"
cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $BASE
# JDK 17 from Debian's mirror (the build runs on the host network: no registry is involved).
RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \\
      openjdk-17-jre-headless procps \\
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
COPY lib/ /opt/cassandra/lib/
COPY jvm17-jpms.args logback.xml tools-logback.xml /opt/cassandra/conf/
COPY cassandra-entrypoint cassandra-start cassandra-stop nodetool sstableloader /usr/local/bin/
RUN cd /usr/local/bin && chmod 0755 cassandra-entrypoint cassandra-start cassandra-stop nodetool sstableloader \\
 && mkdir -p /etc/cassandra /var/lib/cassandra/data /var/lib/cassandra/commitlog /var/lib/cassandra/hints \\
      /var/lib/cassandra/saved_caches /var/log/cassandra /var/run/cassandra
# Data in a volume, as runbook 002 keeps it: and renames inside it are plain rename(2), never
# overlayfs' copy-up.
VOLUME /var/lib/cassandra
LABEL dev.ringplan.inputs="$inputs" org.opencontainers.image.title="Cassandra 5.0.7 for Ringplan tests"
ENV CASSANDRA_HOME=/opt/cassandra
EXPOSE 7000 9042
ENTRYPOINT ["/usr/local/bin/cassandra-entrypoint"]
DOCKERFILE
log "docker build --network host -t $IMAGE"
$DOCKER build -q --network host -t "$IMAGE" "$ctx" >/dev/null
log "built $IMAGE in $(( $(date +%s) - start )) s"
