// What kind of signed file `verify` and `sign` were given, and the --at
// time argument; shared by cmd_verify.cpp and cmd_sign.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "qujat/common/bytes.h"
#include "qujat/common/time.h"

namespace qujat::cli {

enum class InputKind { Xml, Soap, Pdf, Binary };

// "%PDF" → Pdf; XML whose document element is a SOAP 1.1 Envelope → Soap;
// other text starting with '<' (after a BOM/whitespace) → Xml; else Binary
// (CMS DER or base64).
inline InputKind detect_input(ByteView data) {
  std::string_view text = as_chars(data);
  if (text.substr(0, 4) == "%PDF") return InputKind::Pdf;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || text[first] != '<') return InputKind::Binary;
  auto head = text.substr(0, 4096);
  if (head.find("http://schemas.xmlsoap.org/soap/envelope/") != std::string_view::npos &&
      head.find(":Envelope") != std::string_view::npos)
    return InputKind::Soap;
  return InputKind::Xml;
}

// "YYYY-MM-DD" (midnight UTC) or an ISO 8601 instant with a zone.
inline std::optional<Instant> parse_time_argument(std::string_view text) {
  if (auto t = parse_instant(text)) return t;
  if (auto d = parse_date(text)) return Instant(std::chrono::sys_days(*d));
  return std::nullopt;
}

}  // namespace qujat::cli
