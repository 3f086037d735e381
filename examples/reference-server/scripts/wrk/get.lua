-- wrk: GET with the API key in $K.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("K")
