#!/usr/bin/env python3
"""Per-task overhead, Ringplan against ansible-playbook, alternating runs.

Usage: bench/tasks.py [--runs N] [--tasks N] [--only case,case]
Cases: empty (start-up), ssh1 (1 host over SSH), ssh10 (10 hosts, forks 10), local (connection
local), check (check mode on 1 SSH host), validate (ringplan validate against
ansible-playbook --syntax-check). Every timed run starts without an SSH connection (Ansible's
ControlPersist masters are closed between runs). Prints a Markdown table to stdout, progress to
stderr.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B  # noqa: E402

CASES = ["empty", "ssh1", "ssh10", "local", "check", "validate"]


def write_plans(tmp, tasks):
    """One Ringplan plan and one Ansible playbook per target group, the same N /bin/true tasks.
    Ringplan's tasks each need the previous one, so each host runs them one after the other as
    Ansible does (without needs, Ringplan may run independent tasks at the same time)."""
    for group in ["one", "ten", "loc"]:
        rp = ["name: bench-%s" % group, "hosts: %s" % group, "tasks:"]
        an = ["- hosts: %s" % group, "  gather_facts: false", "  tasks:"]
        for i in range(1, tasks + 1):
            rp.append("  - id: t%d" % i)
            if i > 1:
                rp.append("    needs: [t%d]" % (i - 1))
            rp.append("    command: /bin/true")
            an.append("    - name: t%d" % i)
            an.append("      ansible.builtin.command: /bin/true")
        open(os.path.join(tmp, "rp-%s.yaml" % group), "w").write("\n".join(rp) + "\n")
        open(os.path.join(tmp, "an-%s.yml" % group), "w").write("\n".join(an) + "\n")
    # Empty runs: the smallest plan each tool accepts that does nothing on no host.
    open(os.path.join(tmp, "rp-empty.yaml"), "w").write(
        "name: empty\nhosts: loc\ntasks:\n  - id: nothing\n    when: false\n    debug: {msg: x}\n")
    open(os.path.join(tmp, "an-empty.yml"), "w").write("- hosts: loc\n  gather_facts: false\n  tasks: []\n")


def write_inventory(tmp, sshd):
    inv = {"all": {"vars": B.ssh_vars(sshd), "children": {
        "one": {"hosts": {"h1": {"ansible_host": B.ADDRESSES[0]}}},
        "ten": {"hosts": {"h%d" % i: {"ansible_host": B.ADDRESSES[i - 1]} for i in range(2, 12)}},
        "loc": {"hosts": {"l1": {"ansible_connection": "local"}}}}}}
    path = os.path.join(tmp, "inventory.yaml")
    open(path, "w").write(json.dumps(inv, indent=1))  # JSON is YAML, and both tools read it
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--tasks", type=int, default=50)
    ap.add_argument("--only", default=",".join(CASES))
    ap.add_argument("--before", help="another checkout's ./ringplan launcher, measured too (before/after)")
    a = ap.parse_args()
    cases = a.only.split(",")
    B.install_peers()
    B.build_ringplan()
    tmp = B.workdir("tasks")
    sshd = B.Sshd(tmp).start()
    write_plans(tmp, a.tasks)
    inv = write_inventory(tmp, sshd)
    aenv = B.ansible_env(tmp, sshd, forks=10)
    renv = B.ringplan_env(tmp)
    logf = os.path.join(tmp, "out.log")
    exe = {"now": B.RINGPLAN}
    rp = lambda *args: B.measure([exe["now"]] + list(args), cwd=tmp, env=renv, logfile=logf)
    an = lambda *args, ok=(0,): B.measure(["ansible-playbook", "-i", inv] + list(args), cwd=tmp, env=aenv,
                                          logfile=logf, ok_codes=ok)
    spec = {
        "empty": ("empty run (start-up)", 0, lambda: rp("run", "rp-empty.yaml", "-i", inv),
                  lambda: an("an-empty.yml")),
        "ssh1": ("1 host over SSH", a.tasks, lambda: rp("run", "rp-one.yaml", "-i", inv),
                 lambda: an("an-one.yml")),
        "ssh10": ("10 hosts over SSH, forks 10", a.tasks * 10,
                  lambda: rp("run", "rp-ten.yaml", "-i", inv, "--forks", "10"),
                  lambda: an("an-ten.yml", "--forks", "10")),
        "local": ("connection local", a.tasks, lambda: rp("run", "rp-loc.yaml", "-i", inv),
                  lambda: an("an-loc.yml")),
        # ringplan plan exits 2 with --detailed-exitcode only; plain plan exits 0.
        "check": ("check mode, 1 host over SSH (Ringplan's check of `command` contacts no host; "
                  "Ansible's runs the module's check on the host)", a.tasks,
                  lambda: rp("plan", "rp-one.yaml", "-i", inv), lambda: an("an-one.yml", "--check")),
        "validate": ("`validate` vs `--syntax-check`", 0, lambda: rp("validate", "rp-ten.yaml", "-i", inv),
                     lambda: an("an-ten.yml", "--syntax-check")),
    }
    B.header("Per-task overhead: %d `/bin/true` command tasks" % a.tasks, a.runs)
    results = {}
    for c in cases:
        title, units, frp, fan = spec[c]
        B.log("case %s: %s" % (c, title))
        rp(*(["validate", "rp-one.yaml", "-i", inv]))  # builds/warms the launcher outside the timing
        contestants = [("ringplan", frp), ("ansible", fan)]
        if a.before:
            def before(f=frp):
                exe["now"] = a.before
                try:
                    return f()
                finally:
                    exe["now"] = B.RINGPLAN
            contestants.append(("ringplan before", before))
        results[c] = B.alternate(a.runs, contestants, between=sshd.close_masters)
    rows = []
    empty = results.get("empty")
    for c in cases:
        title, units, _, _ = spec[c]
        r, n = results[c]["ringplan"], results[c]["ansible"]
        rw, nw = [s.wall for s in r], [s.wall for s in n]
        ratio = B.med(nw) / B.med(rw)
        per = ""
        if units and empty:
            re, ne = B.med([s.wall for s in empty["ringplan"]]), B.med([s.wall for s in empty["ansible"]])
            pr, pn = (B.med(rw) - re) / units * 1000, (B.med(nw) - ne) / units * 1000
            per = "%.2f / %.1f = **%.1f×**" % (pr, pn, pn / pr if pr > 0 else float("inf"))
        rows.append([title, B.fmt_stats(rw), B.fmt_stats(nw), "%.2f×" % ratio,
                     "%.2f / %.2f" % (B.med([s.cpu for s in r]), B.med([s.cpu for s in n])), per])
        if a.before:
            b = results[c]["ringplan before"]
            bw = [s.wall for s in b]
            per_b = ""
            if units and empty:
                be = B.med([s.wall for s in empty["ringplan before"]])
                pb = (B.med(bw) - be) / units * 1000
                per_b = "%.2f / %.1f = %.1f×" % (pb, pn, pn / pb if pb > 0 else float("inf"))
            rows.append(["  (before: --before build)", B.fmt_stats(bw), "", "%.2f×" % (B.med(nw) / B.med(bw)),
                         "%.2f" % B.med([s.cpu for s in b]), per_b])
    B.table(["case", "Ringplan wall s, median (min–max)", "Ansible wall s, median (min–max)",
             "Ansible / Ringplan", "CPU s median (Ringplan / Ansible)",
             "ms per task·host net of the empty run (Ringplan / Ansible = ratio)"], rows)
    if "ssh1" in results and "ssh10" in results:
        w1, w10 = B.med([s.wall for s in results["ssh1"]["ringplan"]]), B.med([s.wall for s in results["ssh10"]["ringplan"]])
        print("Ringplan 10 hosts / 1 host wall time: %.2f× (target ≤ 1.5×)\n" % (w10 / w1))
    print("load average at the end: %s" % " ".join(B.load()))


if __name__ == "__main__":
    main()
