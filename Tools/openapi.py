#!/usr/bin/env python3
"""Writes docs/openapi.json (the service's OpenAPI 3 document). Edit this file, run it,
commit the output; the build embeds it (EmbedOpenAPIPlugin) and WarrenServerTests checks
that every route is documented and that real answers conform to it."""
import json, os

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def ref(name): return {"$ref": f"#/components/schemas/{name}"}
def js(schema): return {"application/json": {"schema": schema}}
def ok(desc, schema, status="200"): return {status: {"description": desc, "content": js(schema)}}
ERR = {"description": "error", "content": js(ref("Error"))}
def errors(*codes): return {str(c): ERR for c in codes}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 9223372036854775807}}
def body(schema, required=True): return {"required": required, "content": js(schema)}

def opt(schema):
    """An optional body field: the service treats null like an absent field."""
    out = dict(schema)
    out["type"] = [schema["type"], "null"]
    return out

NOCTRL = "^[^\\u0000-\\u001f\\u007f-\\u009f]+$"
NOCTRL0 = NOCTRL[:-2] + "*$"
NODE = {"type": "string", "minLength": 1, "pattern": NOCTRL, "description": "as rabbitmqctl -n takes it: at most 255 bytes, no control characters"}
keep = {k: opt({"type": "integer", "minimum": 1, "maximum": 1000000}) for k in
        ["keep_last", "keep_hourly", "keep_daily", "keep_weekly", "keep_monthly", "keep_yearly"]}
keep["keep_within"] = opt({"type": "string", "pattern": "^(?=.)([1-9][0-9]{0,2}y)?([1-9][0-9]{0,2}m)?([1-9][0-9]{0,2}w)?([1-9][0-9]{0,3}d)?([1-9][0-9]{0,4}h)?$", "example": "14d"})
strs = {"type": "array", "items": {"type": "string"}}
optstrs = {"type": ["array", "null"], "items": {"type": "string", "description": "at most 4096 bytes"}}
nstr = {"type": ["string", "null"]}
OPTSTR = opt({"type": "string", "description": "at most 4096 bytes, no NUL"})
OPTBOOL = {"type": ["boolean", "null"]}

