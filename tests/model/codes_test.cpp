#include <gtest/gtest.h>

#include "qujat/model/codes.h"

using namespace qujat::model;

TEST(CommodityCode, TenDigitsExactly) {
  EXPECT_TRUE(is_commodity_code("8543709000"));
  EXPECT_TRUE(is_commodity_code("1001990000"));
  EXPECT_FALSE(is_commodity_code("854370900"));    // 9 digits
  EXPECT_FALSE(is_commodity_code("85437090001"));  // 11
  EXPECT_FALSE(is_commodity_code("8543 709000"));
  EXPECT_FALSE(is_commodity_code("8543.70.90"));
  EXPECT_FALSE(is_commodity_code("854370900O"));  // letter O
  EXPECT_FALSE(is_commodity_code(""));
}

TEST(ControlCode, ListFormats) {
  for (const char* ok :
       {"5A002", "1C350", "10C905", "10C906", "0A001", "9A515", "ML1", "ML22", "ML8.a", "5A002.a.1", "3A001.b.2.a"})
    EXPECT_TRUE(is_control_code(ok)) << ok;
  for (const char* bad : {"5X002", "5A02", "5A0022", "11C350", "A002", "ml1", "ML0", "ML23", "ML", "5a002", "5A002.",
                          "5A002..a", "5A002.A", " 5A002", ""})
    EXPECT_FALSE(is_control_code(bad)) << bad;
}

TEST(UnitCode, ThreeDigits) {
  EXPECT_TRUE(is_unit_code("796"));
  EXPECT_TRUE(is_unit_code("166"));
  EXPECT_TRUE(is_unit_code("006"));
  EXPECT_FALSE(is_unit_code("79"));
  EXPECT_FALSE(is_unit_code("шт"));
}

TEST(IsoCodes, CountriesFromTheIsoTable) {
  for (const char* ok : {"KZ", "DE", "CN", "UZ", "KG", "AF", "AE", "US", "FR", "IN"})
    EXPECT_TRUE(is_country_code(ok)) << ok;
  for (const char* bad : {"XX", "kz", "KAZ", "SU", "", "K"}) EXPECT_FALSE(is_country_code(bad)) << bad;
}

TEST(IsoCodes, CurrenciesFromTheIsoTable) {
  for (const char* ok : {"KZT", "EUR", "USD", "RUB", "CNY"}) EXPECT_TRUE(is_currency_code(ok)) << ok;
  for (const char* bad : {"EUX", "eur", "EU", "TENGE", ""}) EXPECT_FALSE(is_currency_code(bad)) << bad;
}
