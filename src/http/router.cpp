#include "qujat/http/router.h"

#include <algorithm>

#include "qujat/common/error.h"

namespace qujat::http {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  // "/a/b" -> {"a", "b"}; "/" -> {""}; "/a/" -> {"a", ""}
  std::size_t start = 1;
  while (true) {
    const auto slash = path.find('/', start);
    segments.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool valid_method(std::string_view method) {
  return !method.empty() &&
         std::all_of(method.begin(), method.end(), [](char c) { return (c >= 'A' && c <= 'Z') || c == '-'; });
}

}  // namespace

Router& Router::add(std::string_view method, std::string_view pattern, Handler handler, RouteOptions options) {
  const std::string where = std::string(method) + " " + std::string(pattern);
  if (!valid_method(method)) throw Error("http.bad_route", "route method is not an HTTP method token: " + where);
  if (pattern.empty() || pattern.front() != '/') throw Error("http.bad_route", "route must start with '/': " + where);
  if (!handler) throw Error("http.bad_route", "route has no handler: " + where);
  Route route{std::string(method), std::string(pattern), {}, std::move(handler), options};
  std::vector<std::string> names;
  for (const auto text : split_path(pattern)) {
    Segment segment;
    const auto open = text.find('{');
    const auto close = text.find('}');
    const auto braces = std::count(text.begin(), text.end(), '{') + std::count(text.begin(), text.end(), '}');
    if (braces == 0) {
      segment.prefix = std::string(text);
    } else {
      if (braces != 2 || open == std::string_view::npos || close == std::string_view::npos || close < open)
        throw Error("http.bad_route", "route segment needs exactly one {name}: " + where);
      segment.has_param = true;
      segment.prefix = std::string(text.substr(0, open));
      segment.name = std::string(text.substr(open + 1, close - open - 1));
      segment.suffix = std::string(text.substr(close + 1));
      if (!valid_name(segment.name))
        throw Error("http.bad_route", "route parameter name is not [A-Za-z0-9_]+: " + where);
      if (std::find(names.begin(), names.end(), segment.name) != names.end())
        throw Error("http.bad_route", "route names parameter {" + segment.name + "} twice: " + where);
      names.push_back(segment.name);
    }
    route.segments.push_back(std::move(segment));
  }
  for (const auto& r : routes_) {
    if (r.method != route.method || r.segments.size() != route.segments.size()) continue;
    // Same shape = same literals and same parameter positions, whatever the names.
    const bool same = std::equal(r.segments.begin(), r.segments.end(), route.segments.begin(),
                                 [](const Segment& a, const Segment& b) {
                                   return a.has_param == b.has_param && a.prefix == b.prefix && a.suffix == b.suffix;
                                 });
    if (same) throw Error("http.route_conflict", "route " + where + " is already served by " + r.pattern);
  }
  routes_.push_back(std::move(route));
  return *this;
}

std::vector<RouteInfo> Router::routes() const {
  std::vector<RouteInfo> out;
  out.reserve(routes_.size());
  for (const auto& r : routes_) out.push_back({r.method, r.pattern});
  return out;
}

Router::Lookup Router::find(std::string_view method, std::string_view path) const {
  Lookup result;
  if (path.empty() || path.front() != '/') {
    result.outcome = Outcome::bad_path;
    return result;
  }
  std::vector<std::string> decoded;
  for (const auto raw : split_path(path)) {
    auto segment = percent_decode(raw);
    if (!segment) {
      result.outcome = Outcome::bad_path;
      return result;
    }
    decoded.push_back(std::move(*segment));
  }

  // Specificity per segment: literal 2, parameter with literal text 1, bare
  // parameter 0; compared left to right, so "/a/mine" beats "/a/{id}".
  const Route* best = nullptr;
  const Route* best_head_fallback = nullptr;
  std::vector<int> best_score, best_fallback_score;
  std::vector<std::string> allow;
  std::vector<int> score;
  for (const auto& route : routes_) {
    if (route.segments.size() != decoded.size()) continue;
    score.clear();
    bool match = true;
    for (std::size_t i = 0; i < decoded.size() && match; ++i) {
      const Segment& s = route.segments[i];
      const std::string& d = decoded[i];
      if (!s.has_param) {
        match = d == s.prefix;
        score.push_back(2);
      } else {
        match = d.size() > s.prefix.size() + s.suffix.size() && d.starts_with(s.prefix) && d.ends_with(s.suffix);
        score.push_back(s.prefix.empty() && s.suffix.empty() ? 0 : 1);
      }
    }
    if (!match) continue;
    allow.push_back(route.method);
    if (route.method == method) {
      if (best == nullptr || score > best_score) best = &route, best_score = score;
    } else if (method == "HEAD" && route.method == "GET") {
      if (best_head_fallback == nullptr || score > best_fallback_score)
        best_head_fallback = &route, best_fallback_score = score;
    }
  }
  if (best == nullptr) best = best_head_fallback;
  if (best == nullptr) {
    if (allow.empty()) return result;
    if (std::find(allow.begin(), allow.end(), "GET") != allow.end()) allow.push_back("HEAD");
    std::sort(allow.begin(), allow.end());
    allow.erase(std::unique(allow.begin(), allow.end()), allow.end());
    result.outcome = Outcome::method_not_allowed;
    result.allow = std::move(allow);
    return result;
  }
  result.outcome = Outcome::found;
  result.handler = &best->handler;
  result.pattern = best->pattern;
  result.options = best->options;
  for (std::size_t i = 0; i < decoded.size(); ++i) {
    const Segment& s = best->segments[i];
    if (!s.has_param) continue;
    result.params.emplace_back(
        s.name, decoded[i].substr(s.prefix.size(), decoded[i].size() - s.prefix.size() - s.suffix.size()));
  }
  return result;
}

}  // namespace qujat::http
