// The service's request handling as far as main has it (src/http; the
// handlers of src/api are not merged yet): the request target split, its
// query and path percent-decoded, the route looked up in the API's table
// (docs/API.md), the JSON body read through the one reader with its depth
// limit, and the login body's signature as POST /api/v1/auth/token will
// verify it: {"cms": "BASE64"} (a CMS over the nonce) or {"xml": "..."}.
// Input: "METHOD TARGET\n", header lines "Name: value\n", an empty line,
// the body. Nothing may throw but an ApiError in the contract's shape
// (400 or 415, "http.*", kk/ru/en wording); a body the reader accepts nests
// within the limit; the verifiers never throw and explain themselves.
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.h"
#include "qujat/common/error.h"
#include "qujat/dsig/cms.h"
#include "qujat/dsig/xmldsig.h"
#include "qujat/http/api_error.h"
#include "qujat/http/json_body.h"
#include "qujat/http/request.h"
#include "qujat/http/response.h"
#include "qujat/http/router.h"
#include "qujat/http/uri.h"

namespace {

using namespace qujat;

const http::Router& api_routes() {
  static const http::Router router = [] {
    http::Router r;
    const http::Handler none = [](http::Request&) { return http::Response{}; };
    for (const auto& [method, pattern] : {std::pair{"GET", "/healthz"},
                                          {"GET", "/readyz"},
                                          {"GET", "/metrics"},
                                          {"POST", "/api/v1/auth/challenge"},
                                          {"POST", "/api/v1/auth/token"},
                                          {"POST", "/api/v1/applications"},
                                          {"GET", "/api/v1/applications"},
                                          {"GET", "/api/v1/applications/{id}"},
                                          {"POST", "/api/v1/applications/{id}/actions"},
                                          {"GET", "/api/v1/desk/applications"},
                                          {"GET", "/api/v1/documents/{number}.xml"},
                                          {"GET", "/api/v1/documents/{number}.pdf"},
                                          {"POST", "/api/v1/verify"},
                                          {"GET", "/verify/{number}"}})
      r.add(method, pattern, none);
    return r;
  }();
  return router;
}

std::size_t depth_of(const nlohmann::json& j) {
  std::size_t deepest = 0;
  if (j.is_array() || j.is_object()) {
    for (const auto& item : j) deepest = std::max(deepest, depth_of(item));
    return deepest + 1;
  }
  return 0;
}

void check_api_error(const http::ApiError& e) {
  if (e.status() != 400 && e.status() != 415) fuzz::broken("the JSON reader answered " + std::to_string(e.status()));
  if (e.code().rfind("http.", 0) != 0) fuzz::broken("the JSON reader's code " + e.code());
  const auto& w = e.wording();
  if (w.kk.empty() || w.ru.empty() || w.en.empty()) fuzz::broken(e.code() + " lacks kk/ru/en wording");
  (void)e.body().dump();
}

// POST /api/v1/auth/token: the signed nonce. The nonce a challenge gave is
// not known here; the seeds sign "test123" (the NCA test CMS), used as one.
void login(const nlohmann::json& body) {
  if (!body.is_object()) return;
  const auto& options = fuzz::nca_verify_options(/*require_signing_key=*/false);
  if (const auto cms = body.find("cms"); cms != body.end() && cms->is_string()) {
    const std::string& text = cms->get_ref<const std::string&>();
    const auto report = dsig::verify_cms(as_bytes(text), std::nullopt, options);
    fuzz::exercise(report);
    if (report.valid) {
      try {
        (void)dsig::cms_content(as_bytes(text));
      } catch (const Error&) {
        fuzz::broken("a valid CMS whose content cannot be read");
      }
    }
  }
  if (const auto xml = body.find("xml"); xml != body.end() && xml->is_string())
    fuzz::exercise(dsig::verify_xml(xml->get_ref<const std::string&>(), options));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  auto next_line = [&rest]() {
    const auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  };

  http::Request request;
  const std::string_view request_line = next_line();
  const auto space = request_line.find(' ');
  request.method = std::string(request_line.substr(0, space));
  request.target = space == std::string_view::npos ? "" : std::string(request_line.substr(space + 1));
  for (std::string_view line = next_line(); !line.empty(); line = next_line()) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    request.headers.add(std::string(line.substr(0, colon)), std::string(value));
  }
  request.body = std::string(rest);

  if (const auto parts = http::split_target(request.target)) {
    request.path = std::string(parts->path);
    if (const auto query = http::parse_query(parts->query)) request.query_items = *query;
    const auto found = api_routes().find(request.method, request.path);
    if (found.outcome == http::Router::Outcome::found && found.handler == nullptr)
      fuzz::broken("a route found without its handler");
    request.params = found.params;
  }

  try {
    const nlohmann::json body = http::parse_json_body(request);
    if (depth_of(body) > http::kDefaultJsonDepth) fuzz::broken("the JSON reader let a body deeper than its limit in");
    (void)body.dump();
    login(body);
  } catch (const http::ApiError& e) {
    check_api_error(e);
  }
  return 0;
}
