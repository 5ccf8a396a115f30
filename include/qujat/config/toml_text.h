// TOML text as qujat reads it (the configuration file, the calendar's year
// files): toml++ behind the limits hostile input needs, with its errors
// turned into one-line qujat::Error messages naming file, line and column.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>

namespace qujat::config {

// At most this many '.' on one line. toml++ recurses once per segment of a
// dotted key (`a.b.c... = 1`) and overflows the stack near 40,000 of them;
// a key can only be dotted on its own line, and real lines have a handful.
inline constexpr std::size_t kMaxDotsPerTomlLine = 512;

// Parses `text`; `source` names it in messages (a path). Throws
// Error("<domain>.syntax", "<domain>: SOURCE:LINE:COLUMN: reason").
toml::table parse_toml(std::string_view text, const std::string& source, std::string_view domain);

// A value for an error message: in double quotes, control characters
// escaped, cut after 200 characters, so the message stays one short line.
std::string quoted_value(std::string_view text);

}  // namespace qujat::config
