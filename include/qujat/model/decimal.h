// An exact decimal number for money and quantities ("125000.00", "10",
// "1250.5"): the JSON carries them as strings so no binary floating point
// ever rounds an amount. Addition and comparison are exact; the string form
// round-trips (the scale, i.e. the number of fraction digits, is kept).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qujat::model {

class Decimal {
 public:
  // Up to 30 digits before the point and 8 after; more is refused by parse().
  static constexpr int max_integer_digits = 30;
  static constexpr int max_scale = 8;

  Decimal() = default;  // 0
  // "[-]digits[.digits]"; no exponent, no '+', no spaces, no leading '.', no
  // thousands separators. nullopt for anything else or too many digits.
  static std::optional<Decimal> parse(std::string_view text);
  // Throws qujat::Error("decimal.invalid") naming the text.
  static Decimal from_string(std::string_view text);

  // The canonical text with this value's scale: "125000.00", "-3.5", "0".
  std::string to_string() const;
  int scale() const noexcept { return scale_; }
  bool is_negative() const noexcept { return units_ < 0; }
  bool is_zero() const noexcept { return units_ == 0; }

  // Exact; the result has the larger scale of the two. Throws
  // qujat::Error("decimal.overflow") beyond 38 significant digits.
  Decimal operator+(const Decimal& other) const;
  Decimal operator-(const Decimal& other) const;
  Decimal& operator+=(const Decimal& other) { return *this = *this + other; }

  // By value: 1.5 == 1.50.
  std::strong_ordering operator<=>(const Decimal& other) const noexcept;
  bool operator==(const Decimal& other) const noexcept { return (*this <=> other) == 0; }

 private:
  Decimal(__int128 units, int scale) : units_(units), scale_(scale) {}
  __int128 units_ = 0;  // value * 10^scale_
  int scale_ = 0;
};

}  // namespace qujat::model
