// IIN and BIN as the national registers define them: Law of RK of 12.01.2007
// No. 223-III "On national registers of identification numbers" and the rules
// for forming identification numbers (Government Decree of RK No. 406 of 2007,
// adilet.zan.kz P070000406_: the control digit). Summary, also published by the
// OECD (tax-identification-numbers/Kazakhstan-TIN.pdf):
//  IIN: YYMMDD birth date; digit 7 century and sex (1/2 born in the 19th
//       century male/female, 3/4 20th, 5/6 21st); digits 8-11 register serial;
//       digit 12 control.
//  BIN: YYMM of registration; digit 5 type (4 resident legal entity,
//       5 non-resident legal entity, 6 joint individual entrepreneurship);
//       digit 6 attribute (0 head office, 1 branch, 2 representative office,
//       3 peasant farm in joint entrepreneurship); digits 7-11 serial; digit 12 control.
//  Control digit: sum of the first 11 digits weighted 1..11, mod 11; if 10,
//       weights 3,4,5,6,7,8,9,10,11,1,2, mod 11; if 10 again the number is not issued.
#include "qujat/model/identity.h"

#include <array>

namespace qujat::model {
namespace {
constexpr std::array<int, 11> kFirstWeights{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
constexpr std::array<int, 11> kSecondWeights{3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};

bool all_digits(std::string_view s) noexcept {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int digit(std::string_view s, std::size_t i) noexcept { return s[i] - '0'; }
int two(std::string_view s, std::size_t i) noexcept { return digit(s, i) * 10 + digit(s, i + 1); }

std::optional<IdentityDefect> common_defect(std::string_view number) noexcept {
  if (number.size() != 12) return IdentityDefect::length;
  if (!all_digits(number)) return IdentityDefect::not_digits;
  return std::nullopt;
}

bool check_digit_matches(std::string_view number) noexcept {
  const auto expected = identity_check_digit(number.substr(0, 11));
  return expected && *expected == digit(number, 11);
}

std::optional<Date> birth_date(std::string_view iin) noexcept {
  const int century_digit = digit(iin, 6);
  if (century_digit < 1 || century_digit > 6) return std::nullopt;
  const int century = 1800 + 100 * ((century_digit - 1) / 2);
  const Date date{std::chrono::year{century + two(iin, 0)}, std::chrono::month{static_cast<unsigned>(two(iin, 2))},
                  std::chrono::day{static_cast<unsigned>(two(iin, 4))}};
  if (!date.ok()) return std::nullopt;
  return date;
}
}  // namespace

std::string_view defect_name(IdentityDefect defect) noexcept {
  switch (defect) {
    case IdentityDefect::length:
      return "length";
    case IdentityDefect::not_digits:
      return "not_digits";
    case IdentityDefect::check_digit:
      return "check_digit";
    case IdentityDefect::century_digit:
      return "century_digit";
    case IdentityDefect::birth_date:
      return "birth_date";
    case IdentityDefect::registration_month:
      return "registration_month";
    case IdentityDefect::entity_type:
      return "entity_type";
    case IdentityDefect::entity_attribute:
      return "entity_attribute";
  }
  return "unknown";
}

std::optional<int> identity_check_digit(std::string_view first) noexcept {
  if (first.size() < 11 || !all_digits(first.substr(0, 11))) return std::nullopt;
  auto weighted = [&](const std::array<int, 11>& weights) {
    int sum = 0;
    for (std::size_t i = 0; i < 11; ++i) sum += digit(first, i) * weights[i];
    return sum % 11;
  };
  int check = weighted(kFirstWeights);
  if (check == 10) check = weighted(kSecondWeights);
  if (check == 10) return std::nullopt;
  return check;
}

std::optional<IdentityDefect> iin_defect(std::string_view iin) noexcept {
  if (auto d = common_defect(iin)) return d;
  const int century_digit = digit(iin, 6);
  if (century_digit < 1 || century_digit > 6) return IdentityDefect::century_digit;
  if (!birth_date(iin)) return IdentityDefect::birth_date;
  if (!check_digit_matches(iin)) return IdentityDefect::check_digit;
  return std::nullopt;
}

std::optional<IdentityDefect> bin_defect(std::string_view bin) noexcept {
  if (auto d = common_defect(bin)) return d;
  const int month = two(bin, 2);
  if (month < 1 || month > 12) return IdentityDefect::registration_month;
  const int type = digit(bin, 4);
  if (type < 4 || type > 6) return IdentityDefect::entity_type;
  if (digit(bin, 5) > 3) return IdentityDefect::entity_attribute;
  if (!check_digit_matches(bin)) return IdentityDefect::check_digit;
  return std::nullopt;
}

std::optional<IinHolder> decode_iin(std::string_view iin) noexcept {
  if (iin_defect(iin)) return std::nullopt;
  return IinHolder{*birth_date(iin), digit(iin, 6) % 2 == 1 ? Sex::male : Sex::female};
}

}  // namespace qujat::model
