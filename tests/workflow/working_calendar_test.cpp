#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "qujat/common/clock.h"
#include "qujat/common/error.h"
#include "qujat/workflow/working_calendar.h"
#include "support/paths.h"

using namespace qujat;
using namespace qujat::workflow;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

namespace {

Date day(const char* text) { return *parse_date(text); }
Instant at(const char* text) { return *parse_instant(text); }

// The project's own calendar/ (real data, the one the service reads).
const WorkingCalendar& project_calendar() {
  static const WorkingCalendar calendar = WorkingCalendar::load(test::source_root() / "calendar");
  return calendar;
}

// (from, to] counts from 2 January; 1 January is added by hand, since the
// day before it is in a year that may have no file.
int working_days_in(int year) {
  const auto& cal = project_calendar();
  const Date first{std::chrono::year{year} / std::chrono::January / 1};
  const Date last{std::chrono::year{year} / std::chrono::December / 31};
  return cal.working_days_between(first, last) + (cal.is_working_day(first) ? 1 : 0);
}

}  // namespace

TEST(ProjectCalendar, HasEveryResearchedYear) {
  EXPECT_EQ(project_calendar().years(), (std::vector<int>{2025, 2026, 2027}));
  EXPECT_EQ(project_calendar().year_status(2025), DayStatus::confirmed);
  EXPECT_EQ(project_calendar().year_status(2026), DayStatus::confirmed);
  EXPECT_EQ(project_calendar().year_status(2027), DayStatus::estimated);
}

// The counts kz-calendar-facts.md derives from its tables: the files list
// exactly those days.
TEST(ProjectCalendar, CountsTheWorkingDaysOfEachYear) {
  EXPECT_EQ(working_days_in(2025), 246);
  EXPECT_EQ(working_days_in(2026), 247);
  EXPECT_EQ(working_days_in(2027), 247);
}

TEST(ProjectCalendar, FiveDayWeekMinusDaysOffPlusMovedWorkingDays) {
  const auto& cal = project_calendar();
  EXPECT_TRUE(cal.is_working_day(day("2026-03-20")));   // Friday
  EXPECT_FALSE(cal.is_working_day(day("2026-03-21")));  // Saturday (and Nauryz)
  EXPECT_FALSE(cal.is_working_day(day("2026-03-23")));  // Monday, Nauryz
  EXPECT_FALSE(cal.is_working_day(day("2026-03-24")));  // carry-over of 21 March
  EXPECT_FALSE(cal.is_working_day(day("2026-03-25")));  // carry-over of 22 March
  EXPECT_TRUE(cal.is_working_day(day("2026-03-26")));
  // 2025: Sunday 5 January worked, Friday 3 January off (Government transfer).
  EXPECT_TRUE(cal.is_working_day(day("2025-01-05")));
  EXPECT_FALSE(cal.is_working_day(day("2025-01-03")));
  EXPECT_FALSE(cal.is_working_day(day("2025-01-04")));  // an ordinary Saturday
  // 7 January and Kurban Ait: off on a weekday, never carried over.
  EXPECT_FALSE(cal.is_working_day(day("2026-01-07")));
  EXPECT_FALSE(cal.is_working_day(day("2025-06-06")));
  EXPECT_TRUE(cal.is_working_day(day("2027-05-17")));  // Kurban Ait 2027 (estimated) is a Sunday
}

