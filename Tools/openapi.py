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
ID = {"name": "id", "in": "path", "required": True, "example": 1, "schema": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 9223372036854775807}}
RUNS = {"name": "runs", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 5},
        "description": "how many of each schedule's latest runs to include"}
def body(schema, required=True): return {"required": required, "content": js(schema)}

def opt(schema):
    """An optional body field: the service treats null like an absent field."""
    out = dict(schema)
    out["type"] = [schema["type"], "null"]
    return out

NOCTRL = "^[^\\u0000-\\u001f\\u007f-\\u009f]+$"
NOCTRL0 = NOCTRL[:-2] + "*$"
NODE = {"type": "string", "minLength": 1, "maxLength": 255, "pattern": NOCTRL, "description": "as rabbitmqctl -n takes it: 1 to 255 characters, no control characters"}
LABEL = {"type": "string", "maxLength": 1024, "pattern": NOCTRL0, "description": "at most 1024 characters, no control characters"}
# BrokerVersion: MAJOR.MINOR[.PATCH[.X]] and an optional pre-release or build suffix.
VERSION = {"type": "string", "pattern": "^[0-9]{1,9}(\\.[0-9]{1,9}){1,3}([-+][0-9A-Za-z.+-]{0,64})?$", "example": "3.13.7"}
NODEPATH = {"name": "node", "in": "path", "required": True, "example": "rabbit@fuzz", "schema": NODE}
keep = {k: opt({"type": "integer", "minimum": 1, "maximum": 1000000}) for k in
        ["keep_last", "keep_hourly", "keep_daily", "keep_weekly", "keep_monthly", "keep_yearly"]}
keep["keep_within"] = opt({"type": "string", "pattern": "^(?=.)([1-9][0-9]{0,2}y)?([1-9][0-9]{0,2}m)?([1-9][0-9]{0,2}w)?([1-9][0-9]{0,3}d)?([1-9][0-9]{0,4}h)?$", "example": "14d"})
strs = {"type": "array", "items": {"type": "string"}}
# Any string the strict decoder takes: at most 4096 characters, no NUL.
STR = {"type": "string", "maxLength": 4096, "pattern": "^[^\\u0000]*$"}
optstrs = {"type": ["array", "null"], "items": STR}
nstr = {"type": ["string", "null"]}
OPTSTR = opt(dict(STR, description="at most 4096 characters, no NUL"))
OPTBOOL = {"type": ["boolean", "null"]}
# ScheduleInterval: units in decreasing order, each at most a few digits (every match is accepted).
# (The digit bounds keep every match under ScheduleInterval's one-year limit.)
DURATION = {"type": "string", "pattern": "^(?=.)([1-9][0-9]?d)?([1-9][0-9]?h)?([1-9][0-9]{0,2}m)?([1-9][0-9]{0,3}s)?$",
            "description": "30s, 15m, 6h, 1d, 1h30m", "example": "6h"}
DAY = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
DAYS = f"{DAY}(\\.\\.{DAY})?(,{DAY}(\\.\\.{DAY})?)*"
# CalendarSpec: the shorthands, or [*-*-* ][DAYS ]HH:MM[:SS][ UTC].
CALENDAR = {"type": "string", "maxLength": 128, "pattern": f"^(hourly|daily|weekly|(\\*-\\*-\\* )?({DAYS} )?([01][0-9]|2[0-3]|\\*):[0-5][0-9](:[0-5][0-9])?( UTC)?)$",
            "description": "02:30, Mon..Fri 02:30, Sat,Sun 04:00:15 UTC, *:15, hourly, daily, weekly (the service's local time unless a zone is named; "
                           "any IANA zone is taken, the pattern shows UTC)", "example": "Mon..Fri 02:30"}

def swift_cases(path):
    """The raw values of a Swift String enum, read from its source: the code is the one source."""
    import re
    text = open(os.path.join(root, path)).read()
    out = []
    for m in re.finditer(r'^\s*case ([^/\n]+)', text, re.M):
        for part in m.group(1).split(","):
            part = part.strip()
            if not re.match(r'^`?\w+`?( = "[^"]+")?$', part):
                continue
            name, _, raw = part.partition(" = ")
            out.append(raw.strip('"') if raw else name.strip("`"))
    return out

