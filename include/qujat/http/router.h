// The route table: method + path pattern -> handler. A pattern's segments
// are literal ("applications") or hold one named parameter with optional
// literal text around it ("{id}", "{number}.xml"). The table can be listed
// so that a test can hold every route to its authorisation rule and to
// docs/openapi.yaml.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "qujat/http/request.h"
#include "qujat/http/response.h"

namespace qujat::http {

// Runs on one of the server's worker threads; may throw ApiError (answered
// as it says), any other exception is answered 500 "http.internal".
using Handler = std::function<Response(Request&)>;

struct RouteOptions {
  // Overrides ServerLimits::max_body_bytes for this route (e.g. a route
  // taking a signed PDF).
  std::optional<std::size_t> max_body_bytes;
};

struct RouteInfo {
  std::string method;
  std::string pattern;
};

class Router {
 public:
  // Throws qujat::Error("http.bad_route") for a pattern that does not start
  // with '/', a segment with two parameters or a stray brace, a parameter
  // named twice; "http.route_conflict" when method + pattern is taken.
  Router& add(std::string_view method, std::string_view pattern, Handler handler, RouteOptions options = {});

  // Registration order.
  std::vector<RouteInfo> routes() const;

  enum class Outcome { found, not_found, method_not_allowed, bad_path };
  struct Lookup {
    Outcome outcome = Outcome::not_found;
    const Handler* handler = nullptr;
    std::string_view pattern;
    RouteOptions options;
    std::vector<std::pair<std::string, std::string>> params;  // decoded
    std::vector<std::string> allow;                           // for 405: the path's methods, sorted
  };
  // `path` is still percent-encoded: it is split at '/' first, so an encoded
  // "%2F" stays inside its segment. The most literal pattern wins; HEAD is
  // served by a GET route unless a HEAD route exists. bad_path: a segment
  // that does not decode.
  Lookup find(std::string_view method, std::string_view path) const;

 private:
  struct Segment {
    std::string prefix;  // the whole literal when !has_param
    std::string name;
    std::string suffix;
    bool has_param = false;
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
    RouteOptions options;
  };
  std::vector<Route> routes_;
};

}  // namespace qujat::http
