#include "qujat/config/toml_text.h"

#include <cstdio>

#include "qujat/common/error.h"

namespace qujat::config {

std::string quoted_value(std::string_view text) {
  // A message is one line a person reads: a long value is cut, not copied whole.
  constexpr std::size_t kShown = 200;
  const bool cut = text.size() > kShown;
  if (cut) text = text.substr(0, kShown);
  std::string out = "\"";
  for (char c : text) {
    // One line per error: control characters in a value are shown escaped.
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
      out += buf;
    } else {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
  }
  return out + (cut ? "...\"" : "\"");
}

toml::table parse_toml(std::string_view text, const std::string& source, std::string_view domain) {
  const std::string code = std::string(domain) + ".syntax";
  const std::string prefix = std::string(domain) + ": " + source + ":";
  std::size_t line = 1, dots = 0;
  for (char c : text) {
    if (c == '\n') {
      ++line;
      dots = 0;
    } else if (c == '.' && ++dots > kMaxDotsPerTomlLine) {
      throw Error(code, prefix + std::to_string(line) + ": more than " + std::to_string(kMaxDotsPerTomlLine) +
                            " '.' on one line (keys nested that deep are refused)");
    }
  }
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw Error(code, prefix + std::to_string(e.source().begin.line) + ":" + std::to_string(e.source().begin.column) +
                          ": " + std::string(e.description()));
  }
}

}  // namespace qujat::config
