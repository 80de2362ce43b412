-- wrk script of scripts/bench-writes: GET requests with the handler's API token from CONCORD_BENCH_TOKEN.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("CONCORD_BENCH_TOKEN")
wrk.headers["Accept"] = os.getenv("CONCORD_BENCH_ACCEPT") or "application/json"
