#!/bin/sh
# A stand-in for kubectl, for tests only: there is no Kubernetes cluster on the test machines.
# It accepts exactly the argv shape Ringplan's kubectl connection builds,
#   kubectl [--kubeconfig F] [--context C] [-n NS] [EXTRA...] exec -i POD [-c CONTAINER] -- ARGV...
# appends that argv (one argument per line, then a line "--end--") to kubectl-argv.log beside
# itself, answers a missing pod as kubectl does (exit 1, "Error from server (NotFound): pods ..."),
# and runs ARGV with "docker exec -i POD ARGV..." (the pod is a Docker container of that name).
{ printf '%s\n' "$@"; echo "--end--"; } >>"$(dirname "$0")/kubectl-argv.log"
while [ $# -gt 0 ]; do
  case $1 in
    --kubeconfig|--context|-n) shift 2 ;;
    --request-timeout=*|-v=*) shift ;;
    exec) shift; break ;;
    *) echo "kubectl stand-in: unexpected argument '$1'" >&2; exit 64 ;;
  esac
done
[ "${1:-}" = -i ] || { echo "kubectl stand-in: expected -i after exec" >&2; exit 64; }
shift
pod=$1
shift
if [ "${1:-}" = -c ]; then
  shift 2
fi
[ "${1:-}" = -- ] || { echo "kubectl stand-in: expected -- before the command" >&2; exit 64; }
shift
if ! docker inspect --type container "$pod" >/dev/null 2>&1; then
  echo "Error from server (NotFound): pods \"$pod\" not found" >&2
  exit 1
fi
exec docker exec -i "$pod" "$@"