TEST(ProjectCalendar, FollowsTheNewConstitution) {
  const auto& cal = project_calendar();
  // 2025: 30 August (Saturday) still Constitution Day, carried to Monday 1 September.
  EXPECT_FALSE(cal.is_working_day(day("2025-09-01")));
  // 2026: 30 August is no longer a holiday, so Monday 31 August is worked.
  EXPECT_TRUE(cal.is_working_day(day("2026-08-31")));
  EXPECT_EQ(cal.listed(day("2026-08-30")), nullptr);
  // 2027: 15 March is Constitution Day; 30 August an ordinary Monday.
  EXPECT_FALSE(cal.is_working_day(day("2027-03-15")));
  EXPECT_TRUE(cal.is_working_day(day("2027-08-30")));
  const auto* constitution = cal.listed(day("2027-03-15"));
  ASSERT_NE(constitution, nullptr);
  EXPECT_EQ(constitution->kind, DayKind::holiday);
  EXPECT_EQ(constitution->ru, "День Конституции Республики Казахстан");
  EXPECT_EQ(constitution->kk, "Қазақстан Республикасының Конституциясы күні");
  EXPECT_THAT(constitution->sources, ::testing::Contains("S-TASPA"));
}

TEST(ProjectCalendar, ListsEntriesWithTheirKindStatusAndOrigin) {
  const auto& cal = project_calendar();
  const auto* carry = cal.listed(day("2026-03-24"));
  ASSERT_NE(carry, nullptr);
  EXPECT_EQ(carry->kind, DayKind::carryover);
  EXPECT_EQ(carry->from, day("2026-03-21"));
  EXPECT_EQ(carry->status, DayStatus::confirmed);
  const auto* kurban = cal.listed(day("2026-05-27"));
  ASSERT_NE(kurban, nullptr);
  EXPECT_EQ(kurban->kind, DayKind::religious_off);
  EXPECT_EQ(kurban->status, DayStatus::planned);
  EXPECT_EQ(cal.listed(day("2027-05-16"))->status, DayStatus::estimated);
  EXPECT_EQ(cal.listed(day("2025-01-05"))->kind, DayKind::transfer_work);
  EXPECT_EQ(cal.listed(day("2025-01-03"))->kind, DayKind::transfer_off);
  EXPECT_EQ(cal.listed(day("2025-01-03"))->from, day("2025-01-05"));
  EXPECT_EQ(cal.listed(day("2026-03-26")), nullptr);
}

TEST(RegistrationDate, FridayAfterTheCutoffBeforeNauryzRegistersOnThursday) {
  const auto& cal = project_calendar();
  // Friday 20 March 2026, 17:00 in Almaty, 16:00 cut-off: Saturday, Sunday,
  // Monday 23 (Nauryz), 24 and 25 (carry-overs) are off.
  EXPECT_EQ(cal.registration_date(at("2026-03-20T17:00:00+05:00"), 16h), day("2026-03-26"));
  // At the cut-off exactly: the next working day; a second before: the same day.
  EXPECT_EQ(cal.registration_date(at("2026-03-20T16:00:00+05:00"), 16h), day("2026-03-26"));
  EXPECT_EQ(cal.registration_date(at("2026-03-20T15:59:59+05:00"), 16h), day("2026-03-20"));
  // Before the working day starts is still that day.
  EXPECT_EQ(cal.registration_date(at("2026-03-20T07:00:00+05:00"), 16h), day("2026-03-20"));
  // 17:00 with the re-export permit's 17:00 cut-off, 16:59 with it.
  EXPECT_EQ(cal.registration_date(at("2026-03-19T16:59:00+05:00"), 17h), day("2026-03-19"));
  EXPECT_EQ(cal.registration_date(at("2026-03-19T17:00:00+05:00"), 17h), day("2026-03-20"));
}

TEST(RegistrationDate, UsesTheAlmatyDateNotUtc) {
  const auto& cal = project_calendar();
  // 19:30 UTC on Thursday 19 March is 00:30 on Friday in Almaty.
  EXPECT_EQ(cal.registration_date(at("2026-03-19T19:30:00Z"), 16h), day("2026-03-20"));
  // 10:00 UTC on Friday is 15:00 in Almaty, before the cut-off.
  EXPECT_EQ(cal.registration_date(at("2026-03-20T10:00:00Z"), 16h), day("2026-03-20"));
}

