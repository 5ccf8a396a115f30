// PDF date strings written and read by qujat itself (PoDoFo's PdfDate goes
// through localtime(), which races between rendering threads).
#include <gtest/gtest.h>

#include "render/pdf_date.h"

using namespace qujat;
using qujat::render::parse_pdf_date;
using qujat::render::pdf_date;

TEST(PdfDate, WrittenInUtcWithAnExplicitOffset) {
  EXPECT_EQ(pdf_date(*parse_instant("2022-12-01T10:00:00Z")), "D:20221201100000+00'00'");
  EXPECT_EQ(pdf_date(*parse_instant("2026-01-09T23:59:59Z")), "D:20260109235959+00'00'");
}

TEST(PdfDate, ReadBackWithEveryOffsetForm) {
  const Instant t = *parse_instant("2022-12-01T10:00:00Z");
  EXPECT_EQ(parse_pdf_date(pdf_date(t)), t);
  EXPECT_EQ(parse_pdf_date("D:20221201100000Z"), t);
  EXPECT_EQ(parse_pdf_date("D:20221201150000+05'00'"), t);  // Astana
  EXPECT_EQ(parse_pdf_date("D:20221201153000+05'30"), t);  // the closing apostrophe may be left out
  EXPECT_EQ(parse_pdf_date("D:20221201050000-05'00'"), t);
  EXPECT_EQ(parse_pdf_date("20221201100000"), t);  // the "D:" prefix is optional
  EXPECT_EQ(parse_pdf_date("D:2022"), *parse_instant("2022-01-01T00:00:00Z"));
}

TEST(PdfDate, NonsenseIsNoDate) {
  for (const char* bad : {"", "D:", "D:22", "D:2022130112", "D:20220230", "D:20221201250000", "D:20221201100000X",
                          "D:20221201100000+5", "D:2022x201", "yesterday"})
    EXPECT_EQ(parse_pdf_date(bad), std::nullopt) << bad;
}
