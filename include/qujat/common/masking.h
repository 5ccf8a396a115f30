// Masking of personal identifiers in text bound for logs. An IIN (a person)
// or a BIN (an organisation) is a run of exactly 12 digits; a log keeps enough
// of it to tell records apart on a support call ("7801******39") and no more.
#pragma once

#include <string>
#include <string_view>

namespace qujat {

// `text` with every run of exactly 12 ASCII digits (not part of a longer run)
// replaced by its first 4 digits, 6 '*' and its last 2 digits.
std::string mask_identifiers(std::string_view text);

}  // namespace qujat
