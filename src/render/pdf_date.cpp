#include "render/pdf_date.h"

#include <chrono>
#include <cstdio>

namespace qujat::render {

std::string pdf_date(Instant t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> time{t - day};
  char out[32];
  std::snprintf(out, sizeof out, "D:%04d%02u%02u%02d%02d%02lld+00'00'", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<long long>(time.seconds().count()));
  return out;
}

namespace {

// Reads `width` digits at `pos` when present; absent fields keep `fallback`.
bool digits(std::string_view s, std::size_t& pos, int width, int& value, int fallback) {
  if (pos >= s.size() || s[pos] < '0' || s[pos] > '9') {
    value = fallback;
    return true;
  }
  if (pos + static_cast<std::size_t>(width) > s.size()) return false;
  value = 0;
  for (int i = 0; i < width; ++i, ++pos) {
    if (s[pos] < '0' || s[pos] > '9') return false;
    value = value * 10 + (s[pos] - '0');
  }
  return true;
}

}  // namespace

std::optional<Instant> parse_pdf_date(std::string_view s) {
  using namespace std::chrono;
  if (s.substr(0, 2) == "D:") s.remove_prefix(2);
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (s.size() < 4 || !digits(s, pos, 4, year, 0) || !digits(s, pos, 2, month, 1) || !digits(s, pos, 2, day, 1) ||
      !digits(s, pos, 2, hour, 0) || !digits(s, pos, 2, minute, 0) || !digits(s, pos, 2, second, 0))
    return std::nullopt;
  const year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                           std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  Instant t = sys_days{ymd} + hours{hour} + minutes{minute} + seconds{second};
  if (pos == s.size() || s[pos] == 'Z') return t;
  if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
  const int sign = s[pos] == '+' ? 1 : -1;
  ++pos;
  int offset_hours = 0, offset_minutes = 0;
  if (!digits(s, pos, 2, offset_hours, 0)) return std::nullopt;
  if (pos < s.size() && s[pos] == '\'') ++pos;
  if (!digits(s, pos, 2, offset_minutes, 0) || offset_hours > 23 || offset_minutes > 59) return std::nullopt;
  // Local time = UTC + offset, so UTC = local - offset.
  return t - sign * (hours{offset_hours} + minutes{offset_minutes});
}

}  // namespace qujat::render
