-- Schedules declared in the configuration file (a `[node NAME]` section's `every`/`at`,
-- issue 13): `origin` is the file and line (`/etc/warren/warren.conf:12`) of a schedule that
-- `warren serve` made from the file at start, NULL for one made by `schedule add` or the API.
-- serve keeps the file's schedules equal to the file's sections (a schedule whose section did
-- not change keeps its next run and history); `schedule remove` refuses them.
ALTER TABLE schedule ADD COLUMN origin TEXT;
