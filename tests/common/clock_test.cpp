#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "qujat/common/clock.h"

using namespace qujat;
using namespace std::chrono_literals;

namespace {
Instant at(const char* text) { return *parse_instant(text); }
Date day(const char* text) { return *parse_date(text); }
}  // namespace

TEST(FixedClock, StandsStillUntilSetOrAdvanced) {
  FixedClock clock(at("2026-03-20T10:00:00+05:00"));
  EXPECT_EQ(clock.now(), at("2026-03-20T05:00:00Z"));
  EXPECT_EQ(clock.now(), clock.now());
  clock.advance(7h);
  EXPECT_EQ(clock.now(), at("2026-03-20T17:00:00+05:00"));
  clock.set(at("2027-01-01T00:00:00Z"));
  EXPECT_EQ(clock.now(), at("2027-01-01T00:00:00Z"));
  clock.advance(-1s);
  EXPECT_EQ(clock.now(), at("2026-12-31T23:59:59Z"));
}

TEST(FixedClock, IsSharedByThreadsThroughTheBaseClass) {
  FixedClock fixed(at("2026-01-01T00:00:00Z"));
  const Clock& clock = fixed;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        fixed.advance(1s);
        (void)clock.now();
      }
    });
  for (auto& t : threads) t.join();
  // Every advance counted: none lost to a race.
  EXPECT_EQ(clock.now(), at("2026-01-01T01:06:40Z"));
}

TEST(SystemClock, ReadsTheMachineClockInWholeSeconds) {
  const SystemClock clock;
  const Instant now = clock.now();
  EXPECT_GT(now, at("2025-01-01T00:00:00Z"));
  EXPECT_EQ(now, std::chrono::floor<std::chrono::seconds>(now));
}

TEST(AlmatyTime, LocalDateTurnsAtMidnightPlusFive) {
  EXPECT_EQ(local_date(at("2026-03-20T18:59:59Z")), day("2026-03-20"));
  EXPECT_EQ(local_date(at("2026-03-20T19:00:00Z")), day("2026-03-21"));
  EXPECT_EQ(local_time_of_day(at("2026-03-20T18:59:59Z")), 23h + 59min + 59s);
  EXPECT_EQ(local_time_of_day(at("2026-03-20T19:00:00Z")), 0s);
  EXPECT_EQ(local_time_of_day(at("2026-03-20T17:00:00+05:00")), 17h);
  // The last day of a year in UTC is already the new year in Almaty.
  EXPECT_EQ(local_date(at("2026-12-31T20:00:00Z")), day("2027-01-01"));
}

TEST(AlmatyTime, LocalInstantIsTheInverse) {
  EXPECT_EQ(local_instant(day("2026-03-20"), 16, 0), at("2026-03-20T16:00:00+05:00"));
  EXPECT_EQ(local_instant(day("2026-03-20"), 0, 0), at("2026-03-19T19:00:00Z"));
  const Instant t = local_instant(day("2026-08-31"), 18, 30);
  EXPECT_EQ(local_date(t), day("2026-08-31"));
  EXPECT_EQ(local_time_of_day(t), 18h + 30min);
}

TEST(AlmatyTime, FormatsWithTheOffset) {
  EXPECT_EQ(format_instant_local(at("2026-03-20T11:00:05Z")), "2026-03-20T16:00:05+05:00");
  EXPECT_EQ(format_instant_local(at("2026-12-31T19:30:00Z")), "2027-01-01T00:30:00+05:00");
  EXPECT_EQ(parse_instant(format_instant_local(at("2026-03-20T11:00:05Z"))), at("2026-03-20T11:00:05Z"));
  EXPECT_EQ(format_instant_local(at("2026-01-09T04:05:09Z")), "2026-01-09T09:05:09+05:00");
}

// Dates are written digit by digit (no snprintf); years outside 0-9999 fall
// back to snprintf's spelling.
TEST(AlmatyTime, DatesAreZeroPadded) {
  EXPECT_EQ(format_date(day("2026-01-02")), "2026-01-02");
  EXPECT_EQ(format_date(day("0999-12-31")), "0999-12-31");
  EXPECT_EQ(format_date(day("9999-09-09")), "9999-09-09");
  EXPECT_EQ(format_date(Date{std::chrono::year{12026}, std::chrono::month{3}, std::chrono::day{4}}), "12026-03-04");
  EXPECT_EQ(format_date(Date{std::chrono::year{-5}, std::chrono::month{3}, std::chrono::day{4}}), "-005-03-04");
}
