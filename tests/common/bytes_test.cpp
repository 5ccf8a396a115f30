#include <gtest/gtest.h>

#include "qujat/common/bytes.h"
#include "qujat/common/time.h"

using namespace qujat;

TEST(Base64, RoundTripsEveryPaddingLength) {
  for (const std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    const auto decoded = base64_decode(base64_encode(as_bytes(s)));
    ASSERT_TRUE(decoded.has_value()) << s;
    EXPECT_EQ(as_chars(*decoded), s);
  }
  EXPECT_EQ(base64_encode(as_bytes("foobar")), "Zm9vYmFy");
}

TEST(Base64, RejectsTruncatedAndForeignCharacters) {
  EXPECT_FALSE(base64_decode("Zm9vYm").has_value());
  EXPECT_FALSE(base64_decode("Zm9v*mFy").has_value());
  EXPECT_FALSE(base64_decode("Zg==Zg==").has_value());
  EXPECT_TRUE(base64_decode("Zm9v\r\nYmFy").has_value());
}

TEST(Base64, WrapsLikeKalkan) {
  const Bytes data(100, 0xAB);
  const auto wrapped = base64_encode_wrapped(data, 76, "&#13;\n");
  EXPECT_NE(wrapped.find("&#13;\n"), std::string::npos);
  EXPECT_EQ(wrapped.find("&#13;\n"), 76u);
}

TEST(Time, ParsesInstantsWithZones) {
  const auto utc = parse_instant("2021-06-01T00:00:00Z");
  const auto almaty = parse_instant("2021-06-01T05:00:00+05:00");
  ASSERT_TRUE(utc && almaty);
  EXPECT_EQ(*utc, *almaty);
  EXPECT_EQ(format_instant_utc(*utc), "2021-06-01T00:00:00Z");
  EXPECT_FALSE(parse_instant("2021-06-01T00:00:00").has_value());
  EXPECT_FALSE(parse_instant("2021-02-30T00:00:00Z").has_value());
}

TEST(Time, ParsesOnlyRealDates) {
  EXPECT_TRUE(parse_date("2024-02-29").has_value());
  EXPECT_FALSE(parse_date("2023-02-29").has_value());
  EXPECT_FALSE(parse_date("2023-2-09").has_value());
}
