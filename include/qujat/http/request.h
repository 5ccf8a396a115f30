// One HTTP request as a handler sees it: method, percent-decoded route
// parameters and query, case-insensitive headers, the whole body (already
// held to the route's size limit) and the request id that the response and
// the access log carry.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "qujat/http/headers.h"
#include "qujat/http/uri.h"

namespace qujat::http {

struct Request {
  std::string method;  // as sent: "GET", "POST", ...
  std::string target;  // as sent, still percent-encoded; never logged
  std::string path;    // the target's path, still percent-encoded
  QueryItems query_items;
  Headers headers;
  std::string body;
  std::string request_id;                                   // X-Request-Id when sane, else generated
  std::string route;                                        // the pattern that matched ("/api/v1/applications/{id}")
  std::vector<std::pair<std::string, std::string>> params;  // the pattern's {names}, decoded
  std::string remote_address;                               // "127.0.0.1:53422"
  bool tls = false;

  std::optional<std::string_view> header(std::string_view name) const { return headers.get(name); }
  // The first query parameter of that name.
  std::optional<std::string_view> query(std::string_view name) const;
  // A route parameter; throws qujat::Error("http.no_param") when the route
  // has no {name} (a programming error, not a client's).
  const std::string& param(std::string_view name) const;
};

}  // namespace qujat::http
