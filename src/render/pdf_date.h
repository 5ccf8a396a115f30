// PDF date strings (PDF 32000-1, 7.9.4: "D:YYYYMMDDHHmmSSOHH'mm'") for
// /CreationDate, /ModDate and a signature's /M, written and read without
// PoDoFo's PdfDate: that class formats through localtime(), whose shared
// buffer races when several threads render at once (ThreadSanitizer found
// it), and a signed PDF must never carry another document's date.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "qujat/common/time.h"

namespace qujat::render {

// Always in UTC: "D:20221201100000+00'00'".
std::string pdf_date(Instant t);

// Any valid PDF date (fields after the year optional, O one of Z + -), as
// the instant it names; nullopt when it is not one.
std::optional<Instant> parse_pdf_date(std::string_view text);

}  // namespace qujat::render