S, I, B, NUM = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}, {"type": "number"}
def N(schema):
    """A key that is always present, null when unset (the one null rule)."""
    if "$ref" in schema or "oneOf" in schema:
        return {"oneOf": [{"type": "null"}, schema]}
    out = dict(schema)
    out["type"] = [schema["type"], "null"] if isinstance(schema["type"], str) else schema["type"] + ["null"]
    if "enum" in out: out["enum"] = out["enum"] + [None]
    return out
def E(values): return {"type": "string", "enum": values}
def A(items): return {"type": "array", "items": items}
def obj(description, **properties):
    """A closed answer object: every key listed, every key present."""
    return {"type": "object", "description": description, "additionalProperties": False,
            "required": sorted(properties), "properties": properties}

VERDICT = E(swift_cases("Sources/WarrenCore/Verify/Verdict.swift"))
LAST_VERDICT = N(E(swift_cases("Sources/WarrenCore/Verify/Verdict.swift")))
ANY = {"description": "any JSON value"}

schemas_backup_summary = dict(id=I, node=S, label=N(S), state=E(["in_progress", "complete", "failed"]), failure=N(S), taken_at=S, created_at=S,
        completed_at=N(S), source=E(["register", "backup"]), consistent=N(B), broker_version=N(S), definitions_sha256=N(S),
        vhost_count=I, queue_count=I, exchange_count=I, binding_count=I, policy_count=I, user_count=I, users_with_password=I,
        permission_count=I, stored_vhost_count=I, stored_queue_count=I, file_count=I, logical_bytes=I, added_objects=I,
        added_bytes=I, parent_id=N(I), bytes_read=N(I), files_reused=N(I), message_count=N(I), message_bytes=N(I),
        last_verdict=LAST_VERDICT, last_verified_at=N(S), pinned=B, pin_note=N(S), pinned_at=N(S))

