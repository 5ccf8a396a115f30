// Every error of the MFA exchange reads in Kazakh, Russian and English
// (templates/messages/mfa.json): an officer looking at a parked check sees
// why it was not delivered in their language, with the technical detail
// beside it.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "qujat/i18n/messages.h"
#include "qujat/mfa/guarantee_exchange.h"
#include "support/paths.h"

namespace qujat::mfa {
namespace {

// The codes src/mfa raises: thrown as errors, refused to a callback, or
// answered as a SOAP fault. Read from the sources, so that a new code
// without wording fails here.
std::set<std::string> raised_codes() {
  const std::regex raised(R"re((?:Error\(|refuse\(\d+, |fault_envelope\()"(mfa\.[a-z_.]+)")re");
  std::set<std::string> codes;
  for (const auto& entry : std::filesystem::directory_iterator(test::source_root() / "src" / "mfa")) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string source = text.str();
    for (std::sregex_iterator it(source.begin(), source.end(), raised), end; it != end; ++it)
      codes.insert((*it)[1].str());
  }
  return codes;
}

TEST(MfaMessages, EveryCodeTheExchangeRaisesHasKazakhRussianAndEnglishWording) {
  const auto& catalogue = i18n::MessageCatalogue::standard("mfa");
  const auto codes = raised_codes();
  EXPECT_GE(codes.size(), 15u);  // the scan found the sources
  for (const auto& code : codes) {
    ASSERT_TRUE(catalogue.has(code)) << code << " has no wording in templates/messages/mfa.json";
    const auto m = catalogue.render(code, {});
    EXPECT_FALSE(m.kk.empty() || m.ru.empty() || m.en.empty()) << code;
    EXPECT_NE(m.kk, m.ru) << code;
    EXPECT_NE(m.ru, m.en) << code;
  }
}

TEST(MfaMessages, TheCatalogueHoldsNoCodeTheExchangeCannotRaise) {
  const auto codes = raised_codes();
  const auto catalogue = nlohmann::json::parse(std::ifstream(test::source_root() / "templates/messages/mfa.json"));
  for (const auto& [code, texts] : catalogue["messages"].items()) {
    if (code == "mfa.delivery") continue;  // the wording of a failure recorded without a code
    EXPECT_TRUE(codes.count(code)) << code << " is in mfa.json but src/mfa never raises it";
  }
}

TEST(MfaMessages, ARecordedFailureIsExplainedByItsCode) {
  const auto e = attempt_error("mfa.transport: no answer from http://127.0.0.1:9/mfa: Couldn't connect to server");
  EXPECT_EQ(e.code, "mfa.transport");
  EXPECT_EQ(e.detail, "no answer from http://127.0.0.1:9/mfa: Couldn't connect to server");
  EXPECT_EQ(e.message.ru, "Шлюз МИД не ответил (сеть, тайм-аут или TLS)");
  EXPECT_EQ(to_json(e)["message"]["kk"], "СІМ шлюзі жауап бермеді (желі, күту уақыты немесе TLS)");
}

TEST(MfaMessages, AFailureWithoutAKnownCodeIsAnUndeliveredRequestWithItsTextKept) {
  for (const std::string text : {"std::bad_alloc", "mfa.unheard_of: something", ": starts with a colon"}) {
    const auto e = attempt_error(text);
    EXPECT_EQ(e.code, "mfa.delivery") << text;
    EXPECT_EQ(e.message.en, "the request was not delivered to the MFA") << text;
  }
  EXPECT_EQ(attempt_error("std::bad_alloc").detail, "std::bad_alloc");
  EXPECT_EQ(attempt_error("mfa.unheard_of: something").detail, "mfa.unheard_of: something");
}

}  // namespace
}  // namespace qujat::mfa
