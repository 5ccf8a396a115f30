// IINs and BINs (exactly 12 digits) are masked in text bound for logs;
// shorter and longer digit runs are left alone.
#include "qujat/common/masking.h"

#include <gtest/gtest.h>

namespace {

TEST(Masking, TwelveDigitRunsKeepFourAndTwo) {
  EXPECT_EQ(qujat::mask_identifiers("780111300039"), "7801******39");
  EXPECT_EQ(qujat::mask_identifiers("IIN 780111300039, BIN 990340005977."), "IIN 7801******39, BIN 9903******77.");
  EXPECT_EQ(qujat::mask_identifiers("/a/780111300039/b"), "/a/7801******39/b");
  EXPECT_EQ(qujat::mask_identifiers("x780111300039y"), "x7801******39y");
}

TEST(Masking, OtherDigitRunsStay) {
  EXPECT_EQ(qujat::mask_identifiers("78011130003"), "78011130003");      // 11
  EXPECT_EQ(qujat::mask_identifiers("7801113000391"), "7801113000391");  // 13
  EXPECT_EQ(qujat::mask_identifiers("2026-03-20T10:00:00"), "2026-03-20T10:00:00");
  EXPECT_EQ(qujat::mask_identifiers(""), "");
}

}  // namespace
