// Choosing a backend from a location, and keeping passwords in connection
// URIs out of everything qujat prints.
#include <string>
#include <vector>

#include "qujat/common/error.h"
#include "qujat/store/database.h"
#include "store/backends.h"

namespace qujat::store {
namespace {

bool is_postgresql(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Where the passwords sit in a URI, found the way libpq's own URI parser
// finds them: user info ends at the first '@' before any '/', the password
// after its first ':'; and any "password=" query parameter.
std::vector<Span> password_spans(std::string_view uri) {
  std::vector<Span> spans;
  const auto scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) return spans;
  const std::size_t authority = scheme_end + 3;
  const auto stop = uri.find_first_of("@/", authority);
  if (stop != std::string_view::npos && uri[stop] == '@') {
    const auto colon = uri.find(':', authority);
    if (colon < stop) spans.push_back({colon + 1, stop});
  }
  auto query = uri.find('?', stop == std::string_view::npos ? authority : stop);
  while (query != std::string_view::npos) {
    const std::size_t key = query + 1;
    const auto next = uri.find('&', key);
    const auto param = uri.substr(key, next == std::string_view::npos ? std::string_view::npos : next - key);
    if (param.starts_with("password=")) spans.push_back({key + 9, key + param.size()});
    query = next;
  }
  return spans;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decoded(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

void replace_all(std::string& text, const std::string& needle, std::string_view with) {
  if (needle.empty()) return;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + with.size()))
    text.replace(at, needle.size(), with);
}

}  // namespace

std::string redacted_location(std::string_view location) {
  std::string out(location);
  if (!is_postgresql(location)) return out;
  auto spans = password_spans(location);
  // Back to front, so earlier offsets stay valid.
  for (auto it = spans.rbegin(); it != spans.rend(); ++it) out.replace(it->begin, it->end - it->begin, "***");
  return out;
}

std::vector<std::string> passwords_in_location(std::string_view location) {
  std::vector<std::string> out;
  for (const auto& span : password_spans(location)) {
    auto raw = std::string(location.substr(span.begin, span.end - span.begin));
    if (raw.empty()) continue;
    auto decoded = percent_decoded(raw);
    out.push_back(raw);
    if (decoded != raw) out.push_back(decoded);
  }
  return out;
}

std::string without_passwords(std::string text, std::string_view location) {
  replace_all(text, std::string(location), redacted_location(location));
  for (const auto& password : passwords_in_location(location)) replace_all(text, password, "***");
  return text;
}

std::unique_ptr<Database> open_database(const std::string& location) {
  std::string_view loc = location;
  if (is_postgresql(loc)) return open_postgresql_database(location);
  // A plain path stays SQLite (the CLI's --db FILE); any other URI scheme is
  // a mistake to report, not a file name to create.
  if (const auto scheme = loc.find("://");
      scheme != std::string_view::npos && scheme > 0 && loc.substr(0, scheme).find('/') == std::string_view::npos)
    throw Error("store.unsupported", "unsupported database scheme " + std::string(loc.substr(0, scheme)) +
                                         ":// (use sqlite:PATH or postgresql://...)");
  if (loc.starts_with("sqlite:")) loc.remove_prefix(7);
  if (loc.empty()) throw Error("store.open", "empty database location");
  return open_sqlite_database(std::string(loc));
}

}  // namespace qujat::store
