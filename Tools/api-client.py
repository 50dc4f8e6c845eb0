#!/usr/bin/env python3
"""Builds a Python client from docs/openapi.json with openapi-python-client (PyPI, pinned in
Tools/setup) and uses it, as an API consumer would, against a running `warren serve`:
lists the backups and runs a verify job to its end. Prints one JSON object with what it saw.

    Tools/api-client.py SOCKET [BACKUP_ID]

Used by GeneratedClientEndToEndTests; exits non-zero when generation or a call fails."""
import json, os, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
socket = sys.argv[1]
work = tempfile.mkdtemp(prefix="warren-client-")
subprocess.run(["openapi-python-client", "generate", "--path", os.path.join(root, "docs/openapi.json"),
                "--meta", "none", "--output-path", os.path.join(work, "warren_client")],
               check=True, stdout=subprocess.DEVNULL)
sys.path.insert(0, work)

import httpx
from warren_client import Client
from warren_client.api.default import get_job, list_backups, verify_backup
from warren_client.models import BackupSummary, Job, JobState, VerifyRequest, VerifyResult

client = Client(base_url="http://warren", httpx_args={"transport": httpx.HTTPTransport(uds=socket)})
backups = list_backups.sync(client=client, limit=20)
assert isinstance(backups, list) and all(isinstance(b, BackupSummary) for b in backups), backups
target = int(sys.argv[2]) if len(sys.argv) > 2 else backups[0].id
job = verify_backup.sync(client=client, id=target, body=VerifyRequest(full=True))
assert isinstance(job, Job), job
deadline = time.time() + 120
while job.state in (JobState.WAITING, JobState.RUNNING) and time.time() < deadline:
    time.sleep(0.05)
    job = get_job.sync(client=client, id=job.id)
assert isinstance(job.result, VerifyResult), job
print(json.dumps({
    "backups": [b.id for b in backups],
    "nodes": sorted({b.node for b in backups}),
    "job": job.id, "kind": job.kind.value, "state": job.state.value,
    "verified": job.result.backup, "verdict": job.result.verdict.value,
    "findings": sorted(f.code.value for f in job.result.findings),
}))
