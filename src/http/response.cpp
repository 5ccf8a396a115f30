#include "qujat/http/response.h"

#include "qujat/http/api_error.h"
#include "qujat/http/metrics.h"

namespace qujat::http {

Response Response::json(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", kJsonContentType);
  // Invalid UTF-8 from a handler becomes U+FFFD rather than a 500.
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Response::text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

Response Response::error(const ApiError& error) { return json(error.status(), error.body()); }

Response health_response() { return Response::json(200, {{"status", "ok"}}); }

Response readiness_response(bool ready, const std::string& code) {
  if (ready) return Response::json(200, {{"status", "ready"}});
  return Response::json(503, {{"status", "not_ready"}, {"code", code}});
}

Response metrics_response(const MetricsRegistry& registry) {
  return Response::text(200, registry.render(), "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace qujat::http
