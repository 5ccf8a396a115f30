#include "qujat/common/clock.h"

#include <cstdio>

namespace qujat {

Instant SystemClock::now() const { return now_utc(); }

Instant FixedClock::now() const { return Instant{std::chrono::seconds{seconds_.load(std::memory_order_acquire)}}; }

void FixedClock::set(Instant at) noexcept { seconds_.store(at.time_since_epoch().count(), std::memory_order_release); }

void FixedClock::advance(std::chrono::seconds by) noexcept {
  seconds_.fetch_add(by.count(), std::memory_order_acq_rel);
}

Date local_date(Instant t) noexcept { return Date{std::chrono::floor<std::chrono::days>(t + kAlmatyUtcOffset)}; }

std::chrono::seconds local_time_of_day(Instant t) noexcept {
  const auto local = t + kAlmatyUtcOffset;
  return local - std::chrono::floor<std::chrono::days>(local);
}

Instant local_instant(Date day, int hours, int minutes) noexcept {
  return Instant{std::chrono::sys_days{day}} + std::chrono::hours{hours} + std::chrono::minutes{minutes} -
         kAlmatyUtcOffset;
}

std::string format_instant_local(Instant t) {
  const std::chrono::hh_mm_ss hms{local_time_of_day(t)};
  // Digits by hand, as format_date: a status answer writes one per event.
  static_assert(kAlmatyUtcOffset.count() >= 0 && kAlmatyUtcOffset.count() < 24);
  char tail[] = "T00:00:00+00:00";
  write_digits(tail + 1, static_cast<unsigned>(hms.hours().count()), 2);
  write_digits(tail + 4, static_cast<unsigned>(hms.minutes().count()), 2);
  write_digits(tail + 7, static_cast<unsigned>(hms.seconds().count()), 2);
  write_digits(tail + 10, static_cast<unsigned>(kAlmatyUtcOffset.count()), 2);
  return format_date(local_date(t)) + tail;
}

}  // namespace qujat
