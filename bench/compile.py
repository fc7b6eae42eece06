#!/usr/bin/env python3
"""Compile scaling: `ringplan validate` of a 20-task plan against inventories of 10 to 100,000
hosts (wall, CPU, peak RSS), with `ansible-playbook --list-hosts` on the same inventory and
playbook beside it (Ansible's nearest command that parses the inventory and the play without
contacting a host).

Usage: bench/compile.py [--runs N] [--sizes 10,100,...] [--tasks 20] [--give-up S]
A size is skipped (and every larger one) once a run of it took more than --give-up seconds.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B  # noqa: E402


def write_inputs(tmp, hosts, tasks):
    """An inventory of `hosts` hosts in 4 datacenter groups under `cassandra`, a Ringplan plan and an Ansible playbook of
    `tasks` command tasks on `cassandra`, each task needing the previous one."""
    inv = os.path.join(tmp, "inv-%d.yaml" % hosts)
    # One short line per host (Ringplan refuses inventory files over 4 MiB): a host variable
    # of its own (rack) on each, ansible_host from the group.
    with open(inv, "w") as f:
        f.write("all:\n  vars:\n    ansible_user: cassandra\n  children:\n    cassandra:\n      children:\n")
        per = (hosts + 3) // 4
        n = 0
        for dc in range(1, 5):
            f.write("        dc%d:\n          vars: {ansible_host: 10.0.0.%d}\n          hosts:\n" % (dc, dc))
            for _ in range(per):
                if n == hosts:
                    break
                n += 1
                f.write("            h%06d: {rack: r%d}\n" % (n, n % 16))
    rp = os.path.join(tmp, "plan.yaml")
    an = os.path.join(tmp, "play.yml")
    with open(rp, "w") as f:
        f.write("name: compile\nhosts: cassandra\nvars:\n  tag: t1\ntasks:\n")
        for i in range(1, tasks + 1):
            f.write("  - id: t%d\n" % i + ("    needs: [t%d]\n" % (i - 1) if i > 1 else "")
                    + "    command: echo {{ inventory_hostname }} {{ tag }}\n")
    with open(an, "w") as f:
        f.write("- hosts: cassandra\n  gather_facts: false\n  vars:\n    tag: t1\n  tasks:\n")
        for i in range(1, tasks + 1):
            f.write("    - name: t%d\n      ansible.builtin.command: echo {{ inventory_hostname }} {{ tag }}\n" % i)
    return inv, rp, an


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="10,100,1000,10000,30000,100000")
    ap.add_argument("--tasks", type=int, default=20)
    ap.add_argument("--give-up", type=float, default=60.0)
    ap.add_argument("--no-ansible", action="store_true")
    ap.add_argument("--before", help="another checkout's ./ringplan launcher, measured too (before/after)")
    a = ap.parse_args()
    B.install_peers()
    B.build_ringplan()
    tmp = B.workdir("compile")
    logf = os.path.join(tmp, "out.log")
    renv, aenv = B.ringplan_env(tmp), B.ansible_env(tmp)
    B.header("Compile scaling: `ringplan validate`, %d tasks × N hosts" % a.tasks, a.runs)
    rows = []
    gave_up = False
    for size in [int(s) for s in a.sizes.split(",")]:
        if gave_up:
            rows.append([size, "skipped", "", "", "", ""])
            continue
        inv, rp, an = write_inputs(tmp, size, a.tasks)
        B.log("size %d" % size)
        contestants = [("ringplan validate", lambda: B.measure([B.RINGPLAN, "validate", rp, "-i", inv],
                                                                cwd=tmp, env=renv, logfile=logf))]
        if a.before:
            contestants.append(("ringplan before", lambda: B.measure([a.before, "validate", rp, "-i", inv],
                                                                    cwd=tmp, env=renv, logfile=logf)))
        if not a.no_ansible:
            contestants.append(("ansible --list-hosts", lambda: B.measure(
                ["ansible-playbook", "--list-hosts", "-i", inv, an], cwd=tmp, env=aenv, logfile=logf)))
        res = B.alternate(a.runs, contestants)
        r = res["ringplan validate"]
        wall = [s.wall for s in r]
        row = [size, B.fmt_stats(wall), "%.2f" % B.med([s.cpu for s in r]), "%.0f" % max(s.rss_mb for s in r),
               "%.1f" % (B.med(wall) / size * 1e6)]
        if not a.no_ansible:
            n = res["ansible --list-hosts"]
            row.append("%s s, %.0f MB" % (B.fmt_stats([s.wall for s in n]), max(s.rss_mb for s in n)))
        else:
            row.append("")
        if a.before:
            b = res["ringplan before"]
            row.append("%s s, %.2f CPU s, %.0f MB" % (B.fmt_stats([s.wall for s in b]), B.med([s.cpu for s in b]),
                                                       max(s.rss_mb for s in b)))
        rows.append(row)
        gave_up = max(wall) > a.give_up
    B.table(["hosts", "Ringplan validate wall s, median (min–max)", "CPU s", "peak RSS MB",
             "µs per host (wall)", "ansible-playbook --list-hosts"] + (["Ringplan before"] if a.before else []), rows)
    print("load average at the end: %s" % " ".join(B.load()))


if __name__ == "__main__":
    main()