schemas = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message", "details"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": {}}}}},
    "Health": {"type": "object", "required": ["status", "repository", "pid", "backups", "jobs_running", "jobs_waiting"],
               "properties": {"status": {"type": "string", "enum": ["ok"]}, "repository": {"type": "string"},
                              "pid": {"type": "integer"}, "backups": {"type": "integer"},
                              "jobs_running": {"type": "integer"}, "jobs_waiting": {"type": "integer"}}},
    "BackupSummary": {"type": "object", "description": "A `warren list --json` element.",
                      "required": ["id", "node", "state", "taken_at", "file_count", "logical_bytes", "pinned"],
                      "properties": {"id": {"type": "integer"}, "node": {"type": "string"}, "label": nstr,
                                     "state": {"type": "string", "enum": ["in_progress", "complete", "failed"]},
                                     "taken_at": {"type": "string"}, "file_count": {"type": "integer"},
                                     "logical_bytes": {"type": "integer"}, "last_verdict": nstr, "pinned": {"type": "boolean"}}},
    "BackupDetail": {"type": "object", "description": "`warren show --json`.", "required": ["backup", "vhosts", "queues"],
                     "properties": {"backup": ref("BackupSummary"), "vhosts": {"type": "array", "items": {"type": "object"}},
                                    "queues": {"type": "array", "items": ref("Queue")}}},
    "Queue": {"type": "object", "required": ["defined", "has_data", "file_count", "bytes"],
              "properties": {"vhost": nstr, "name": nstr, "defined": {"type": "boolean"}, "has_data": {"type": "boolean"},
                             "file_count": {"type": "integer"}, "bytes": {"type": "integer"}}},
    "BackupDiff": {"type": "object", "description": "`warren diff --json`."},
    "StoredPolicy": {"type": "object", "description": "A `warren policy show --json` element.",
                     "required": ["policy", "updated_at"], "properties": {"node": nstr, "policy": {"type": "object"}, "updated_at": {"type": "string"}}},
    "Schedule": {"type": "object", "required": ["id", "node", "every_seconds", "stop_app", "created_at", "run_count"],
                 "properties": {"id": {"type": "integer"}, "node": {"type": "string"}, "every_seconds": {"type": "integer"},
                                "stop_app": {"type": "boolean"}, "created_at": {"type": "string"}, "last_run_at": nstr,
                                "last_outcome": {"type": ["string", "null"], "enum": ["succeeded", "failed", None]},
                                "last_backup_id": {"type": ["integer", "null"]}, "last_verdict": nstr,
                                "last_removed": {"type": ["integer", "null"]}, "last_error": nstr, "run_count": {"type": "integer"}}},
    "Progress": {"type": "object", "required": ["phase", "bytes_done", "bytes_total", "files_done", "files_total"],
                 "properties": {"phase": {"type": "string"}, "bytes_done": {"type": "integer"}, "bytes_total": {"type": "integer"},
                                "files_done": {"type": "integer"}, "files_total": {"type": "integer"}}},
    "Job": {"type": "object", "description": "A long operation. `result` is the CLI's `--json` output of the same operation "
                                             "(backup: BackupSummary; verify: `verify --json`; restore: `restore --json`; prune: `prune --json`).",
            "required": ["id", "kind", "state", "needs_lock", "cancel_requested", "created_at", "started_at", "finished_at",
                         "progress", "request", "result", "error"],
            "properties": {"id": {"type": "integer"}, "kind": {"type": "string", "enum": ["backup", "verify", "restore", "prune", "scheduled"]},
                           "state": {"type": "string", "enum": ["waiting", "running", "succeeded", "failed", "cancelled"]},
                           "needs_lock": {"type": "boolean"}, "cancel_requested": {"type": "boolean"},
                           "created_at": {"type": "string"}, "started_at": nstr, "finished_at": nstr,
                           "progress": {"oneOf": [{"type": "null"}, ref("Progress")]}, "request": {"type": "object"},
                           "result": {}, "error": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["code", "message"]}]}}},
    "BackupRequest": {"type": "object", "additionalProperties": False, "required": ["node"],
                      "properties": {"node": NODE, "data_dir": OPTSTR, "stop_app": OPTBOOL,
                                     "label": opt({"type": "string", "pattern": NOCTRL0, "description": "at most 1024 bytes, no control characters"}), "rehash": OPTBOOL}},
    "VerifyRequest": {"type": "object", "additionalProperties": False,
                      "properties": {"full": OPTBOOL, "target_version": OPTSTR, "exclude_queues": optstrs, "exclude_vhosts": optstrs,
                                     "allow_unmatched_exclusions": OPTBOOL},
                      "description": "An exclusion that matches no queue or vhost of the backup is 400 invalid_argument unless allow_unmatched_exclusions is true."},
    "RestoreRequest": {"type": "object", "additionalProperties": False, "required": ["backup", "node"],
                       "description": "Needs \"confirm\": true unless \"dry_run\": true. An exclusion that matches nothing is 400 invalid_argument unless allow_unmatched_exclusions is true.",
                       "properties": {"backup": {"type": "integer", "minimum": 1, "maximum": 9223372036854775807}, "node": NODE,
                                      "data_dir": OPTSTR, "exclude_queues": optstrs, "exclude_vhosts": optstrs,
                                      "allow_unmatched_exclusions": OPTBOOL,
                                      "dry_run": OPTBOOL, "replace_vhost_data": OPTBOOL, "confirm": OPTBOOL},
                       "if": {"required": ["dry_run"], "properties": {"dry_run": {"const": True}}},
                       "else": {"required": ["confirm"], "properties": {"confirm": {"const": True}}}},
    "PruneRequest": {"type": "object", "additionalProperties": False,
                     "properties": dict({"node": OPTSTR, "dry_run": OPTBOOL}, **keep)},
    "PolicyRequest": {"type": "object", "additionalProperties": False,
                      "description": "Without node: the default policy. At least one keep_* field (not null).",
                      "properties": dict({"node": opt(NODE)}, **keep),
                      "anyOf": [{"required": [k], "properties": {k: {"not": {"type": "null"}}}} for k in sorted(keep)]},
    "PinRequest": {"type": "object", "additionalProperties": False, "properties": {"note": opt({"type": "string", "pattern": NOCTRL0, "description": "at most 4096 bytes, no control characters"})}},
}

