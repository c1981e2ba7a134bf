#!/usr/bin/env bash
# The sample as a small cluster on one machine: a redis-server of its own on a free port of
# 127.0.0.1 (or REDIS_PORT), and two instances of the sample in the `cluster` profile on 8080 and
# 8081 (or PORTS="8080 8081 8082"), each with the others as peers. Ctrl-C stops all of them.
#
#   sample-app/cluster.sh                          # builds the jar first if there is none
#   sample-app/cluster.sh --lockstep.redis.lease=2s  # arguments go to every instance
#   BUILD=1 sample-app/cluster.sh                  # rebuild the jar first
#
# Needs redis-server (Debian/Ubuntu: sudo apt install redis-server; macOS: brew install redis),
# JDK 17+ and Maven. The Debian package's own service is not used (nor needed: stop it if you like).
set -euo pipefail
cd "$(dirname "$0")/.."

ports=(${PORTS:-8080 8081})
jar=sample-app/target/lockstep-sample-app.jar

if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server is not on the PATH: sudo apt install redis-server (Debian, Ubuntu), brew install redis (macOS)" >&2
  exit 1
fi

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

for port in "${ports[@]}"; do
  if listening "$port"; then
    echo "Port $port is taken: stop what listens there, or choose others with PORTS=\"9080 9081\"" >&2
    exit 1
  fi
done

if [ ! -f "$jar" ] || [ -n "${BUILD:-}" ]; then
  echo "== building $jar (mvn -pl sample-app -am package -DskipTests)"
  mvn -B -q -ntp -pl sample-app -am package -DskipTests
fi

redis_port=${REDIS_PORT:-}
if [ -z "$redis_port" ]; then
  for candidate in $(seq 6390 6490); do
    if ! listening "$candidate"; then redis_port=$candidate; break; fi
  done
fi
[ -n "$redis_port" ] || { echo "No free port in 6390-6490 for redis-server: set REDIS_PORT" >&2; exit 1; }

redis_pid=
pids=()
stop() {
  trap - INT TERM EXIT
  echo
  # the instances first: a normal shutdown hands their holds on in Redis, which must still be there
  echo "== stopping the instances ${pids[*]}, then redis-server $redis_pid"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -z "$redis_pid" ] || { kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; }
  rm -rf "${redis_dir:-}"
}
trap stop INT TERM EXIT

redis_dir=$(mktemp -d)
redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --dir "$redis_dir" \
  > >(sed -u "s/^/[redis] /") 2>&1 &
redis_pid=$!
for _ in $(seq 1 100); do listening "$redis_port" && break; sleep 0.1; done
listening "$redis_port" || { echo "redis-server did not start on port $redis_port" >&2; exit 1; }
echo "== redis-server on 127.0.0.1:$redis_port (pid $redis_pid), nothing saved"

for port in "${ports[@]}"; do
  peers=()
  for other in "${ports[@]}"; do [ "$other" = "$port" ] || peers+=("http://127.0.0.1:$other"); done
  java -jar "$jar" --spring.profiles.active=cluster --server.port="$port" \
    --spring.data.redis.port="$redis_port" --sample.cluster.peers="$(IFS=,; echo "${peers[*]}")" "$@" \
    > >(sed -u "s/^/[$port] /") 2>&1 &
  pids+=($!)
  echo "== instance on http://localhost:$port/ (pid $!; crash it with: kill -9 $!)"
done

wait -n "$redis_pid" "${pids[@]}" || true
echo "== a process of the cluster ended; Ctrl-C stops the rest" >&2
wait
