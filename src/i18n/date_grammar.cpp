#include "qujat/i18n/date_grammar.h"

#include <cstdio>

#include "qujat/common/error.h"

namespace qujat::i18n {
namespace {

using nlohmann::json;

const json* member(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string two_digits(unsigned n) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02u", n % 100);
  return buf;
}

// Fills one pattern; `month_name` answers {month:FORM}. Reports an unknown
// placeholder through `unknown` (for defects()) or by throwing.
template <typename MonthName, typename Unknown>
std::string fill(std::string_view pattern, Date date, MonthName month_name, Unknown unknown) {
  std::string out;
  std::size_t pos = 0;
  while (pos < pattern.size()) {
    const auto open = pattern.find('{', pos);
    if (open == std::string_view::npos) break;
    const auto close = pattern.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(pattern.substr(pos, open - pos));
    const auto key = pattern.substr(open + 1, close - open - 1);
    if (key == "year") {
      out += std::to_string(static_cast<int>(date.year()));
    } else if (key == "day") {
      out += std::to_string(static_cast<unsigned>(date.day()));
    } else if (key == "dd") {
      out += two_digits(static_cast<unsigned>(date.day()));
    } else if (key == "mm") {
      out += two_digits(static_cast<unsigned>(date.month()));
    } else if (key.starts_with("month:")) {
      out += month_name(key.substr(6));
    } else {
      unknown(key);
    }
    pos = close + 1;
  }
  out.append(pattern.substr(pos));
  return out;
}

}  // namespace

std::string DateGrammar::format(Date date, std::string_view lang, std::string_view role) const {
  if (!date.ok()) throw Error("i18n.bad_date", "not a calendar date");
  auto lacking = [&](const std::string& what) {
    return Error("i18n.date_grammar", "templates/dates.json has no " + what);
  };
  const json* forms = member(data_, "forms");
  const json* patterns = forms != nullptr ? member(*forms, lang) : nullptr;
  if (patterns == nullptr) throw lacking("date forms for \"" + std::string(lang) + "\"");
  const json* pattern = member(*patterns, role);
  if (pattern == nullptr) pattern = member(*patterns, "plain");
  if (pattern == nullptr || !pattern->is_string())
    throw lacking("\"plain\" date form for \"" + std::string(lang) + "\"");
  const json* months = member(data_, "months");
  const json* names = months != nullptr ? member(*months, lang) : nullptr;
  return fill(
      pattern->get_ref<const std::string&>(), date,
      [&](std::string_view form) -> std::string {
        const json* list = names != nullptr ? member(*names, form) : nullptr;
        const auto index = static_cast<unsigned>(date.month()) - 1;
        if (list == nullptr || !list->is_array() || list->size() != 12 || !(*list)[index].is_string())
          throw lacking("12 month names \"" + std::string(form) + "\" for \"" + std::string(lang) + "\"");
        return (*list)[index].get<std::string>();
      },
      [&](std::string_view key) { throw lacking("placeholder {" + std::string(key) + "} (a typo in a pattern?)"); });
}

std::vector<std::string> DateGrammar::defects() const {
  std::vector<std::string> out;
  const json* forms = member(data_, "forms");
  const json* months = member(data_, "months");
  if (forms == nullptr || !forms->is_object()) return {"no \"forms\" object"};
  if (months == nullptr || !months->is_object()) return {"no \"months\" object"};
  for (const auto& [lang, patterns] : forms->items()) {
    if (!patterns.contains("plain")) out.push_back(lang + ": no \"plain\" form");
    const json* names = member(*months, lang);
    for (const auto& [role, pattern] : patterns.items()) {
      if (!pattern.is_string()) {
        out.push_back(lang + "." + role + ": not a string");
        continue;
      }
      const std::string where = lang + "." + role;
      fill(
          pattern.get_ref<const std::string&>(),
          Date{std::chrono::year{2026}, std::chrono::January, std::chrono::day{9}},
          [&](std::string_view form) -> std::string {
            const json* list = names != nullptr ? member(*names, form) : nullptr;
            if (list == nullptr || !list->is_array() || list->size() != 12) {
              out.push_back(where + ": month form \"" + std::string(form) + "\" is not a list of 12 names");
              return {};
            }
            for (const auto& name : *list)
              if (!name.is_string() || name.get_ref<const std::string&>().empty())
                out.push_back(where + ": an empty month name in \"" + std::string(form) + "\"");
            return {};
          },
          [&](std::string_view key) { out.push_back(where + ": unknown placeholder {" + std::string(key) + "}"); });
    }
  }
  return out;
}

}  // namespace qujat::i18n
