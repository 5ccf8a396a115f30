// Dates in the documents' sentences, from templates/dates.json: Kazakh month
// names declined as the sentence needs them (the seeds' "2026 жылғы 9
// қаңтардағы", "... бастап", "... дейін"), Russian in the genitive.
#include "qujat/i18n/date_grammar.h"

#include <gtest/gtest.h>

#include <fstream>

#include "qujat/common/error.h"
#include "support/paths.h"

using qujat::i18n::DateGrammar;

namespace {

const nlohmann::json& dates() {
  static const nlohmann::json data = [] {
    std::ifstream in(qujat::test::source_root() / "templates" / "dates.json");
    return nlohmann::json::parse(in);
  }();
  return data;
}

qujat::Date day(const char* iso) { return *qujat::parse_date(iso); }

}  // namespace

TEST(DateGrammar, TheTemplatesDataIsComplete) { EXPECT_EQ(DateGrammar(dates()).defects(), std::vector<std::string>{}); }

TEST(DateGrammar, KazakhAttributiveAsTheSeedsWriteIt) {
  DateGrammar g(dates());
  // 003 lines 5 and 90: "2026 жылғы 9 қаңтардағы № 4 бұйрығы"; line 3 "2023 жылғы 28 сәуірдегі".
  EXPECT_EQ(g.format(day("2026-01-09"), "kk", "attributive"), "2026 жылғы 9 қаңтардағы");
  EXPECT_EQ(g.format(day("2023-04-28"), "kk", "attributive"), "2023 жылғы 28 сәуірдегі");
  EXPECT_EQ(g.format(day("2021-09-14"), "kk", "attributive"), "2021 жылғы 14 қыркүйектегі");
  EXPECT_EQ(g.format(day("2026-03-20"), "kk", "attributive"), "2026 жылғы 20 наурыздағы");
}

TEST(DateGrammar, KazakhAblativeDativeAndLocative) {
  DateGrammar g(dates());
  EXPECT_EQ(g.format(day("2026-04-01"), "kk", "ablative"), "2026 жылғы 1 сәуірден");
  EXPECT_EQ(g.format(day("2026-06-01"), "kk", "ablative"), "2026 жылғы 1 маусымнан");
  EXPECT_EQ(g.format(day("2026-02-01"), "kk", "ablative"), "2026 жылғы 1 ақпаннан");
  EXPECT_EQ(g.format(day("2027-03-31"), "kk", "dative"), "2027 жылғы 31 наурызға");
  EXPECT_EQ(g.format(day("2026-09-30"), "kk", "dative"), "2026 жылғы 30 қыркүйекке");
  EXPECT_EQ(g.format(day("2026-07-31"), "kk", "dative"), "2026 жылғы 31 шілдеге");
  // 003 line 5: "2026 жылғы 13 қаңтарда ... тіркелді".
  EXPECT_EQ(g.format(day("2026-01-13"), "kk", "locative"), "2026 жылғы 13 қаңтарда");
  EXPECT_EQ(g.format(day("2026-12-31"), "kk", "locative"), "2026 жылғы 31 желтоқсанда");
}

TEST(DateGrammar, KazakhPlainDateInABox) {
  // 002 line 387: "Берілген күні: ____ жылғы " ____ " _____".
  EXPECT_EQ(DateGrammar(dates()).format(day("2026-01-09"), "kk"), "2026 жылғы 9 қаңтар");
}

TEST(DateGrammar, RussianGenitiveInEveryRole) {
  DateGrammar g(dates());
  EXPECT_EQ(g.format(day("2026-04-01"), "ru"), "1 апреля 2026 г.");
  for (const char* role : {"attributive", "ablative", "dative", "locative"})
    EXPECT_EQ(g.format(day("2026-04-01"), "ru", role), "1 апреля 2026 г.") << role;
  EXPECT_EQ(g.format(day("2027-03-31"), "ru", "dative"), "31 марта 2027 г.");
  EXPECT_EQ(g.format(day("2026-05-09"), "ru"), "9 мая 2026 г.");
}

TEST(DateGrammar, NumericAsTheTradeForms) {
  DateGrammar g(dates());
  EXPECT_EQ(g.format(day("2026-05-01"), "kk", "numeric"), "01.05.2026");
  EXPECT_EQ(g.format(day("2027-04-30"), "ru", "numeric"), "30.04.2027");
}

TEST(DateGrammar, EveryMonthInEveryKazakhForm) {
  DateGrammar g(dates());
  const char* attributive[] = {"қаңтардағы", "ақпандағы", "наурыздағы",   "сәуірдегі", "мамырдағы",  "маусымдағы",
                               "шілдедегі",  "тамыздағы", "қыркүйектегі", "қазандағы", "қарашадағы", "желтоқсандағы"};
  for (unsigned m = 1; m <= 12; ++m) {
    const qujat::Date d{std::chrono::year{2026}, std::chrono::month{m}, std::chrono::day{1}};
    EXPECT_EQ(g.format(d, "kk", "attributive"), std::string("2026 жылғы 1 ") + attributive[m - 1]);
  }
}

TEST(DateGrammar, MissingDataIsNamed) {
  const nlohmann::json broken = {{"forms", {{"kk", {{"plain", "{year} {month:genitive}"}}}}}, {"months", {{"kk", {}}}}};
  DateGrammar g(broken);
  EXPECT_FALSE(g.defects().empty());
  try {
    g.format(day("2026-01-09"), "kk");
    FAIL();
  } catch (const qujat::Error& e) {
    EXPECT_EQ(e.code(), "i18n.date_grammar");
    EXPECT_NE(std::string(e.what()).find("genitive"), std::string::npos) << e.what();
  }
  EXPECT_THROW(g.format(day("2026-01-09"), "ru"), qujat::Error);
  const nlohmann::json typo = {{"forms", {{"kk", {{"plain", "{yaer}"}}}}}, {"months", nlohmann::json::object()}};
  EXPECT_THROW(DateGrammar(typo).format(day("2026-01-09"), "kk"), qujat::Error);
  EXPECT_FALSE(DateGrammar(typo).defects().empty());
}