TEST(RegistrationDate, OnADayOffItIsTheNextWorkingDay) {
  const auto& cal = project_calendar();
  EXPECT_EQ(cal.registration_date(at("2026-03-23T10:00:00+05:00"), 16h), day("2026-03-26"));
  EXPECT_EQ(cal.registration_date(at("2025-01-04T10:00:00+05:00"), 16h), day("2025-01-05"));  // a worked Sunday
  EXPECT_EQ(cal.registration_date(at("2026-08-29T10:00:00+05:00"), 16h), day("2026-08-31"));
}

TEST(WorkingDays, NextIsStrictlyAfter) {
  const auto& cal = project_calendar();
  EXPECT_EQ(cal.next_working_day(day("2026-03-20")), day("2026-03-26"));
  EXPECT_EQ(cal.next_working_day(day("2026-03-26")), day("2026-03-27"));
  EXPECT_EQ(cal.next_working_day(day("2025-01-02")), day("2025-01-05"));
  EXPECT_EQ(cal.next_working_day(day("2026-08-28")), day("2026-08-31"));
  EXPECT_EQ(cal.next_working_day(day("2025-08-29")), day("2025-09-02"));
}

TEST(WorkingDays, AddAndCountAcrossNewYear) {
  const auto& cal = project_calendar();
  // Mon 28 Dec 2026 + 5: 29, 30, 31 Dec; 1 Jan holiday, 2-3 weekend,
  // 4 carry-over of 2 Jan; 5, 6 Jan; 7 Jan is Orthodox Christmas.
  EXPECT_EQ(cal.add_working_days(day("2026-12-28"), 5), day("2027-01-06"));
  EXPECT_EQ(cal.add_working_days(day("2026-12-28"), 6), day("2027-01-08"));
  EXPECT_EQ(cal.add_working_days(day("2027-01-08"), -6), day("2026-12-28"));
  EXPECT_EQ(cal.working_days_between(day("2026-12-28"), day("2027-01-08")), 6);
  EXPECT_EQ(cal.working_days_between(day("2027-01-08"), day("2026-12-28")), -6);
  EXPECT_EQ(cal.add_working_days(day("2026-03-21"), 0), day("2026-03-21"));
  EXPECT_EQ(cal.working_days_between(day("2026-03-20"), day("2026-03-20")), 0);
  // (from, to]: a day off at either end counts nothing.
  EXPECT_EQ(cal.working_days_between(day("2026-03-20"), day("2026-03-26")), 1);
}

TEST(WorkingDays, ATermOfThirtyWorkingDaysFromRegistration) {
  const auto& cal = project_calendar();
  // Registered Thursday 26 March 2026: 2 working days for completeness, 30 for the decision.
  EXPECT_EQ(cal.add_working_days(day("2026-03-26"), 2), day("2026-03-30"));
  EXPECT_EQ(cal.add_working_days(day("2026-03-26"), 30), day("2026-05-12"));
  EXPECT_EQ(cal.working_days_between(day("2026-03-26"), day("2026-05-12")), 30);
}

