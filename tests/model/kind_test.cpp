#include <gtest/gtest.h>

#include <set>

#include "qujat/model/kind.h"

using namespace qujat::model;

TEST(Kind, ThirteenKindsWithUniqueNamesThatRoundTrip) {
  std::set<std::string_view> names;
  for (Kind k : all_kinds()) {
    const auto name = kind_name(k);
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(parse_kind(name), k);
  }
  EXPECT_EQ(names.size(), 13u);
}

TEST(Kind, NamesAreThoseOfTheContract) {
  EXPECT_EQ(parse_kind("export-licence"), Kind::export_licence);
  EXPECT_EQ(parse_kind("euc"), Kind::euc);
  EXPECT_EQ(parse_kind("classification-conclusion"), Kind::classification_conclusion);
  EXPECT_FALSE(parse_kind("export_licence"));
  EXPECT_FALSE(parse_kind("Export-Licence"));
  EXPECT_FALSE(parse_kind("export-license"));
  EXPECT_FALSE(parse_kind(""));
}
