#include "qujat/i18n/locale_format.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "qujat/common/error.h"
#include "qujat/common/resource_dirs.h"
#include "qujat/i18n/template_root.h"
#include "support/paths.h"

using namespace qujat::i18n;

TEST(LocaleFormat, DatesAsTheFormsPrintThem) {
  EXPECT_EQ(format_date("2026-01-09", "kk"), "9 қаңтар 2026 ж.");
  EXPECT_EQ(format_date("2026-01-09", "ru"), "9 января 2026 г.");
  EXPECT_EQ(format_date("2026-03-20", "kk"), "20 наурыз 2026 ж.");
  EXPECT_EQ(format_date("2026-03-20", "ru"), "20 марта 2026 г.");
  EXPECT_THROW(format_date("2026-02-30", "ru"), qujat::Error);
}

TEST(LocaleFormat, DecimalsKeepTheirDigitsWithLocaleSeparators) {
  // ICU kk and ru group with a no-break space and use a decimal comma.
  EXPECT_EQ(format_decimal("125000.00", "ru"), "125\u00a0000,00");
  EXPECT_EQ(format_decimal("125000.00", "kk"), "125\u00a0000,00");
  EXPECT_EQ(format_decimal("10", "kk"), "10");
  EXPECT_EQ(format_decimal("0.125", "ru"), "0,125");
  EXPECT_EQ(format_decimal("12345678901234567890.5", "ru"), "12\u00a0345\u00a0678\u00a0901\u00a0234\u00a0567\u00a0890,5");
  EXPECT_THROW(format_decimal("1e5", "ru"), qujat::Error);
  EXPECT_THROW(format_decimal("12.", "ru"), qujat::Error);
}

TEST(LocaleFormat, MoneyWithCurrencyDigits) {
  EXPECT_EQ(format_money("125000", "EUR", "ru"), "125\u00a0000,00\u00a0EUR");
  EXPECT_EQ(format_money("99.5", "KZT", "kk"), "99,50\u00a0KZT");
}

TEST(LocaleFormat, CountryAndCurrencyNames) {
  EXPECT_EQ(country_name("DE", "ru"), "Германия");
  EXPECT_EQ(country_name("KZ", "kk"), "Қазақстан");
  EXPECT_EQ(country_name("KZ", "ru"), "Казахстан");
  EXPECT_EQ(currency_name("EUR", "ru"), "евро");
  EXPECT_EQ(currency_name("KZT", "ru"), "казахский тенге");
  EXPECT_EQ(country_name("QQ", "ru"), "QQ");
}

TEST(LocaleFormat, KazakhUpperCase) {
  EXPECT_EQ(to_upper("әғқңөұүһі", "kk"), "ӘҒҚҢӨҰҮҺІ");
  EXPECT_EQ(to_upper("лицензия", "ru"), "ЛИЦЕНЗИЯ");
}

TEST(LocaleFormat, KazakhCollation) {
  std::vector<std::string> words{"өнім", "ұлт", "орын", "үй", "ақ", "әке", "бар"};
  sort_texts(words, "kk");
  EXPECT_EQ(words, (std::vector<std::string>{"ақ", "әке", "бар", "орын", "өнім", "ұлт", "үй"}));
  EXPECT_LT(collate("ы", "і", "kk"), 0);
}

TEST(TemplateRoot, ExplicitMissingFolderIsAnError) {
  EXPECT_THROW(locate_templates(std::filesystem::path("/nonexistent/templates")), qujat::Error);
}

TEST(TemplateRoot, ParsesOnceAndNamesMissingFiles) {
  TemplateRoot root(qujat::test::source_root() / "tests" / "data" / "templates");
  EXPECT_TRUE(root.common().is_object());
  EXPECT_EQ(&root.common(), &root.json("common.json"));
  try {
    root.json("nope/form.json");
    FAIL();
  } catch (const qujat::Error& e) {
    EXPECT_EQ(e.code(), "templates.missing");
  }
}

// The front end's choice (the CLI's $QUJAT_TEMPLATES, the service's [paths])
// wins; a chosen folder that does not exist is an error, not a fallback.
TEST(TemplateRoot, TheFrontEndChoosesTheFolder) {
  auto scratch = qujat::test::source_root() / "tests" / "data" / "templates";
  const auto before = qujat::resource_dirs();
  auto chosen = before;
  chosen.templates = scratch;
  qujat::set_resource_dirs(chosen);
  EXPECT_EQ(locate_templates(), scratch);
  chosen.templates = "/nonexistent/qujat-templates";
  qujat::set_resource_dirs(chosen);
  EXPECT_THROW(locate_templates(), qujat::Error);
  qujat::set_resource_dirs(before);
  EXPECT_EQ(locate_templates(), qujat::test::source_root() / "templates");
}
