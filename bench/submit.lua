-- bench/submit.lua - wrk script for POST /api/v1/dossiers (bench/submit.sh).
--
-- Every request submits a small dossier as a signed-in citizen (bearer
-- token from SUBMIT_TOKEN) to one of SUBMIT_AGENCIES agencies in turn (the
-- daily code sequence of one agency stops at 9999). SUBMIT_MODE=multipart
-- adds one small PDF file as doc_0; SUBMIT_MODE=form sends the same fields
-- urlencoded, without a file (for a build without the upload module). A
-- good submission answers 201 after its write is durable; anything else is
-- counted and reported by done().

token = os.getenv("SUBMIT_TOKEN")
mode = os.getenv("SUBMIT_MODE") or "multipart"
agencies = tonumber(os.getenv("SUBMIT_AGENCIES") or "100")
procedure = os.getenv("SUBMIT_PROCEDURE") or "9.990001"
seq = 0
created, other = 0, 0
threads = {}

function setup(thread)
	thread:set("id", #threads + 1)
	table.insert(threads, thread)
end

function init(args)
	seq = (id or 0) * 7919
end

local boundary = "----motcuaBench4f1c"
local pdf = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

local function fields(agency)
	return {
		{"procedure", procedure}, {"agency", agency}, {"name", "Nguyễn Văn Đo"},
		{"id_number", "037090123456"}, {"birth_date", "05/09/1990"},
		{"phone", "0912345678"}, {"address", "Số 1 đường Lê Lợi, phường Hoa Lư"},
		{"return_method", "online"}, {"notes", "Đo hiệu năng nộp hồ sơ"},
	}
end

local function escape(s)
	return (s:gsub("[^%w%-%._~]", function(c)
		return string.format("%%%02X", string.byte(c))
	end))
end

function request()
	seq = seq + 1
	local agency = string.format("bench-%03d", seq % agencies)
	local headers = {["Authorization"] = "Bearer " .. token}
	local parts = {}
	if mode == "multipart" then
		for _, f in ipairs(fields(agency)) do
			parts[#parts + 1] = "--" .. boundary ..
				"\r\nContent-Disposition: form-data; name=\"" .. f[1] .. "\"\r\n\r\n" ..
				f[2] .. "\r\n"
		end
		parts[#parts + 1] = "--" .. boundary ..
			"\r\nContent-Disposition: form-data; name=\"doc_0\"; filename=\"to-khai.pdf\"" ..
			"\r\nContent-Type: application/pdf\r\n\r\n" .. pdf .. "\r\n--" .. boundary .. "--\r\n"
		headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
	else
		for _, f in ipairs(fields(agency)) do
			parts[#parts + 1] = (#parts > 0 and "&" or "") .. f[1] .. "=" .. escape(f[2])
		end
		headers["Content-Type"] = "application/x-www-form-urlencoded"
	end
	return wrk.format("POST", "/api/v1/dossiers", headers, table.concat(parts))
end

function response(status, headers, body)
	if status == 201 then
		created = created + 1
	else
		other = other + 1
		if other <= 3 then
			io.stderr:write("submit: " .. status .. " " .. body:sub(1, 200) .. "\n")
		end
	end
end

function done(summary, latency, requests)
	local c, o = 0, 0
	for _, t in ipairs(threads) do
		c = c + t:get("created")
		o = o + t:get("other")
	end
	io.write(string.format("201 Created: %d, other: %d\n", c, o))
end