TEST(WorkingDays, AYearWithoutAFileIsAnErrorNotAGuess) {
  const auto& cal = project_calendar();
  try {
    cal.is_working_day(day("2028-03-01"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "calendar.year_missing");
    EXPECT_THAT(e.what(), HasSubstr("2028"));
  }
  EXPECT_THROW(cal.next_working_day(day("2027-12-31")), Error);
  EXPECT_THROW(cal.add_working_days(day("2025-01-06"), -10), Error);
  EXPECT_THROW(cal.registration_date(at("2024-12-31T10:00:00+05:00"), 16h), Error);
  EXPECT_THROW(cal.listed(day("2024-05-01")), Error);
  EXPECT_THROW(cal.year_status(2028), Error);
}

TEST(WorkingHours, AreTheSeedsNineToHalfPastSix) {
  EXPECT_EQ(kWorkdayStart, 9h);
  EXPECT_EQ(kWorkdayEnd, 18h + 30min);
}

// Year files an operator writes: read at load, every mistake named by file,
// line and key.
class CalendarFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    dir_ = fs::temp_directory_path() / ("qujat-calendar-" + std::to_string(random()) + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }

  Error error_of(const std::string& text) const {
    write("2028.toml", text);
    try {
      WorkingCalendar::load(dir_);
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "loaded:\n" << text;
    return Error("none", "none");
  }

  fs::path dir_;
};

TEST_F(CalendarFolder, AnOperatorAddsAYearWithoutARebuild) {
  write("README.md", "not a year");
  write("2028.toml", R"(
year = 2028
status = "planned"

[[day]]
date = 2028-01-03
kind = "carryover"
from = 2028-01-01
sources = ["МТСЗН production calendar 2028"]

[[day]]
date = 2028-01-08
kind = "transfer_work"
sources = ["Government decree"]
)");
  const auto cal = WorkingCalendar::load(dir_);
  EXPECT_EQ(cal.years(), std::vector<int>{2028});
  EXPECT_EQ(cal.year_status(2028), DayStatus::planned);
  EXPECT_FALSE(cal.is_working_day(day("2028-01-03")));
  EXPECT_TRUE(cal.is_working_day(day("2028-01-04")));
  EXPECT_TRUE(cal.is_working_day(day("2028-01-08")));  // a Saturday made working
  EXPECT_EQ(cal.listed(day("2028-01-03"))->status, DayStatus::planned);
  EXPECT_THROW(cal.is_working_day(day("2027-12-31")), Error);
}

TEST_F(CalendarFolder, AYearWithNoListedDayHasOnlyWeekendsOff) {
  write("2028.toml", "year = 2028\n");
  const auto cal = WorkingCalendar::load(dir_);
  EXPECT_TRUE(cal.is_working_day(day("2028-01-03")));
  EXPECT_FALSE(cal.is_working_day(day("2028-01-01")));
  EXPECT_EQ(cal.year_status(2028), DayStatus::confirmed);
}

TEST_F(CalendarFolder, NoFolderOrNoYearFileIsAnError) {
  try {
    WorkingCalendar::load(dir_ / "absent");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "calendar.folder");
  }
  write("README.md", "x");
  try {
    WorkingCalendar::load(dir_);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "calendar.folder");
    EXPECT_THAT(e.what(), HasSubstr("no YYYY.toml"));
  }
  fs::create_directories(dir_ / "2029.toml");
  EXPECT_THROW(WorkingCalendar::load(dir_), Error);
}

TEST_F(CalendarFolder, RefusesAHugeFile) {
  EXPECT_EQ(error_of("year = 2028\n# " + std::string(300 * 1024, 'x') + "\n").code(), "calendar.folder");
}

TEST_F(CalendarFolder, RefusesKeysNestedDeepEnoughToCrashTheParser) {
  std::string deep = "x";
  for (int i = 0; i < 60000; ++i) deep += ".a";
  const auto e = error_of("year = 2028\n" + deep + " = 1\n");
  EXPECT_EQ(e.code(), "calendar.syntax");
  EXPECT_THAT(e.what(), HasSubstr("2028.toml:2: more than 512 '.' on one line"));
}

struct BadYear {
  const char* name;
  std::string toml;
  const char* code;
  const char* message;
};

class BadYearFile : public CalendarFolder, public ::testing::WithParamInterface<BadYear> {};

TEST_P(BadYearFile, IsRefusedNamingFileLineAndKey) {
  const auto e = error_of(GetParam().toml);
  EXPECT_EQ(e.code(), GetParam().code);
  EXPECT_THAT(e.what(), HasSubstr((dir_ / "2028.toml").string()));
  EXPECT_THAT(e.what(), HasSubstr(GetParam().message));
  EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
}

const std::string kDay = "year = 2028\n[[day]]\n";

