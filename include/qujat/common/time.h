// Calendar dates and instants as the documents and certificates use them:
// dates "YYYY-MM-DD", instants ISO 8601 with a zone ("Z" or "+05:00").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace qujat {

using Instant = std::chrono::sys_seconds;
using Date = std::chrono::year_month_day;

// Strict "YYYY-MM-DD" that names a real day; nullopt otherwise.
std::optional<Date> parse_date(std::string_view text);
std::string format_date(Date d);  // "YYYY-MM-DD"
// `value` as `width` decimal digits, zero-padded, written at `out`.
void write_digits(char* out, unsigned value, int width) noexcept;

// "YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)"; a zone is required. nullopt otherwise.
std::optional<Instant> parse_instant(std::string_view text);
std::string format_instant_utc(Instant t);  // "YYYY-MM-DDThh:mm:ssZ"

// An instant as parse_instant, or a "YYYY-MM-DD" date meaning its midnight UTC
// (what `--at` and similar options take). nullopt otherwise.
std::optional<Instant> parse_instant_or_date(std::string_view text);

Instant now_utc();

}  // namespace qujat
