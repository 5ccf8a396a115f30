// The parts of a request target a handler reads: percent-decoded path
// segments and query parameters (RFC 3986). Decoding refuses what no honest
// client sends (a broken escape, a NUL byte), so a handler never sees it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace qujat::http {

// "%41b" -> "Ab"; with `plus_is_space` (query strings) '+' becomes ' '.
// nullopt for a '%' not followed by two hex digits, and for an encoded NUL.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

// Every byte but the unreserved ones (RFC 3986 2.3: letters, digits, "-._~")
// and those in `also_keep` (e.g. "/" for a path) as %XX: "ОИ 1/2" ->
// "%D0%9E%D0%98%201%2F2".
std::string percent_encode(std::string_view text, std::string_view also_keep = {});

using QueryItems = std::vector<std::pair<std::string, std::string>>;

// "a=1&b=x%20y&c" -> {{"a","1"},{"b","x y"},{"c",""}}; empty items are
// skipped. nullopt when a name or value fails percent_decode.
std::optional<QueryItems> parse_query(std::string_view query);

// The origin-form parts of a request target: "/p/a?q" -> path "/p/a", query "q".
// An absolute-form target ("http://host/p?q", RFC 9112 3.2.2) gives its path
// and query too; anything else (no leading '/', "*") is nullopt.
struct TargetParts {
  std::string_view path;
  std::string_view query;
};
std::optional<TargetParts> split_target(std::string_view target);

}  // namespace qujat::http
