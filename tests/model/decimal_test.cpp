#include <gtest/gtest.h>

#include "qujat/common/error.h"
#include "qujat/model/decimal.h"

using qujat::model::Decimal;

namespace {
Decimal d(const char* s) { return Decimal::from_string(s); }
}  // namespace

TEST(Decimal, StringRoundTripKeepsScale) {
  for (const char* s :
       {"0", "10", "125000.00", "1250.5", "0.00000001", "-3.5", "123456789012345678901234567890.12345678"})
    EXPECT_EQ(d(s).to_string(), s);
}

TEST(Decimal, RejectsWhatIsNotAPlainDecimal) {
  for (const char* s : {"", "-", ".5", "5.", "1e3", "+1", " 1", "1 ", "1,5", "0x10", "007", "1.123456789", "NaN",
                        "1234567890123456789012345678901"})
    EXPECT_FALSE(Decimal::parse(s)) << s;
  EXPECT_THROW(Decimal::from_string("1e3"), qujat::Error);
}

TEST(Decimal, AdditionIsExactWhereBinaryFloatingPointIsNot) {
  EXPECT_EQ((d("0.1") + d("0.2")).to_string(), "0.3");
  EXPECT_EQ(d("0.1") + d("0.2"), d("0.3"));
  EXPECT_EQ((d("125000.00") + d("0.01")).to_string(), "125000.01");
  EXPECT_EQ((d("61200.00") + d("9450.50")).to_string(), "70650.50");
  EXPECT_EQ((d("1") + d("0.005")).to_string(), "1.005");
  EXPECT_EQ((d("10") - d("10.5")).to_string(), "-0.5");
  Decimal sum;
  for (int i = 0; i < 1000; ++i) sum += d("0.01");
  EXPECT_EQ(sum, d("10"));
  EXPECT_EQ(sum.to_string(), "10.00");
}

TEST(Decimal, ComparesByValueWhateverTheScale) {
  EXPECT_EQ(d("1.5"), d("1.50"));
  EXPECT_EQ(d("125000"), d("125000.00"));
  EXPECT_LT(d("125000.00"), d("125000.01"));
  EXPECT_LT(d("-1.5"), d("-1.2"));
  EXPECT_LT(d("-0.5"), d("0.2"));
  EXPECT_GT(d("100000000000000000000000000000"), d("99999999999999999999999999999.99999999"));
  EXPECT_TRUE(d("0.00").is_zero());
  EXPECT_TRUE(d("-0.01").is_negative());
}

TEST(Decimal, OverflowIsAnErrorNotAWrongSum) {
  const Decimal big = d("999999999999999999999999999999.99999999");
  Decimal sum = big;
  EXPECT_THROW(
      {
        for (int i = 0; i < 10; ++i) sum += big;
      },
      qujat::Error);
}
