-- bench/write.lua - wrk script for POST /gop-y (used by bench/write.sh).
--
-- Each wrk thread first does GET /gop-y, takes the CSRF token from the
-- Set-Cookie: csrf=<64 hex> header, checks the form's hidden
-- name="csrf" value="..." carries the same token, and from then on sends
-- form posts with that cookie and token. A good post answers 303; anything
-- else is counted and reported by done().

-- Globals, not locals: done() reads them from each thread with thread:get.
token = nil
seq = 0
gets, see_other, other, mismatch = 0, 0, 0, 0
threads = {}

function setup(thread)
	thread:set("id", #threads + 1)
	table.insert(threads, thread)
end

function init(args)
	-- Distinct subjects per thread, so rows are not all identical.
	seq = (id or 0) * 100000000
end

local function form_escape(s)
	return (s:gsub("[^%w%-%._~]", function(c)
		if c == " " then
			return "+"
		end
		return string.format("%%%02X", string.byte(c))
	end))
end

function request()
	if not token then
		return wrk.format("GET", "/gop-y")
	end
	seq = seq + 1
	local body = "csrf=" .. token ..
		"&name=" .. form_escape("Nguyễn Văn Bench") ..
		"&contact=0912345678" ..
		"&subject=" .. form_escape("Góp ý thử tải số " .. seq) ..
		"&body=" .. form_escape("Nội dung góp ý dùng để đo hiệu năng ghi, lần " .. seq .. ".")
	return wrk.format("POST", "/gop-y", {
		["Cookie"] = "csrf=" .. token,
		["Content-Type"] = "application/x-www-form-urlencoded",
	}, body)
end

function response(status, headers, body)
	if status == 303 then
		see_other = see_other + 1
		return
	end
	if not token and status == 200 then
		gets = gets + 1
		local cookie = nil
		for k, v in pairs(headers) do
			if k:lower() == "set-cookie" then
				cookie = v:match("csrf=(%x+)")
			end
		end
		local hidden = body and body:match('name="csrf" value="(%x+)"')
		if cookie and #cookie == 64 and hidden == cookie then
			token = cookie
		else
			mismatch = mismatch + 1
		end
		return
	end
	if status == 200 then
		gets = gets + 1 -- a GET still in flight when the token arrived
		return
	end
	other = other + 1
end

function done(summary, latency, requests)
	local g, s, o, m = 0, 0, 0, 0
	for _, t in ipairs(threads) do
		g = g + (t:get("gets") or 0)
		s = s + (t:get("see_other") or 0)
		o = o + (t:get("other") or 0)
		m = m + (t:get("mismatch") or 0)
	end
	io.write(string.format("write.lua: GET /gop-y %d, POST answered 303 %d, other %d, csrf mismatch %d\n",
		g, s, o, m))
end
