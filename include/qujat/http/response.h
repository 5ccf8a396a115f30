// What a handler answers: status, header fields and a body held whole in
// memory (documents are at most a few MB). The server adds Content-Length,
// X-Request-Id and Connection; Content-Type defaults to JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "qujat/http/headers.h"

namespace qujat::http {

class ApiError;
class MetricsRegistry;

inline constexpr const char* kJsonContentType = "application/json; charset=utf-8";

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // More members for this request's access-log line (e.g. {"subject": IIN});
  // masked like the rest of the line. Never a body, never a secret.
  nlohmann::json log_fields = nlohmann::json::object();
  // Close the connection without answering (the MFA stand-in's `drop`
  // scenario: a gateway that goes away mid-exchange).
  bool drop_connection = false;

  static Response json(int status, const nlohmann::json& body);
  static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  static Response error(const ApiError& error);
};

// Helpers for the service's own /healthz, /readyz and /metrics routes.
// {"status": "ok"} with 200.
Response health_response();
// {"status": "ready"} with 200, or {"status": "not_ready", "code": code} with 503
// (code: what is missing, e.g. "store.unreachable").
Response readiness_response(bool ready, const std::string& code = "");
// The registry in the Prometheus text exposition format 0.0.4.
Response metrics_response(const MetricsRegistry& registry);

}  // namespace qujat::http
