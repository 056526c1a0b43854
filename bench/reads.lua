-- bench/reads.lua - wrk script for the read goals of bench/stats.sh, on
-- one kept-alive connection (wrk -t1 -c1): each request waits for the
-- previous answer, so wrk's latency distribution is the service time of
-- one request without a TCP handshake in it.
--
-- READ_KIND=lookup: GET /api/v1/dossiers/{code}/status for the codes in
-- READ_CODES (one per line, taken in turn), each from another
-- loopback-trusted client address (X-Real-IP): the public lookup budget is
-- per address. READ_KIND=get: GET READ_PATH, with "Authorization: Bearer
-- READ_TOKEN" when READ_TOKEN is set. done() prints one line: requests,
-- p50, p99 and max in ms, and the count of error answers (4xx/5xx).

kind = os.getenv("READ_KIND") or "get"
path = os.getenv("READ_PATH") or "/"
token = os.getenv("READ_TOKEN")
codes = {}
n = 0

function init(args)
	if kind == "lookup" then
		for line in io.lines(os.getenv("READ_CODES")) do
			if #line > 0 then
				codes[#codes + 1] = line
			end
		end
		assert(#codes > 0, "READ_CODES has no codes")
	end
end

function request()
	n = n + 1
	if kind == "lookup" then
		local code = codes[(n - 1) % #codes + 1]
		local ip = string.format("10.%d.%d.%d", 20 + math.floor(n / 62500) % 200,
			math.floor(n / 250) % 250, n % 250)
		return wrk.format("GET", "/api/v1/dossiers/" .. code .. "/status", {["X-Real-IP"] = ip})
	end
	local headers = {}
	if token and #token > 0 then
		headers["Authorization"] = "Bearer " .. token
	end
	return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
	io.write(string.format("RESULT n=%d p50=%.3f p99=%.3f max=%.3f non2xx=%d\n",
		summary.requests, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		latency.max / 1000, summary.errors.status))
end
