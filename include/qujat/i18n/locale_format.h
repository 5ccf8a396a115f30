// Locale work for the documents in Kazakh and Russian on ICU: dates as the
// seed forms print them, numbers and money with the locale's separators,
// country and currency names, Kazakh-aware case mapping and sorting.
// Functions are thread-safe (ICU objects are cached per thread); `lang` is
// "kk" or "ru" (anything else is treated as "ru" after a check by the caller).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "qujat/common/time.h"

namespace qujat::i18n {

// "9 қаңтар 2026 ж." / "9 января 2026 г."
std::string format_date(Date date, std::string_view lang);
// "YYYY-MM-DD" -> as above; throws qujat::Error("i18n.bad_date") otherwise.
std::string format_date(std::string_view iso_date, std::string_view lang);

// A decimal string ("125000.00", "10", "-3.5") with the locale's grouping and
// decimal separators, keeping exactly the fraction digits given (no binary
// floating point on the way). Throws qujat::Error("i18n.bad_number").
std::string format_decimal(std::string_view decimal, std::string_view lang);
// Amount with the currency's standard fraction digits and its ISO code:
// "125 000,00 EUR".
std::string format_money(std::string_view decimal, std::string_view currency, std::string_view lang);

// ISO 3166-1 alpha-2 -> "Германия"; the code itself when ICU has no name.
std::string country_name(std::string_view code, std::string_view lang);
// ISO 4217 -> "евро" / "Еуро"; the code itself when ICU has no name.
std::string currency_name(std::string_view code, std::string_view lang);

// Upper case with the language's rules (kk: "і" -> "І", never dotted I issues).
std::string to_upper(std::string_view text, std::string_view lang);

// Three-way comparison by the language's collation (kk: ә after а, і after ы ...).
int collate(std::string_view a, std::string_view b, std::string_view lang);
void sort_texts(std::vector<std::string>& texts, std::string_view lang);

}  // namespace qujat::i18n
