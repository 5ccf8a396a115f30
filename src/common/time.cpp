#include "qujat/common/time.h"

#include <charconv>
#include <cstdio>

namespace qujat {
namespace {
bool read_digits(std::string_view text, std::size_t pos, std::size_t count, int& value) {
  if (pos + count > text.size()) return false;
  for (std::size_t i = pos; i < pos + count; ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  std::from_chars(text.data() + pos, text.data() + pos + count, value);
  return true;
}
}  // namespace

void write_digits(char* out, unsigned value, int width) noexcept {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

std::optional<Date> parse_date(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!read_digits(text, 0, 4, y) || !read_digits(text, 5, 2, m) || !read_digits(text, 8, 2, d)) return std::nullopt;
  const Date date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string format_date(Date d) {
  const int year = static_cast<int>(d.year());
  if (d.ok() && year >= 0 && year <= 9999) {
    // By hand rather than snprintf: every JSON answer writes a few dates,
    // and snprintf was a tenth of a status read's JSON time.
    std::string out = "0000-00-00";
    write_digits(out.data(), static_cast<unsigned>(year), 4);
    write_digits(out.data() + 5, static_cast<unsigned>(d.month()), 2);
    write_digits(out.data() + 8, static_cast<unsigned>(d.day()), 2);
    return out;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year, static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

std::optional<Instant> parse_instant(std::string_view text) {
  if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':') return std::nullopt;
  const auto date = parse_date(text.substr(0, 10));
  int hh = 0, mm = 0, ss = 0;
  if (!date || !read_digits(text, 11, 2, hh) || !read_digits(text, 14, 2, mm) || !read_digits(text, 17, 2, ss))
    return std::nullopt;
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  std::chrono::seconds offset{0};
  const std::string_view zone = text.substr(pos);
  if (zone == "Z") {
    // UTC
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh = 0, om = 0;
    if (!read_digits(zone, 1, 2, oh) || !read_digits(zone, 4, 2, om) || oh > 14 || om > 59) return std::nullopt;
    offset = std::chrono::hours{oh} + std::chrono::minutes{om};
    if (zone[0] == '-') offset = -offset;
  } else {
    return std::nullopt;
  }
  return Instant{std::chrono::sys_days{*date}} + std::chrono::hours{hh} + std::chrono::minutes{mm} +
         std::chrono::seconds{ss} - offset;
}

std::string format_instant_utc(Instant t) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const Date date{days};
  const std::chrono::hh_mm_ss hms{t - days};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", format_date(date).c_str(), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

std::optional<Instant> parse_instant_or_date(std::string_view text) {
  if (auto t = parse_instant(text)) return t;
  if (auto d = parse_date(text)) return Instant(std::chrono::sys_days(*d));
  return std::nullopt;
}

Instant now_utc() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

}  // namespace qujat
