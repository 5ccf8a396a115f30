#include "qujat/workflow/working_calendar.h"

#include <algorithm>
#include <array>

#include "qujat/common/bytes.h"
#include "qujat/common/clock.h"
#include "qujat/common/error.h"
#include "qujat/config/toml_text.h"

namespace qujat::workflow {
namespace {

using std::chrono::sys_days;

// A year file is a few dozen entries; anything much larger is refused unread.
constexpr std::uintmax_t kMaxFileBytes = 256 * 1024;

constexpr std::array<std::string_view, 5> kKindNames{"holiday", "carryover", "religious_off", "transfer_off",
                                                     "transfer_work"};
constexpr std::array<std::string_view, 3> kStatusNames{"confirmed", "planned", "estimated"};

bool is_weekend(Date day) {
  const std::chrono::weekday wd{sys_days{day}};
  return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
}

bool is_day_off(DayKind kind) { return kind != DayKind::transfer_work; }

template <std::size_t N>
std::string one_of(const std::array<std::string_view, N>& names) {
  std::string out;
  for (auto name : names) out += (out.empty() ? "" : " | ") + std::string(name);
  return out;
}

// "YYYY.toml" -> YYYY; nullopt for any other name.
std::optional<int> year_of_file(const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  if (name.size() != 9 || !name.ends_with(".toml")) return std::nullopt;
  int year = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
    year = year * 10 + (name[i] - '0');
  }
  return year;
}

// Reads one year file; every error names the file, the line and the key.
class YearFileReader {
 public:
  YearFileReader(std::filesystem::path file, int year) : file_(std::move(file)), year_(year) {}

  [[noreturn]] void fail(const std::string& code, const toml::node* at, const std::string& key,
                         const std::string& reason) const {
    std::string where = "calendar: " + file_.string();
    if (at != nullptr && at->source().begin.line > 0) where += ":" + std::to_string(at->source().begin.line);
    throw Error(code, where + ": " + key + ": " + reason);
  }

  toml::table parse() const {
    std::string text;
    try {
      text = std::string(as_chars(read_file(file_.string(), kMaxFileBytes)));
    } catch (const Error& e) {
      throw Error("calendar.folder", std::string("calendar: ") + e.what());
    }
    return config::parse_toml(text, file_.string(), "calendar");
  }

  Date date(const toml::node& node, const std::string& key) const {
    const auto* d = node.as_date();
    if (d == nullptr) fail("calendar.entry", &node, key, "expected a date (2026-03-23, unquoted)");
    const Date out{std::chrono::year{d->get().year}, std::chrono::month{d->get().month},
                   std::chrono::day{d->get().day}};
    if (!out.ok()) fail("calendar.entry", &node, key, "not a real date");
    return out;
  }

  const std::string& string(const toml::node& node, const std::string& key) const {
    const auto* s = node.as_string();
    if (s == nullptr) fail("calendar.entry", &node, key, "expected a string");
    return s->get();
  }

  template <std::size_t N>
  std::size_t choice(const toml::node& node, const std::string& key,
                     const std::array<std::string_view, N>& names) const {
    const auto& value = string(node, key);
    for (std::size_t i = 0; i < N; ++i)
      if (names[i] == value) return i;
    fail("calendar.entry", &node, key, config::quoted_value(value) + " is not one of " + one_of(names));
  }

  CalendarDay day(const toml::table& entry, const std::string& name, DayStatus year_status) const {
    CalendarDay out;
    out.status = year_status;
    bool has_date = false, has_kind = false;
    for (auto&& [k, v] : entry) {
      const std::string key = name + "." + std::string(k.str());
      if (k == "date") {
        out.date = date(v, key);
        has_date = true;
      } else if (k == "kind") {
        out.kind = static_cast<DayKind>(choice(v, key, kKindNames));
        has_kind = true;
      } else if (k == "status") {
        out.status = static_cast<DayStatus>(choice(v, key, kStatusNames));
      } else if (k == "kk") {
        out.kk = string(v, key);
      } else if (k == "ru") {
        out.ru = string(v, key);
      } else if (k == "from") {
        out.from = date(v, key);
      } else if (k == "note") {
        string(v, key);
      } else if (k == "sources") {
        const auto* list = v.as_array();
        if (list == nullptr || list->empty())
          fail("calendar.entry", &v, key, "expected a non-empty list of source ids");
        for (const auto& item : *list) out.sources.push_back(string(item, key));
      } else {
        fail("calendar.entry", &v, key, "unknown key");
      }
    }
    if (!has_date) fail("calendar.entry", &entry, name + ".date", "required");
    if (!has_kind) fail("calendar.entry", &entry, name + ".kind", "required");
    if (out.sources.empty()) fail("calendar.entry", &entry, name + ".sources", "required: where the fact comes from");
    const auto* date_node = entry.get("date");
    if (static_cast<int>(out.date.year()) != year_)
      fail("calendar.entry", date_node, name + ".date", format_date(out.date) + " is not in " + std::to_string(year_));
    const bool weekend = is_weekend(out.date);
    if ((out.kind == DayKind::carryover || out.kind == DayKind::transfer_off) && weekend)
      fail("calendar.entry", date_node, name + ".date",
           format_date(out.date) + " is a weekend day; a " + std::string(day_kind_name(out.kind)) +
               " moves a day off to a weekday");
    if (out.kind == DayKind::transfer_work && !weekend)
      fail("calendar.entry", date_node, name + ".date",
           format_date(out.date) + " is a weekday; transfer_work makes a Saturday or Sunday a working day");
    if (out.kind == DayKind::carryover && !out.from)
      fail("calendar.entry", &entry, name + ".from", "required for a carryover: the holiday that fell on a weekend");
    return out;
  }

