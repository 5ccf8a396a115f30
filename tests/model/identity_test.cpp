#include <gtest/gtest.h>

#include "qujat/model/identity.h"

using namespace qujat::model;

namespace {
// Replaces the last digit (the check digit) by the next one: an off-by-one typo.
std::string off_by_one(std::string number) {
  number.back() = static_cast<char>('0' + (number.back() - '0' + 1) % 10);
  return number;
}
}  // namespace

// BINs of real registered companies in the public examples of the BIN rules
// (python-stdnum's kz.bin doctests quote them).
TEST(Bin, RealRegisteredNumbersAreValid) {
  EXPECT_EQ(bin_defect("940140000385"), std::nullopt);
  EXPECT_EQ(bin_defect("990140004654"), std::nullopt);
}

TEST(Bin, OffByOneCheckDigitIsRejected) {
  EXPECT_EQ(bin_defect(off_by_one("940140000385")), IdentityDefect::check_digit);
  EXPECT_EQ(bin_defect(off_by_one("990140004654")), IdentityDefect::check_digit);
  EXPECT_EQ(bin_defect("040540001231"), IdentityDefect::check_digit);
}

TEST(Bin, StructureDigitsAreChecked) {
  EXPECT_EQ(bin_defect("941340000385"), IdentityDefect::registration_month);  // month 13
  EXPECT_EQ(bin_defect("940170000385"), IdentityDefect::entity_type);         // type 7
  EXPECT_EQ(bin_defect("940149000385"), IdentityDefect::entity_attribute);    // attribute 9
  EXPECT_EQ(bin_defect("94014000038"), IdentityDefect::length);
  EXPECT_EQ(bin_defect("9401400003851"), IdentityDefect::length);
  EXPECT_EQ(bin_defect("94014000038X"), IdentityDefect::not_digits);
  EXPECT_EQ(bin_defect(""), IdentityDefect::length);
}

TEST(Iin, RealFormatNumbersAreValid) {
  EXPECT_EQ(iin_defect("061211600012"), std::nullopt);  // born 2006-12-11, female
  EXPECT_EQ(iin_defect("850312301239"), std::nullopt);  // born 1985-03-12, male
  EXPECT_EQ(iin_defect("920715401231"), std::nullopt);  // born 1992-07-15, female
}

TEST(Iin, OffByOneCheckDigitIsRejected) {
  EXPECT_EQ(iin_defect(off_by_one("061211600012")), IdentityDefect::check_digit);
  EXPECT_EQ(iin_defect(off_by_one("850312301239")), IdentityDefect::check_digit);
}

TEST(Iin, CenturyDigitMustBeOneToSix) {
  // Same birth date and serial with digit 7 = 0, 7 and the check digit recomputed.
  for (char century : {'0', '7', '8', '9'}) {
    std::string first = "850312";
    first += century;
    first += "0123";
    const auto check = identity_check_digit(first);
    if (!check) continue;
    EXPECT_EQ(iin_defect(first + std::to_string(*check)), IdentityDefect::century_digit) << first;
  }
}

TEST(Iin, BirthDateMustBeARealDay) {
  for (std::string first : {"8513123012", "8502303012", "8504313012", "0102295012"}) {
    first += "3";
    const auto check = identity_check_digit(first);
    ASSERT_TRUE(check);
    EXPECT_EQ(iin_defect(first + std::to_string(*check)), IdentityDefect::birth_date) << first;
  }
  // 29 February exists in 2000 (century digit 5 -> 21st century), not in 1900 (digit 3).
  const auto leap = identity_check_digit("00022950123");
  ASSERT_TRUE(leap);
  EXPECT_EQ(iin_defect("00022950123" + std::to_string(*leap)), std::nullopt);
  const auto not_leap = identity_check_digit("00022930123");
  ASSERT_TRUE(not_leap);
  EXPECT_EQ(iin_defect("00022930123" + std::to_string(*not_leap)), IdentityDefect::birth_date);
}

TEST(Iin, DecodesBirthDateAndSex) {
  const auto holder = decode_iin("061211600012");
  ASSERT_TRUE(holder);
  EXPECT_EQ(holder->birth_date, qujat::Date(std::chrono::year{2006}, std::chrono::December, std::chrono::day{11}));
  EXPECT_EQ(holder->sex, Sex::female);
  const auto man = decode_iin("850312301239");
  ASSERT_TRUE(man);
  EXPECT_EQ(man->birth_date, qujat::Date(std::chrono::year{1985}, std::chrono::March, std::chrono::day{12}));
  EXPECT_EQ(man->sex, Sex::male);
  EXPECT_FALSE(decode_iin("850312301230"));
}

namespace {
// The first 11 digits of an IIN born 1985-03-12 with serial 0..9999.
std::string iin_prefix(int serial) {
  std::string digits = std::to_string(serial);
  return "8503123" + std::string(4 - digits.size(), '0') + digits;
}
}  // namespace

TEST(CheckDigit, SecondWeightRowWhenFirstGivesTen) {
  // 1*1+...: first row sums to 10 mod 11 for this prefix, the second row decides.
  std::string found;
  for (int serial = 0; serial < 10000 && found.empty(); ++serial) {
    const std::string prefix = iin_prefix(serial);
    int sum = 0;
    for (int i = 0; i < 11; ++i) sum += (prefix[i] - '0') * (i + 1);
    if (sum % 11 == 10) found = prefix;
  }
  ASSERT_FALSE(found.empty());
  const int weights[11] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
  int sum = 0;
  for (int i = 0; i < 11; ++i) sum += (found[i] - '0') * weights[i];
  const auto check = identity_check_digit(found);
  if (sum % 11 == 10) {
    EXPECT_FALSE(check) << "both rows give 10: never issued";
  } else {
    ASSERT_TRUE(check);
    EXPECT_EQ(*check, sum % 11);
    EXPECT_EQ(iin_defect(found + std::to_string(*check)), std::nullopt);
  }
}

TEST(CheckDigit, NumbersWhereBothRowsGiveTenAreNeverValid) {
  int seen = 0;
  for (int serial = 0; serial < 10000; ++serial) {
    const std::string prefix = iin_prefix(serial);
    if (identity_check_digit(prefix)) continue;
    ++seen;
    for (char d = '0'; d <= '9'; ++d) EXPECT_EQ(iin_defect(std::string(prefix) + d), IdentityDefect::check_digit);
  }
  EXPECT_GT(seen, 0);
}

TEST(Identity, NcaTestCertificatesCarryNumbersWithoutValidCheckDigits) {
  // The NCA test keys in tests/data/nca-test name IIN123456789011 and
  // BIN123456789021: placeholders, not issued numbers. The model says so;
  // pki must not reject a test certificate for it.
  EXPECT_EQ(iin_defect("123456789011"), IdentityDefect::century_digit);
  EXPECT_EQ(bin_defect("123456789021"), IdentityDefect::registration_month);
}
