// Kazakhstan's identification numbers: the IIN of a person (ЖСН/ИИН) and the
// BIN of a legal entity or joint entrepreneurship (БСН/БИН). Both are 12
// digits with a mod-11 check digit; the IIN also encodes the birth date,
// century and sex, the BIN its registration month and entity type.
#pragma once

#include <optional>
#include <string_view>

#include "qujat/common/time.h"

namespace qujat::model {

// What is wrong with a number; the problem codes of `qujat check` are
// "iin.<name>" / "bin.<name>" with these names.
enum class IdentityDefect {
  length,              // not 12 characters
  not_digits,          // a character other than 0-9
  check_digit,         // the 12th digit does not match (or no digit is possible)
  century_digit,       // IIN digit 7 outside 1-6
  birth_date,          // IIN digits 1-6 are not a real YYMMDD
  registration_month,  // BIN digits 3-4 outside 01-12
  entity_type,         // BIN digit 5 not 4, 5 or 6
  entity_attribute,    // BIN digit 6 not 0-3
};

std::string_view defect_name(IdentityDefect defect) noexcept;

// The check digit for the first 11 digits, or nullopt when both weight rows
// give 10 (such a number is never issued).
std::optional<int> identity_check_digit(std::string_view first_eleven_digits) noexcept;

// nullopt when the IIN is valid; otherwise its first defect, checked in the
// order length, digits, century, birth date, check digit.
std::optional<IdentityDefect> iin_defect(std::string_view iin) noexcept;
// nullopt when the BIN is valid; order: length, digits, month, type, attribute, check digit.
std::optional<IdentityDefect> bin_defect(std::string_view bin) noexcept;

enum class Sex { male, female };

// What an IIN says about its holder.
struct IinHolder {
  Date birth_date;
  Sex sex;
};
// nullopt when the IIN is not valid.
std::optional<IinHolder> decode_iin(std::string_view iin) noexcept;

}  // namespace qujat::model