  void read_into(std::map<sys_days, CalendarDay>& listed, DayStatus& status) const {
    const toml::table root = parse();
    bool has_year = false;
    for (auto&& [k, v] : root) {
      if (k == "year") {
        const auto* y = v.as_integer();
        if (y == nullptr || y->get() != year_)
          fail("calendar.entry", &v, "year", "must be " + std::to_string(year_) + ", the file's name");
        has_year = true;
      } else if (k == "status") {
        status = static_cast<DayStatus>(choice(v, "status", kStatusNames));
      } else if (k != "day") {
        fail("calendar.entry", &v, std::string(k.str()), "unknown key (year, status, [[day]])");
      }
    }
    if (!has_year) fail("calendar.entry", nullptr, "year", "required");
    const auto* days = root.get("day");
    if (days == nullptr) return;  // a year with no listed day: only weekends are off
    const auto* list = days->as_array();
    if (list == nullptr || !list->is_array_of_tables()) fail("calendar.entry", days, "day", "expected [[day]] tables");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string name = "day[" + std::to_string(i + 1) + "]";
      auto entry = day(*(*list)[i].as_table(), name, status);
      const auto [it, added] = listed.emplace(sys_days{entry.date}, std::move(entry));
      if (!added)
        fail("calendar.entry", (*list)[i].as_table()->get("date"), name + ".date",
             format_date(it->second.date) + " is listed twice");
    }
  }

 private:
  std::filesystem::path file_;
  int year_;
};

}  // namespace

std::string_view day_kind_name(DayKind kind) noexcept { return kKindNames[static_cast<std::size_t>(kind)]; }

std::string_view day_status_name(DayStatus status) noexcept { return kStatusNames[static_cast<std::size_t>(status)]; }

WorkingCalendar WorkingCalendar::load(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw Error("calendar.folder", "calendar: no such folder " + config::quoted_value(dir.string()));
  WorkingCalendar calendar;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const auto year = year_of_file(entry.path());
    if (!year) continue;
    std::error_code file_ec;
    if (!entry.is_regular_file(file_ec))
      throw Error("calendar.folder", "calendar: " + config::quoted_value(entry.path().string()) + " is not a file");
    Year data;
    YearFileReader(entry.path(), *year).read_into(data.listed, data.status);
    const sys_days first{std::chrono::year{*year} / std::chrono::January / 1};
    const sys_days next{std::chrono::year{*year + 1} / std::chrono::January / 1};
    for (sys_days d = first; d < next; d += std::chrono::days{1}) {
      const auto it = data.listed.find(d);
      data.working.push_back(it != data.listed.end() ? !is_day_off(it->second.kind) : !is_weekend(Date{d}));
    }
    calendar.years_.emplace(*year, std::move(data));
  }
  if (ec)
    throw Error("calendar.folder", "calendar: cannot list " + config::quoted_value(dir.string()) + ": " + ec.message());
  if (calendar.years_.empty())
    throw Error("calendar.folder", "calendar: no YYYY.toml year file in " + config::quoted_value(dir.string()));
  return calendar;
}

const WorkingCalendar::Year& WorkingCalendar::year_of(Date day) const {
  const int year = static_cast<int>(day.year());
  const auto it = years_.find(year);
  if (it == years_.end())
    throw Error("calendar.year_missing", "calendar: no working-day calendar for " + std::to_string(year) + " (" +
                                             format_date(day) + "): add " + std::to_string(year) + ".toml");
  return it->second;
}

bool WorkingCalendar::is_working_day(Date day) const {
  const auto& year = year_of(day);
  const sys_days first{day.year() / std::chrono::January / 1};
  return year.working[static_cast<std::size_t>((sys_days{day} - first).count())];
}

Date WorkingCalendar::next_working_day(Date day) const { return add_working_days(day, 1); }

Date WorkingCalendar::add_working_days(Date start, int n) const {
  const std::chrono::days step{n < 0 ? -1 : 1};
  sys_days d{start};
  for (int left = n < 0 ? -n : n; left > 0;) {
    d += step;
    if (is_working_day(Date{d})) --left;
  }
  return Date{d};
}

int WorkingCalendar::working_days_between(Date from, Date to) const {
  if (sys_days{to} < sys_days{from}) return -working_days_between(to, from);
  int count = 0;
  for (sys_days d = sys_days{from} + std::chrono::days{1}; d <= sys_days{to}; d += std::chrono::days{1})
    if (is_working_day(Date{d})) ++count;
  return count;
}

Date WorkingCalendar::registration_date(Instant received, std::chrono::minutes cutoff) const {
  const Date day = local_date(received);
  if (is_working_day(day) && local_time_of_day(received) < cutoff) return day;
  return next_working_day(day);
}

const CalendarDay* WorkingCalendar::listed(Date day) const {
  const auto& year = year_of(day);
  const auto it = year.listed.find(sys_days{day});
  return it == year.listed.end() ? nullptr : &it->second;
}

std::vector<int> WorkingCalendar::years() const {
  std::vector<int> out;
  for (const auto& [year, data] : years_) out.push_back(year);
  return out;
}

DayStatus WorkingCalendar::year_status(int year) const {
  return year_of(std::chrono::year{year} / std::chrono::January / 1).status;
}

}  // namespace qujat::workflow
