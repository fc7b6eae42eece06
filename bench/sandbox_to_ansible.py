#!/usr/bin/env python3
"""sandbox_to_ansible.py HOST_VARS_DIR OUT BACKUP_ROOT: writes the Ansible inventory of
bench/backup-playbook.yml from the host variables a Ringplan sandbox generated
(.ringplan/sandbox/<name>/host_vars/<host>.yaml): per host the nodetool command with the node's
JMX host and port, the directory above its data directories, connection local."""
import os
import sys

import yaml

src, out, backup_root = sys.argv[1:4]
hosts = {}
for name in sorted(os.listdir(src)):
    if not name.endswith(".yaml"):
        continue
    v = yaml.safe_load(open(os.path.join(src, name)))
    dirs = v["cassandra_data_dirs"]
    hosts[name[:-len(".yaml")]] = {
        "ansible_connection": "local",
        "ansible_python_interpreter": "/usr/bin/python3",
        "nodetool": " ".join(v["nodetool_cmd"] + ["-h", str(v["jmx_host"]), "-p", str(v["jmx_port"])]),
        "node_dir": os.path.commonpath(dirs) if len(dirs) > 1 else os.path.dirname(dirs[0]),
        "backup_root": backup_root,
    }
with open(out, "w") as f:
    yaml.safe_dump({"all": {"hosts": hosts}}, f)