schemas = {
    "Error": obj("Every error answer.", error=obj("The error.", code=S, message=S, details=N({"type": "object"}))),
    "Health": obj("`GET /v1/health`.", status=E(["ok"]), repository=S, pid=I, backups=I, jobs_running=I, jobs_waiting=I),
    "BackupSummary": obj("A `warren list --json` element.", **schemas_backup_summary),
    "StopLoss": obj("One thing `rabbitmqctl stop_app` dropped on the source before the copy (`backup --stop-app`).",
        kind=E(swift_cases("Sources/WarrenCore/Backup/StopLossKind.swift")), vhost=S, queue=N(S), exchange=N(S), messages=I),
    "VHost": obj("A vhost of a backup, defined or stored.", name=N(S), defined=B, stored=B, dir_name=N(S), dir_matches_name=N(B),
        defined_queue_count=I, stored_queue_count=I, file_count=I, bytes=I, problem=N(S)),
    "Queue": obj("A queue of a backup, defined or stored, with its offline message accounting.",
        vhost=N(S), name=N(S), defined=B, type=N(S), durable=N(B), auto_delete=N(B), arguments=N({"type": "object"}),
        has_data=B, dir_name=N(S), dir_matches_name=N(B), index_version=N(I), file_count=I, bytes=I, messages=N(I),
        payload_bytes=N(I), embedded_in_index=N(I), in_shared_store=N(I), in_queue_store=N(I), oldest_seq_id=N(I),
        newest_seq_id=N(I), index_error=N(S), priority_levels=N(A(ref("PriorityLevel"))), problem=N(S)),
    "PriorityLevel": obj("One stored level of a priority queue.", priority=I, dir_name=S, dir_matches_name=B, index_version=N(I),
        file_count=I, bytes=I, messages=N(I), payload_bytes=N(I), index_error=N(S)),
    "BackupResult": obj("`warren backup --json`, and a backup job's result: the new backup's summary (as BackupSummary) "
        "and `losses`, what stopping the app dropped on the source (empty for a live backup).",
        **schemas_backup_summary, losses=A(ref("StopLoss"))),
    "BackupDetail": obj("`warren show --json`.", backup=ref("BackupSummary"), vhosts=A(ref("VHost")), queues=A(ref("Queue"))),
    "DiffItem": obj("A defined object by its identity.", vhost=N(S), name=S, type=N(S)),
    "DiffChange": obj("One changed field.", field=S, **{"from": S, "to": S}),
    "DiffChanged": obj("A defined object whose fields changed.", vhost=N(S), name=S, changes=A(ref("DiffChange"))),
    "DiffSection": obj("Added, removed and changed objects of one kind.", added=A(ref("DiffItem")), removed=A(ref("DiffItem")),
        changed=A(ref("DiffChanged"))),
    "DiffStoredQueue": obj("A queue directory's stored data before and after.", vhost=N(S), name=N(S),
        status=E(["added", "removed", "changed", "unchanged"]), files_before=I, files_after=I, bytes_before=I, bytes_after=I,
        messages_before=N(I), messages_after=N(I)),
    "BackupDiff": obj("`warren diff --json`.", definitions_changed=B, from_definitions_sha256=N(S), to_definitions_sha256=N(S),
        vhosts=ref("DiffSection"), queues=ref("DiffSection"), exchanges=ref("DiffSection"), bindings=ref("DiffSection"),
        policies=ref("DiffSection"), stored_queues=A(ref("DiffStoredQueue")), **{"from": I, "to": I}),
    "RetentionPolicy": obj("Counts per rule and the keep-within duration; null: rule not set.",
        keep_last=N(I), keep_hourly=N(I), keep_daily=N(I), keep_weekly=N(I), keep_monthly=N(I), keep_yearly=N(I), keep_within=N(S)),
    "StoredPolicy": obj("A `warren policy show --json` element.", node=N(S), is_default=B, policy=ref("RetentionPolicy"), updated_at=S),
    "Schedule": obj("A `warren schedule list --json` element: an interval (`every_seconds`) or a calendar time (`at`), the next run, "
        "the last run and the latest runs (`runs`, newest first).", id=I, node=S, every_seconds=N(I), at=N(S), jitter_seconds=I,
        stop_app=B, label=N(S), pre_hook=N(S), post_hook=N(S), created_at=S, next_run_at=S, last_run_at=N(S),
        last_outcome=N(E(swift_cases("Sources/WarrenCore/Service/ScheduleOutcome.swift"))),
        last_backup_id=N(I), last_verdict=LAST_VERDICT, last_removed=N(I), last_error=N(S), run_count=I, runs=A(ref("ScheduleRun")), origin=N(S)),
    "ScheduleRun": obj("One run of a schedule.", id=I, started_at=S, finished_at=S,
        outcome=E(swift_cases("Sources/WarrenCore/Service/ScheduleOutcome.swift")), backup_id=N(I), verdict=LAST_VERDICT,
        removed=N(I), error=N(S)),
    "ScheduleRemoved": obj("`warren schedule remove --json`.", removed=I),
    "Progress": obj("How far a running job is.", phase=S, bytes_done=I, bytes_total=I, files_done=I, files_total=I),
    "Finding": obj("One verify finding.", code=E(swift_cases("Sources/WarrenCore/Verify/FindingCode.swift")),
        severity=E(["error", "warning", "info"]), vhost=N(S), queue=N(S), path=N(S), message=S),
    "VerifyResult": obj("`warren verify --json`, and a verify job's result. `backup` is the verified backup's id.",
        backup=I, verdict=VERDICT, findings=A(ref("Finding")), full=B, target_version=N(S), verified_at=S,
        checked_objects=I, checked_bytes=I, what_if=B),
    "AppliedPolicy": obj("The policy prune applied to a node, and where it came from.", node=S,
        source=E(["flags", "file_node", "file_default", "node", "default", "none"]), policy=N(ref("RetentionPolicy"))),
    "RetentionDecision": obj("What prune does with one backup, and why.", id=I, node=S, taken_at=S, state=S, pinned=B,
        last_verdict=LAST_VERDICT, action=E(["keep", "remove"]), reasons=A(S)),
    "PruneResult": obj("`warren prune --json`, and a prune job's result.", dry_run=B, node=N(S), policies=A(ref("AppliedPolicy")),
        backups=A(ref("RetentionDecision")), kept_count=I, removed_count=I, freed_objects=I, freed_bytes=I, removed_temporary_files=I),
    "RestorePlanQueue": obj("A queue a restore writes.", vhost=N(S), name=N(S), files=I, bytes=I, expected_messages=N(I), expected_source=N(S), priority=N(I)),
    "RestorePlanVHost": obj("A vhost a restore writes.", name=N(S), dir_name=S, files=I, bytes=I, queues=A(ref("RestorePlanQueue")),
        target_state=S, target_messages=I, clean_stop_files_dropped=B),
    "RestorePlanExcluded": obj("Data a restore leaves out.", vhost=N(S), name=N(S), files=I, bytes=I, reason=S),
    "RestorePlanDefinitions": obj("What the definitions file holds.", vhosts=I, queues=I, exchanges=I, bindings=I, policies=I, users=I),
    "RestorePlan": obj("What a restore does. `backup` is the restored backup's id.", backup=I, node=S, target_version=S,
        node_directory=S, verdict=VERDICT, findings=A(ref("Finding")), definitions=ref("RestorePlanDefinitions"),
        vhosts=A(ref("RestorePlanVHost")), excluded=A(ref("RestorePlanExcluded")), files=I, bytes=I, aside_directory=N(S),
        occupied_vhosts=A(S), node_name_change=N(ref("NodeNameChange"))),
    "NodeNameChange": obj("The target node's name differs from the backup's: classic queues come back; quorum queues and streams "
        "(listed as vhost/queue) hold no data in a backup.", **{"from": S}, to=S, non_classic_queues=A(S), message=S),
    "RestoreQueueCheck": obj("A restored queue's message count against the backup's.", vhost=S, queue=S, expected=N(I), restored=N(I), status=S),
    "RestoreResult": obj("`warren restore --json`, and a restore job's result.", plan=ref("RestorePlan"), dry_run=B, outcome=S,
        files_written=I, bytes_written=I, moved_aside=A(S), queues=A(ref("RestoreQueueCheck")), classic_type_pinned=N(I),
        definitions_repairs=A(S)),
    "RestoreRollbackResult": obj("`warren restore --rollback --json`, and a restore_rollback job's result: the vhost directories put back "
        "from the aside directory, and those the interrupted restore had written, moved out of the way (kept).",
        node=S, backup=I, restored=A(S), set_aside=A(S)),
    "ScheduledRunResult": obj("A scheduled job's result: the backup, its verification, the prune.", schedule=I,
        backup=ref("BackupResult"), verify=ref("VerifyResult"), prune=N(ref("PruneResult"))),
    "RestoreRun": obj("One restore run (`warren restores --json`). `interrupted`: left running by a process that is gone.",
                      id=I, backup_id=N(I), node=S, started_at=S, finished_at=N(S),
                      outcome=E(swift_cases("Sources/WarrenCore/Query/RestoreRunSummary.swift")), detail=N(S)),
    "Job": obj("A long operation. `result` is the CLI's `--json` output of the same operation: backup: BackupResult; "
               "verify: VerifyResult; restore and restore_resume: RestoreResult; restore_rollback: RestoreRollbackResult; prune: PruneResult; scheduled: ScheduledRunResult.",
        id=I, kind=E(swift_cases("Sources/WarrenServer/Jobs/JobKind.swift")), state=E(swift_cases("Sources/WarrenServer/Jobs/JobState.swift")),
        needs_lock=B, cancel_requested=B, created_at=S, started_at=N(S), finished_at=N(S), progress=N(ref("Progress")),
        request={"type": "object", "description": "the request body as read (a verify job adds backup_id)"},
        result={"oneOf": [{"type": "null"}, ref("BackupResult"), ref("VerifyResult"), ref("RestoreResult"), ref("PruneResult"),
                          ref("ScheduledRunResult"), ref("RestoreRollbackResult")]},
        error=N(ref("JobError"))),
    "JobError": obj("Why a job failed.", code=S, message=S, details=N({"type": "object"})),
    "BackupRequest": {"type": "object", "additionalProperties": False, "required": ["node"],
                      "properties": {"node": NODE, "data_dir": OPTSTR, "stop_app": OPTBOOL,
                                     "label": opt(LABEL), "rehash": OPTBOOL}},
    "VerifyRequest": {"type": "object", "additionalProperties": False,
                      "properties": {"full": OPTBOOL, "target_version": opt(VERSION), "exclude_queues": optstrs, "exclude_vhosts": optstrs,
                                     "allow_unmatched_exclusions": OPTBOOL},
                      "description": "An exclusion that matches no queue or vhost of the backup is 409 exclusion_unmatched (the body is well formed, but conflicts with what the backup holds) unless allow_unmatched_exclusions is true."},
    "RestoreRequest": {"type": "object", "additionalProperties": False, "required": ["backup", "node"],
                       "description": "Needs \"confirm\": true unless \"dry_run\": true. An exclusion that matches nothing is 409 exclusion_unmatched unless allow_unmatched_exclusions is true.",
                       "properties": {"backup": {"type": "integer", "minimum": 1, "maximum": 9223372036854775807}, "node": NODE,
                                      "data_dir": OPTSTR, "exclude_queues": optstrs, "exclude_vhosts": optstrs,
                                      "allow_unmatched_exclusions": OPTBOOL,
                                      "dry_run": OPTBOOL, "replace_vhost_data": OPTBOOL, "confirm": OPTBOOL},
                       "if": {"required": ["dry_run"], "properties": {"dry_run": {"const": True}}},
                       "else": {"required": ["confirm"], "properties": {"confirm": {"const": True}}}},
    "RestoreResumeRequest": {"type": "object", "additionalProperties": False,
                             "description": "Needs \"confirm\": true unless \"dry_run\": true. The backup, node directory, aside directory and exclusions come from the node's journal.",
                             "properties": {"dry_run": OPTBOOL, "confirm": OPTBOOL},
                             "if": {"required": ["dry_run"], "properties": {"dry_run": {"const": True}}},
                             "else": {"required": ["confirm"], "properties": {"confirm": {"const": True}}}},
    "RestoreRollbackRequest": {"type": "object", "additionalProperties": False, "required": ["confirm"],
                               "description": "Needs \"confirm\": true (there is no dry run, as in the CLI).",
                               "properties": {"confirm": {"type": "boolean", "const": True}}},
    "PruneRequest": {"type": "object", "additionalProperties": False,
                     "properties": dict({"node": opt(NODE), "dry_run": OPTBOOL}, **keep)},
    "PolicyRequest": {"type": "object", "additionalProperties": False,
                      "description": "Without node: the default policy. At least one keep_* field (not null).",
                      "properties": dict({"node": opt(NODE)}, **keep),
                      "anyOf": [{"required": [k], "properties": {k: {"not": {"type": "null"}}}} for k in sorted(keep)]},
    "ScheduleRequest": {"type": "object", "additionalProperties": False, "required": ["node"],
                        "description": "Exactly one of every (an interval) and at (a calendar time). Hooks are CLI-only.",
                        "properties": {"node": NODE, "every": opt(DURATION), "at": opt(CALENDAR), "jitter": opt(DURATION),
                                       "stop_app": OPTBOOL, "label": opt(LABEL)},
                        "oneOf": [{"required": ["every"], "properties": {"every": {"type": "string"}, "at": {"type": "null"}}},
                                  {"required": ["at"], "properties": {"at": {"type": "string"}, "every": {"type": "null"}}}],
                        "example": {"node": "rabbit@fuzz", "at": "Mon..Fri 02:30", "jitter": "15m"}},
    "PinRequest": {"type": "object", "additionalProperties": False, "properties": {"note": opt(LABEL)}},
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
                    {"name": "cursor", "in": "query", "schema": {"type": "string", "pattern": "^(0|[1-9][0-9]{0,10})\\.[1-9][0-9]{0,17}$"}, "description": "the Warren-Next-Cursor header of the previous page: SECONDS.ID, the position after the backup with that id taken at that Unix time (anything else is 400 invalid_cursor)"}],
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
                                         "requestBody": body(ref("VerifyRequest"), False), "responses": dict(job202, **errors(400, 404, 409, 413))}},
    "/v1/diff": {"get": {"operationId": "diff", "summary": "What changed between two backups (`warren diff --json`)",
                         "parameters": [{"name": n, "in": "query", "required": True, "example": e, "schema": {"type": "integer", "minimum": 1, "maximum": 9223372036854775807}} for n, e in (("from", 1), ("to", 2))],
                         "responses": dict(ok("the diff", ref("BackupDiff")), **errors(400, 404))}},
    "/v1/restores": {"get": {"operationId": "listRestores", "summary": "Restore history, newest first (the `warren restores --json` array)",
                             "parameters": [{"name": "node", "in": "query", "schema": {"type": "string"}}],
                             "responses": dict(ok("restore runs", {"type": "array", "items": ref("RestoreRun")}), **errors(400))},
                     "post": {"operationId": "restore", "summary": "Restore a backup into a running node (job)",
                              "requestBody": {"required": True, "content": {"application/json": {"schema": ref("RestoreRequest"),
                                              "example": {"backup": 1, "node": "rabbit@fuzz", "dry_run": True}}}}, "responses": dict(job202, **errors(400, 404, 409, 413))}},
    "/v1/restores/{node}/resume": {"post": {"operationId": "resumeRestore",
        "summary": "Finish the interrupted restore recorded for the node (job; `warren restore --resume`); 404 no_interrupted_restore when there is none",
        "parameters": [NODEPATH], "requestBody": body(ref("RestoreResumeRequest")), "responses": dict(job202, **errors(400, 404, 409, 413))}},
    "/v1/restores/{node}/rollback": {"post": {"operationId": "rollbackRestore",
        "summary": "Undo the interrupted restore recorded for the node: put the moved-aside data back (job; `warren restore --rollback`)",
        "parameters": [NODEPATH], "requestBody": body(ref("RestoreRollbackRequest")), "responses": dict(job202, **errors(400, 404, 409, 413))}},
    "/v1/prune": {"post": {"operationId": "prune", "summary": "Apply the retention policy (job; dry_run supported)",
                           "requestBody": body(ref("PruneRequest"), False), "responses": dict(job202, **errors(400, 409, 413))}},
    "/v1/jobs": {"get": {"operationId": "listJobs", "summary": "Jobs, newest first", "responses": ok("jobs", {"type": "array", "items": ref("Job")})}},
    "/v1/jobs/{id}": {
        "get": {"operationId": "getJob", "summary": "A job: state, progress, result", "parameters": [ID], "responses": dict(ok("the job", ref("Job")), **errors(400, 404))},
        "delete": {"operationId": "deleteJob", "summary": "Remove a finished job from the list (afterwards GET is 404); an unfinished one is 409 job_not_finished",
                   "parameters": [dict(ID, example=2)], "responses": dict({"204": {"description": "removed"}}, **errors(400, 404, 409))}},
    "/v1/jobs/{id}/cancel": {
        "post": {"operationId": "cancelJob", "summary": "Cancel a job (waiting: at once; running backup/restore: at the next file); the job stays listed",
                 "parameters": [ID], "responses": dict(ok("cancellation accepted", ref("Job"), "202"), **errors(400, 404, 409))}},
    "/v1/schedules": {
        "get": {"operationId": "listSchedules", "summary": "Scheduled backups, their next run and latest runs (`warren schedule list --json`)",
                "parameters": [RUNS], "responses": dict(ok("schedules", {"type": "array", "items": ref("Schedule")}), **errors(400))},
        "post": {"operationId": "addSchedule", "summary": "Add a schedule (`warren schedule add --json`)", "requestBody": body(ref("ScheduleRequest")),
                 "responses": dict({"201": {"description": "added; its URL is Location",
                                            "headers": {"Location": {"schema": {"type": "string"}, "description": "/v1/schedules/{id}"}},
                                            "content": js(ref("Schedule")),
                                            "links": {"GetSchedule": {"operationId": "getSchedule", "parameters": {"id": "$response.body#/id"}},
                                                      "RemoveSchedule": {"operationId": "removeSchedule", "parameters": {"id": "$response.body#/id"}}}}},
                                   **errors(400, 413))}},
    "/v1/schedules/{id}": {
        "get": {"operationId": "getSchedule", "summary": "One schedule", "parameters": [ID, RUNS],
                "responses": dict(ok("the schedule", ref("Schedule")), **errors(400, 404))},
        "delete": {"operationId": "removeSchedule", "summary": "Remove a schedule (its backups and run history stay)", "parameters": [ID],
                   "responses": dict(ok("removed", ref("ScheduleRemoved")), **errors(400, 404))}},
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
