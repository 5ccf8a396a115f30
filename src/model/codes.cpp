#include "qujat/model/codes.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "qujat/common/error.h"
#include "qujat/common/resource_dirs.h"

namespace qujat::model {
namespace {
std::filesystem::path iso_dir() {
  if (const auto& chosen = resource_dirs().iso_codes; !chosen.empty()) return chosen;
  return "/usr/share/iso-codes/json";
}

// The iso-codes files are {"3166-1": [{"alpha_2": "KZ", ...}]} and
// {"4217": [{"alpha_3": "KZT", ...}]}; only the codes are needed here (names
// in kk/ru come from ICU in the i18n component).
std::set<std::string, std::less<>> load_codes(const std::string& file, const std::string& list,
                                              const std::string& key) {
  const auto path = iso_dir() / file;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error("model.iso_codes", "ISO code table not found: " + path.string(), {"install Debian package iso-codes"});
  std::set<std::string, std::less<>> codes;
  try {
    const auto doc = nlohmann::json::parse(in);
    for (const auto& entry : doc.at(list)) codes.insert(entry.at(key).get<std::string>());
  } catch (const nlohmann::json::exception& e) {
    throw Error("model.iso_codes", "ISO code table unreadable: " + path.string(), {e.what()});
  }
  if (codes.empty()) throw Error("model.iso_codes", "ISO code table is empty: " + path.string());
  return codes;
}

const std::set<std::string, std::less<>>& countries() {
  static const auto table = load_codes("iso_3166-1.json", "3166-1", "alpha_2");
  return table;
}
const std::set<std::string, std::less<>>& currencies() {
  static const auto table = load_codes("iso_4217.json", "4217", "alpha_3");
  return table;
}

bool digits(std::string_view s, std::size_t n) noexcept {
  if (s.size() != n) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// ".a", ".a.1", ".a.1.b": dot-separated lowercase letters or numbers.
bool sub_items(std::string_view rest) noexcept {
  while (!rest.empty()) {
    if (rest[0] != '.' || rest.size() < 2) return false;
    std::size_t n = 1;
    if (rest[1] >= 'a' && rest[1] <= 'z') {
      n = 2;
    } else {
      while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
      if (n == 1) return false;
    }
    rest.remove_prefix(n);
  }
  return true;
}
}  // namespace

bool is_country_code(std::string_view alpha2) { return alpha2.size() == 2 && countries().contains(alpha2); }
bool is_currency_code(std::string_view alpha3) { return alpha3.size() == 3 && currencies().contains(alpha3); }

bool is_commodity_code(std::string_view code) noexcept { return digits(code, 10); }
bool is_unit_code(std::string_view code) noexcept { return digits(code, 3); }

bool is_control_code(std::string_view code) noexcept {
  if (code.starts_with("ML")) {
    std::size_t n = 2;
    while (n < code.size() && code[n] >= '0' && code[n] <= '9') ++n;
    if (n == 2 || n > 4) return false;
    const int item = std::atoi(std::string(code.substr(2, n - 2)).c_str());
    if (item < 1 || item > 22 || code[2] == '0') return false;
    return sub_items(code.substr(n));
  }
  std::size_t n = 0;
  if (code.starts_with("10")) {
    n = 2;
  } else if (!code.empty() && code[0] >= '0' && code[0] <= '9') {
    n = 1;
  } else {
    return false;
  }
  if (code.size() < n + 4 || code[n] < 'A' || code[n] > 'E') return false;
  if (!digits(code.substr(n + 1, 3), 3)) return false;
  return sub_items(code.substr(n + 4));
}

}  // namespace qujat::model
