-- wrk: POST /v1/quotes with the body in quote.json (the e2e test's shipment) and the key in $K.
wrk.method = "POST"
local dir = os.getenv("WRK_DIR")
local f = assert(io.open(dir .. "/quote.json", "r"))
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("K")
