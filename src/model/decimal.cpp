// Fixed-point in a 128-bit integer: 38 significant digits cover any contract
// value and quantity, and add/compare are exact without a bignum dependency
// (Debian's mpdecimal would be a new package for two operations).
#include "qujat/model/decimal.h"

#include <algorithm>

#include "qujat/common/error.h"

namespace qujat::model {
namespace {
__int128 pow10(int n) {
  __int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

__int128 rescale(__int128 units, int from_scale, int to_scale) {
  __int128 out = 0;
  if (__builtin_mul_overflow(units, pow10(to_scale - from_scale), &out))
    throw Error("decimal.overflow", "decimal value out of range");
  return out;
}
}  // namespace

std::optional<Decimal> Decimal::parse(std::string_view text) {
  std::size_t pos = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) ++pos;
  const std::size_t int_start = pos;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
  const std::size_t int_digits = pos - int_start;
  if (int_digits == 0 || int_digits > static_cast<std::size_t>(max_integer_digits)) return std::nullopt;
  // "007" is not how anyone writes an amount; refusing it keeps the text canonical.
  if (int_digits > 1 && text[int_start] == '0') return std::nullopt;
  int scale = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t frac_start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    scale = static_cast<int>(pos - frac_start);
    if (scale == 0 || scale > max_scale) return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  __int128 units = 0;
  for (char c : text.substr(int_start)) {
    if (c == '.') continue;
    units = units * 10 + (c - '0');
  }
  return Decimal(negative ? -units : units, scale);
}

Decimal Decimal::from_string(std::string_view text) {
  auto d = parse(text);
  if (!d) throw Error("decimal.invalid", "not a decimal number: \"" + std::string(text) + "\"");
  return *d;
}

std::string Decimal::to_string() const {
  unsigned __int128 magnitude =
      units_ < 0 ? static_cast<unsigned __int128>(-(units_ + 1)) + 1u : static_cast<unsigned __int128>(units_);
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  while (static_cast<int>(digits.size()) <= scale_) digits.push_back('0');
  std::reverse(digits.begin(), digits.end());
  if (scale_ > 0) digits.insert(digits.end() - scale_, '.');
  if (units_ < 0) digits.insert(digits.begin(), '-');
  return digits;
}

Decimal Decimal::operator+(const Decimal& other) const {
  const int scale = std::max(scale_, other.scale_);
  const __int128 a = rescale(units_, scale_, scale);
  const __int128 b = rescale(other.units_, other.scale_, scale);
  __int128 sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) throw Error("decimal.overflow", "decimal sum out of range");
  return Decimal(sum, scale);
}

Decimal Decimal::operator-(const Decimal& other) const {
  const int scale = std::max(scale_, other.scale_);
  const __int128 a = rescale(units_, scale_, scale);
  const __int128 b = rescale(other.units_, other.scale_, scale);
  __int128 difference = 0;
  if (__builtin_sub_overflow(a, b, &difference)) throw Error("decimal.overflow", "decimal difference out of range");
  return Decimal(difference, scale);
}

std::strong_ordering Decimal::operator<=>(const Decimal& other) const noexcept {
  // Integer parts first, then fractions at a common scale: no rescaling of
  // the whole value, so no overflow whatever the scales.
  const __int128 ia = units_ / pow10(scale_), ib = other.units_ / pow10(other.scale_);
  if (ia != ib) return ia < ib ? std::strong_ordering::less : std::strong_ordering::greater;
  const __int128 fa = (units_ % pow10(scale_)) * pow10(max_scale - scale_);
  const __int128 fb = (other.units_ % pow10(other.scale_)) * pow10(max_scale - other.scale_);
  if (fa != fb) return fa < fb ? std::strong_ordering::less : std::strong_ordering::greater;
  return std::strong_ordering::equal;
}

}  // namespace qujat::model
