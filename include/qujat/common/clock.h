// Where the procedure gets "now" from, and what that instant is on the wall
// clock in Almaty. Terms, registration dates and audit times all ask a Clock
// passed to them, so tests and demos can put the service on a Friday evening
// before a holiday (FixedClock) instead of waiting for one.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "qujat/common/time.h"

namespace qujat {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const = 0;
};

// The machine's clock (UTC), to the second.
class SystemClock final : public Clock {
 public:
  Instant now() const override;
};

// A clock that stands still until told otherwise: tests and the `[clock] fixed`
// setting. Reads and writes may come from any thread.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Instant at) noexcept : seconds_(at.time_since_epoch().count()) {}

  Instant now() const override;
  void set(Instant at) noexcept;
  void advance(std::chrono::seconds by) noexcept;

 private:
  std::atomic<Instant::rep> seconds_;
};

// Asia/Almaty. All of Kazakhstan has kept one zone, UTC+5 the whole year with
// no daylight saving, since 1 March 2024 (Almaty and Astana were UTC+6
// before). The procedure deals with applications from 2025 on, so earlier
// instants are not given the old offset: these helpers are for the
// procedure's dates, not for history.
inline constexpr std::chrono::hours kAlmatyUtcOffset{5};

// The calendar day in Almaty at `t`.
Date local_date(Instant t) noexcept;
// Time since local midnight in Almaty at `t` (00:00:00 to 23:59:59).
std::chrono::seconds local_time_of_day(Instant t) noexcept;
// The instant at hh:mm local time on `day` in Almaty.
Instant local_instant(Date day, int hours, int minutes) noexcept;
// "YYYY-MM-DDThh:mm:ss+05:00", as API.md writes times (RFC 3339 with offset).
std::string format_instant_local(Instant t);

}  // namespace qujat