INSTANTIATE_TEST_SUITE_P(
    Every, BadYearFile,
    ::testing::Values(
        BadYear{"not_toml", "year = 2028\n[[day]\n", "calendar.syntax", "2028.toml:2:"},
        BadYear{"year_missing", "status = \"confirmed\"\n", "calendar.entry", ": year: required"},
        BadYear{"year_other", "year = 2029\n", "calendar.entry", "2028.toml:1: year: must be 2028"},
        BadYear{"unknown_top_key", "year = 2028\nholidays = []\n", "calendar.entry", ":2: holidays: unknown key"},
        BadYear{"status_unknown", "year = 2028\nstatus = \"sure\"\n", "calendar.entry",
                ":2: status: \"sure\" is not one of confirmed | planned | estimated"},
        BadYear{"kind_unknown", kDay + "date = 2028-01-03\nkind = \"holidy\"\nsources = [\"S\"]\n", "calendar.entry",
                ":4: day[1].kind: \"holidy\" is not one of holiday | carryover | religious_off | transfer_off | "
                "transfer_work"},
        BadYear{"date_quoted", kDay + "date = \"2028-01-03\"\nkind = \"holiday\"\nsources = [\"S\"]\n",
                "calendar.entry", ":3: day[1].date: expected a date"},
        BadYear{"date_missing", kDay + "kind = \"holiday\"\nsources = [\"S\"]\n", "calendar.entry",
                "day[1].date: required"},
        BadYear{"kind_missing", kDay + "date = 2028-01-03\nsources = [\"S\"]\n", "calendar.entry",
                "day[1].kind: required"},
        BadYear{"sources_missing", kDay + "date = 2028-01-03\nkind = \"holiday\"\n", "calendar.entry",
                "day[1].sources: required"},
        BadYear{"sources_empty", kDay + "date = 2028-01-03\nkind = \"holiday\"\nsources = []\n", "calendar.entry",
                ":5: day[1].sources: expected a non-empty list"},
        BadYear{"unknown_day_key", kDay + "date = 2028-01-03\nkind = \"holiday\"\nsources = [\"S\"]\nname = \"x\"\n",
                "calendar.entry", ":6: day[1].name: unknown key"},
        BadYear{"date_other_year", kDay + "date = 2027-12-31\nkind = \"holiday\"\nsources = [\"S\"]\n",
                "calendar.entry", ":3: day[1].date: 2027-12-31 is not in 2028"},
        BadYear{"listed_twice",
                kDay + "date = 2028-01-03\nkind = \"holiday\"\nsources = [\"S\"]\n[[day]]\ndate = 2028-01-03\nkind = "
                       "\"holiday\"\nsources = [\"S\"]\n",
                "calendar.entry", ":7: day[2].date: 2028-01-03 is listed twice"},
        BadYear{"carryover_on_weekend",
                kDay + "date = 2028-01-01\nkind = \"carryover\"\nfrom = 2027-12-31\nsources = [\"S\"]\n",
                "calendar.entry", "day[1].date: 2028-01-01 is a weekend day"},
        BadYear{"carryover_without_from", kDay + "date = 2028-01-03\nkind = \"carryover\"\nsources = [\"S\"]\n",
                "calendar.entry", "day[1].from: required for a carryover"},
        BadYear{"transfer_work_on_weekday", kDay + "date = 2028-01-03\nkind = \"transfer_work\"\nsources = [\"S\"]\n",
                "calendar.entry", "day[1].date: 2028-01-03 is a weekday"},
        BadYear{"day_not_tables", "year = 2028\nday = [1, 2]\n", "calendar.entry", ":2: day: expected [[day]] tables"},
        BadYear{"name_not_string", kDay + "date = 2028-01-03\nkind = \"holiday\"\nru = 5\nsources = [\"S\"]\n",
                "calendar.entry", ":5: day[1].ru: expected a string"}),
    [](const ::testing::TestParamInfo<BadYear>& info) { return std::string(info.param.name); });
