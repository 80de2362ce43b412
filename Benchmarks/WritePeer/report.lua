-- wrk script of scripts/bench-writes: each request reports an incident (POST /api/v1/incidents)
-- with the handler's API token from CONCORD_BENCH_TOKEN; a non-2xx answer is counted by wrk.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("CONCORD_BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.body = '{"title":"Scanning from 198.51.100.7 against our constituency",'
    .. '"classification":"information-gathering/scanner","tlp":"TLP:GREEN",'
    .. '"description":"Seen by our sensors for an hour.","observables":[{"value":"198.51.100.7"}]}'
