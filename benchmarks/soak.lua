-- wrk script for benchmarks/soak.py: cycles through the soak application's routes.
local cookie = os.getenv("SOAK_COOKIE")
local sent = 0
local requests = {}

function init(args)
  requests = {
    wrk.format("GET", "/?q=soak&page=2"),
    wrk.format("POST", "/json", {["Content-Type"] = "application/json"}, '{"a": [1, 2, 3]}'),
    wrk.format("GET", "/whoami", {["Cookie"] = cookie}),
    wrk.format("GET", "/item/12"),
    wrk.format("GET", "/item/14"),
    wrk.format("GET", "/login?user=ada"),
    wrk.format("GET", "/missing"),
  }
end

function request()
  sent = sent + 1
  return requests[(sent % #requests) + 1]
end
