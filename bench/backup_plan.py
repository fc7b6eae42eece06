#!/usr/bin/env python3
"""The backup job end to end: plans/backup.yaml on a 2-node sandbox against the same runbook as a
plain Ansible playbook (bench/backup-playbook.yml: flush, snapshot, tar czf of the snapshot
directories, fetch to controller storage, clearsnapshot), alternating runs, gzip on both sides.

Usage: bench/backup_plan.py [--runs N] [--keep-sandbox]
Brings up the sandbox "bench" (2 nodes, 2 data directories each, sample keyspaces) through
Ringplan's own inventory, derives the Ansible inventory from the variables the sandbox generated
(bench/sandbox_to_ansible.py) and stops the sandbox at the end unless --keep-sandbox or it was
already running. Both tools reach the nodes with connection local, as the sandbox's nodes are
processes on this machine.
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SANDBOX = "bench"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep-sandbox", action="store_true")
    a = ap.parse_args()
    B.install_peers()
    B.build_ringplan()
    tmp = B.workdir("backup-plan")
    state = os.path.join(B.ROOT, ".ringplan", "sandbox", SANDBOX)
    renv = B.ringplan_env(tmp)
    status = subprocess.run([B.RINGPLAN, "sandbox", "status", "--name", SANDBOX], cwd=B.ROOT, env=renv,
                            capture_output=True, text=True)
    was_up = status.returncode == 0 and "UN" in status.stdout
    inv = os.path.join(tmp, "sandbox.yaml")
    rp_root = os.path.join(tmp, "rp-backups")
    an_root = os.path.join(tmp, "an-backups")
    with open(inv, "w") as f:
        f.write("all:\n  vars:\n    ringplan_sandbox: {name: %s, nodes: 2, data_dirs: 2, load: true}\n"
                "    backup_root: %s\n  children:\n    cassandra:\n      hosts:\n"
                "        node1: {ringplan_sandbox_node: 1}\n        node2: {ringplan_sandbox_node: 2}\n"
                % (SANDBOX, rp_root))
    B.log("sandbox %s: %s" % (SANDBOX, "running" if was_up else "bringing it up (a few minutes)"))
    logf = os.path.join(tmp, "out.log")
    # A check-mode run brings the sandbox up and loads it, outside the timing.
    B.measure([B.RINGPLAN, "plan", os.path.join(B.ROOT, "plans", "backup.yaml"), "-i", inv, "-e", "tag=warmup"],
              cwd=B.ROOT, env=renv, logfile=logf)
    try:
        an_inv = os.path.join(tmp, "ansible-inventory.yaml")
        subprocess.run([sys.executable, os.path.join(HERE, "sandbox_to_ansible.py"), os.path.join(state, "host_vars"),
                        an_inv, an_root], check=True)
        aenv = B.ansible_env(tmp, None, forks=10)
        n = {"rp": 0, "an": 0}

        def ringplan():
            n["rp"] += 1
            return B.measure([B.RINGPLAN, "run", os.path.join(B.ROOT, "plans", "backup.yaml"), "-i", inv,
                              "-e", "tag=rp%d compression=gzip" % n["rp"]], cwd=B.ROOT, env=renv, logfile=logf)

        def ansible():
            n["an"] += 1
            env = dict(aenv, TAG="an%d" % n["an"])
            return B.measure(["ansible-playbook", "-i", an_inv, os.path.join(HERE, "backup-playbook.yml")],
                             cwd=tmp, env=env, logfile=logf)
        res = B.alternate(a.runs, [("ringplan plans/backup.yaml", ringplan), ("ansible backup-playbook.yml", ansible)])
    finally:
        if not was_up and not a.keep_sandbox:
            subprocess.run([B.RINGPLAN, "sandbox", "down", "--name", SANDBOX], cwd=B.ROOT, env=renv,
                           stdout=subprocess.DEVNULL)
    B.header("Backup plan on the 2-node sandbox (gzip): plans/backup.yaml against an Ansible playbook", a.runs)
    r, p = res["ringplan plans/backup.yaml"], res["ansible backup-playbook.yml"]
    rows = [["Ringplan plans/backup.yaml", B.fmt_stats([s.wall for s in r]), "%.2f" % B.med([s.cpu for s in r])],
            ["Ansible bench/backup-playbook.yml", B.fmt_stats([s.wall for s in p]), "%.2f" % B.med([s.cpu for s in p])]]
    B.table(["how", "wall s, median (min–max)", "CPU s (controller, nodetool JVMs included)"], rows)
    print("Ansible / Ringplan: %.2f× (target ≥ 3×)\n" % (B.med([s.wall for s in p]) / B.med([s.wall for s in r])))
    print("load average at the end: %s" % " ".join(B.load()))


if __name__ == "__main__":
    main()