job202 = {"202": {"description": "job accepted; follow it at Location",
                  "headers": {"Location": {"schema": {"type": "string"}, "description": "/v1/jobs/{id}"}},
                  "content": js(ref("Job")),
                  "links": {"GetJob": {"operationId": "getJob", "parameters": {"id": "$response.body#/id"}},
                            "CancelJob": {"operationId": "cancelJob", "parameters": {"id": "$response.body#/id"}},
                            "DeleteJob": {"operationId": "deleteJob", "parameters": {"id": "$response.body#/id"}}}}}
paths = {
    "/v1/health": {"get": {"operationId": "health", "summary": "Service health", "responses": ok("ok", ref("Health"))}},
    "/v1/metrics": {"get": {"operationId": "metrics", "summary": "Prometheus text format: last backup age and verdict per node, repository bytes, job counts and durations",
                            "responses": {"200": {"description": "Prometheus text exposition format 0.0.4",
                                                  "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
    "/v1/openapi.json": {"get": {"operationId": "openapi", "summary": "This document", "responses": ok("OpenAPI 3 document", {"type": "object"})}},
    "/v1/backups": {
        "get": {"operationId": "listBackups", "summary": "History, newest first (the `warren list --json` array)",
                "parameters": [
                    {"name": "node", "in": "query", "schema": {"type": "string"}},
                    {"name": "since", "in": "query", "schema": {"type": "string", "format": "date-time"}, "description": "taken_at >= (RFC 3339 with a zone, or a date YYYY-MM-DD)"},
                    {"name": "until", "in": "query", "schema": {"type": "string", "format": "date-time"}, "description": "taken_at <="},
                    {"name": "verdict", "in": "query", "schema": {"type": "string", "enum": ["viable", "viable_with_warnings", "not_viable", "unverified"]}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}},
                    {"name": "cursor", "in": "query", "schema": {"type": "string", "minLength": 1}, "description": "the Warren-Next-Cursor header of the previous page (an opaque token; any other value is 400 invalid_cursor)"}],
                "responses": dict({"200": {"description": "one page; the header Warren-Next-Cursor is set when more follow",
                                           "headers": {"Warren-Next-Cursor": {"schema": {"type": "string"}}},
                                           "content": js({"type": "array", "items": ref("BackupSummary")})}}, **errors(400))},
        "post": {"operationId": "takeBackup", "summary": "Take a backup of a running node (job)",
                 "requestBody": body(ref("BackupRequest")), "responses": dict(job202, **errors(400, 409, 413))}},
    "/v1/backups/{id}": {"get": {"operationId": "showBackup", "summary": "One backup (`warren show --json`)", "parameters": [ID],
                                 "responses": dict(ok("the backup", ref("BackupDetail")), **errors(400, 404))}},
    "/v1/backups/{id}/queues": {"get": {"operationId": "backupQueues", "summary": "The backup's queues", "parameters": [ID],
                                        "responses": dict(ok("queues", {"type": "array", "items": ref("Queue")}), **errors(400, 404))}},
    "/v1/backups/{id}/pin": {
        "put": {"operationId": "pinBackup", "summary": "Pin: prune never removes it", "parameters": [ID],
                "requestBody": body(ref("PinRequest"), False), "responses": dict(ok("the pinned backup", ref("BackupSummary")), **errors(400, 404, 413))},
        "delete": {"operationId": "unpinBackup", "summary": "Lift the pin", "parameters": [ID],
                   "responses": dict(ok("the backup", ref("BackupSummary")), **errors(400, 404))}},
    "/v1/backups/{id}/verify": {"post": {"operationId": "verifyBackup", "summary": "Verify (job; result as `verify --json`)", "parameters": [ID],
                                         "requestBody": body(ref("VerifyRequest"), False), "responses": dict(job202, **errors(400, 404, 413))}},
    "/v1/diff": {"get": {"operationId": "diff", "summary": "What changed between two backups (`warren diff --json`)",
                         "parameters": [{"name": n, "in": "query", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": 9223372036854775807}} for n in ("from", "to")],
                         "responses": dict(ok("the diff", ref("BackupDiff")), **errors(400, 404))}},
    "/v1/restores": {"post": {"operationId": "restore", "summary": "Restore a backup into a running node (job)",
                              "requestBody": body(ref("RestoreRequest")), "responses": dict(job202, **errors(400, 404, 409, 413))}},
    "/v1/prune": {"post": {"operationId": "prune", "summary": "Apply the retention policy (job; dry_run supported)",
                           "requestBody": body(ref("PruneRequest"), False), "responses": dict(job202, **errors(400, 409, 413))}},
    "/v1/jobs": {"get": {"operationId": "listJobs", "summary": "Jobs, newest first", "responses": ok("jobs", {"type": "array", "items": ref("Job")})}},
    "/v1/jobs/{id}": {
        "get": {"operationId": "getJob", "summary": "A job: state, progress, result", "parameters": [ID], "responses": dict(ok("the job", ref("Job")), **errors(400, 404))},
        "delete": {"operationId": "deleteJob", "summary": "Remove a finished job from the list (afterwards GET is 404); an unfinished one is 409 job_not_finished",
                   "parameters": [ID], "responses": dict({"204": {"description": "removed"}}, **errors(400, 404, 409))}},
    "/v1/jobs/{id}/cancel": {
        "post": {"operationId": "cancelJob", "summary": "Cancel a job (waiting: at once; running backup/restore: at the next file); the job stays listed",
                 "parameters": [ID], "responses": dict(ok("cancellation accepted", ref("Job"), "202"), **errors(400, 404, 409))}},
    "/v1/schedules": {"get": {"operationId": "listSchedules", "summary": "Scheduled backups and their last run (`warren schedule list --json`)",
                              "responses": ok("schedules", {"type": "array", "items": ref("Schedule")})}},
    "/v1/policy": {
        "get": {"operationId": "getPolicy", "summary": "Stored retention policies (`warren policy show --json`)",
                "responses": ok("policies", {"type": "array", "items": ref("StoredPolicy")})},
        "put": {"operationId": "setPolicy", "summary": "Store a node's policy, or the default", "requestBody": body(ref("PolicyRequest")),
                "responses": dict(ok("stored", ref("StoredPolicy")), **errors(400, 413))}},
}

doc = {"openapi": "3.1.0",
       "info": {"title": "Warren service API", "version": "1.0.0",
                "description": "The HTTP/JSON API of `warren serve`, over a Unix socket (and an optional TCP listener that requires a bearer token). "
                               "Answers are the same JSON as the CLI's --json. Errors: {\"error\": {\"code\", \"message\", \"details\"}}."},
       "servers": [{"url": "/"}],
       "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
       "security": [{}, {"bearer": []}],
       "paths": paths}
text = json.dumps(doc, indent=2, sort_keys=True) + "\n"
open(os.path.join(root, "docs/openapi.json"), "w").write(text)
