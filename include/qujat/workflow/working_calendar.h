// Kazakhstan's working days, for the procedure's terms ("within 2 working
// days", "30 working days") and the registration date. The calendar is data,
// one TOML file per year (calendar/YYYY.toml, docs/calendar.md), read at
// start: an operator adds next year's file, or corrects this year's when the
// Government moves a day off, without a rebuild. A date in a year with no file
// is an error, never a guess.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "qujat/common/time.h"

namespace qujat::workflow {

// Working hours of the licensor, local Almaty time: "с 9.00 до 18.30 часов,
// за исключением выходных и праздничных дней" (seed 000, lines 549-551 and
// 559-560; SPEC.md section 3). The registration cut-off is per service in
// configuration (16:00 in seed 000, lines 560-561; 17:00 in seed 002).
inline constexpr std::chrono::minutes kWorkdayStart{9 * 60};
inline constexpr std::chrono::minutes kWorkdayEnd{18 * 60 + 30};

// Why a listed date differs from an ordinary day of a five-day week.
enum class DayKind {
  holiday,        // a national or state holiday (Law No. 267-II); may fall on a weekend
  carryover,      // a weekday off because a holiday fell on a weekend (Law art. 5)
  religious_off,  // 7 January, first day of Kurban Ait: off, never carried over
  transfer_off,   // a weekday off moved by a Government act
  transfer_work,  // a Saturday or Sunday made a working day by the same act
};

// How sure the entry is: confirmed by an official source, planned (announced,
// may still move, like Kurban Ait before the new moon), or estimated
// (computed by the rules, no official calendar yet).
enum class DayStatus { confirmed, planned, estimated };

struct CalendarDay {
  Date date;
  DayKind kind = DayKind::holiday;
  DayStatus status = DayStatus::confirmed;
  std::string kk;  // the holiday's name, where known
  std::string ru;
  std::optional<Date> from;          // carryover/transfer: the day it was moved from
  std::vector<std::string> sources;  // ids of calendar/README.md's source list
};

class WorkingCalendar {
 public:
  // Reads every YYYY.toml in `dir` (other files are ignored). Throws
  // qujat::Error naming the file, the line and the key: "calendar.folder"
  // (no such folder, or no year file in it), "calendar.syntax" (not TOML),
  // "calendar.entry" (a missing, unknown or wrong key; a date outside the
  // file's year or listed twice; a carryover on a weekend, a transfer_work on
  // a weekday).
  static WorkingCalendar load(const std::filesystem::path& dir);

  // Monday-Friday minus the listed days off, plus transfer_work days. Throws
  // Error("calendar.year_missing") naming the year when it has no file; so do
  // the functions below when they step into such a year.
  bool is_working_day(Date day) const;
  // The first working day strictly after `day`.
  Date next_working_day(Date day) const;
  // The n-th working day after `start` (n > 0), before it (n < 0), or
  // `start` itself (n == 0).
  Date add_working_days(Date start, int n) const;
  // The number of working days in (from, to]; negative, the number in
  // (to, from], when `to` is before `from`.
  int working_days_between(Date from, Date to) const;
  // The day an application received at `received` is registered: that day
  // when it is a working day and the local Almaty time is before `cutoff`;
  // otherwise (at or after the cut-off, or on a day off) the next working day.
  Date registration_date(Instant received, std::chrono::minutes cutoff) const;

  // The file's entry for `day`, if it lists one (nullptr for an ordinary day).
  const CalendarDay* listed(Date day) const;
  // The years that have a file, in order.
  std::vector<int> years() const;
  // The year file's own status (its entries may say otherwise).
  DayStatus year_status(int year) const;

 private:
  struct Year {
    DayStatus status = DayStatus::confirmed;
    std::map<std::chrono::sys_days, CalendarDay> listed;
    std::vector<bool> working;  // by day of the year, 0 = 1 January
  };
  const Year& year_of(Date day) const;

  std::map<int, Year> years_;
};

std::string_view day_kind_name(DayKind kind) noexcept;
std::string_view day_status_name(DayStatus status) noexcept;

}  // namespace qujat::workflow
