// Every finding of `qujat verify` reads in Kazakh, Russian and English
// (templates/messages/verify.json), with the signature, reference or element
// and the reason named in each language.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "qujat/common/bytes.h"
#include "qujat/dsig/xmldsig.h"
#include "qujat/i18n/messages.h"
#include "support/findings.h"
#include "support/nca_material.h"

namespace qujat::dsig {
namespace {

bool has_kazakh_letter(const std::string& text) {
  for (const char* letter : {"ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і", "Ә", "Ғ", "Қ", "Ң", "Ө", "Ұ", "Ү", "Һ", "І"})
    if (text.find(letter) != std::string::npos) return true;
  return false;
}

TEST(VerifyMessages, EveryCodeHasKazakhRussianAndEnglishWording) {
  // Loaded from the file, not the fallback: a missing file would hide here.
  const auto& catalogue = i18n::MessageCatalogue::standard("verify");
  std::set<std::string_view> seen;
  for (const auto& spec : verification_codes()) {
    EXPECT_TRUE(seen.insert(spec.code).second) << "listed twice: " << spec.code;
    ASSERT_TRUE(catalogue.has(spec.code)) << spec.code;
    // Every placeholder of the wording is a param the code fills...
    for (const auto& name : catalogue.placeholders(spec.code))
      EXPECT_NE(std::find(spec.params.begin(), spec.params.end(), name), spec.params.end())
          << spec.code << ": {" << name << "} is never filled";
    Params params;
    for (auto name : spec.params) params[std::string(name)] = "<" + std::string(name) + ">";
    const auto m = catalogue.render(spec.code, params);
    // ...and every param the code fills is named in each language.
    for (auto name : spec.params)
      for (const std::string* text : {&m.kk, &m.ru, &m.en})
        EXPECT_NE(text->find("<" + std::string(name) + ">"), std::string::npos)
            << spec.code << " does not name " << name << ": " << *text;
    EXPECT_TRUE(has_kazakh_letter(m.kk)) << spec.code << ": " << m.kk;
    EXPECT_NE(m.ru, m.en) << spec.code;
  }
  EXPECT_GE(seen.size(), 100u);
}

TEST(VerifyMessages, TheCatalogueHoldsNoCodeTheVerifierCannotEmit) {
  // A stale entry would suggest a check that no longer exists.
  const auto catalogue = nlohmann::json::parse(
      std::string(as_chars(read_file((test::source_dir() / "templates/messages/verify.json").string()))));
  for (const auto& [code, texts] : catalogue["messages"].items()) {
    if (code.rfind("text.", 0) == 0) continue;  // labels of the text report
    EXPECT_NE(test::code_spec(code), nullptr) << code << " is in verify.json but not in verification_codes()";
  }
}

TEST(VerifyMessages, AWrappedFindingCarriesTheInnerMessageInEachLanguage) {
  const Problem inner = describe({"cms.message_digest_mismatch", {{"signature", "1"}}});
  const Problem outer = describe({"timestamp.tsa", {}}, inner);
  EXPECT_EQ(outer.code, "timestamp.tsa");
  EXPECT_EQ(outer.params.at("cause"), "cms.message_digest_mismatch");
  EXPECT_NE(outer.message.kk.find(inner.message.kk), std::string::npos) << outer.message.kk;
  EXPECT_NE(outer.message.ru.find(inner.message.ru), std::string::npos) << outer.message.ru;
  EXPECT_NE(outer.message.en.find(inner.message.en), std::string::npos) << outer.message.en;
}

TEST(VerifyMessages, AnErrorWithoutWordingStillGetsACodeAndItsText) {
  const Finding f = finding_of(Error("dsig.xmlsec", "cannot create an xmlsec key"), {{"signature", "2"}});
  EXPECT_EQ(f.code, "signature.error");
  EXPECT_EQ(f.params.at("error"), "dsig.xmlsec");
  const Problem p = describe(f);
  test::expect_worded(p);
  EXPECT_NE(p.message.kk.find("2-қолтаңба"), std::string::npos) << p.message.kk;
  EXPECT_NE(p.message.ru.find("cannot create an xmlsec key"), std::string::npos) << p.message.ru;
}

// ---- the hostile corpus (tests/data/hostile/) ----

struct HostileCode {
  const char* file;
  const char* code;
  const char* kk;  // words of the Kazakh message that name the element or value
  const char* ru;
};

void PrintTo(const HostileCode& c, std::ostream* os) { *os << c.file; }

class HostileWording : public ::testing::TestWithParam<HostileCode> {};

TEST_P(HostileWording, NamesTheReasonInKazakhRussianAndEnglish) {
  const auto& c = GetParam();
  Bytes data = read_file((test::source_dir() / "tests/data/hostile" / c.file).string());
  VerifyOptions options;
  options.at = parse_instant("2025-01-01T00:00:00Z");
  const VerificationReport report = verify_xml(as_chars(data), options);
  ASSERT_FALSE(report.valid);
  test::expect_all_worded(report);
  const auto p = test::find_problem(report, c.code);
  ASSERT_TRUE(p.has_value()) << c.code << "\n" << report.to_json_text(2);
  EXPECT_NE(p->message.kk.find(c.kk), std::string::npos) << p->message.kk;
  EXPECT_NE(p->message.ru.find(c.ru), std::string::npos) << p->message.ru;
  EXPECT_TRUE(has_kazakh_letter(p->message.kk)) << p->message.kk;
  // The text report in Kazakh carries the same message.
  EXPECT_NE(report.to_text(i18n::Language::kk).find(p->message.kk), std::string::npos)
      << report.to_text(i18n::Language::kk);
}

INSTANTIATE_TEST_SUITE_P(
    Files, HostileWording,
    ::testing::Values(
        HostileCode{"xxe-local-file.xml", "xml.doctype.entity", "«xxe» нысаны (entity)", "сущность (entity) «xxe»"},
        HostileCode{"xxe-parameter-entity-network.xml", "xml.doctype.entity", "«remote»", "«remote»"},
        HostileCode{"external-dtd.xml", "xml.doctype.external_dtd", "сыртқы DTD", "внешний DTD"},
        HostileCode{"billion-laughs.xml", "xml.doctype.entity", "қабылданбайды", "не принимаются"},
        HostileCode{"external-reference-uri.xml", "dsig.forbidden.reference_uri", "http://example.invalid/payload.xml",
                    "http://example.invalid/payload.xml"},
        HostileCode{"xpointer-reference-uri.xml", "dsig.forbidden.reference_uri", "1-сілтеменің URI", "у ссылки 1 URI"},
        HostileCode{"xslt-transform.xml", "dsig.forbidden.transform", "XSLT", "без XSLT"},
        HostileCode{"xpath-transform.xml", "dsig.forbidden.transform", "REC-xpath-19991116", "REC-xpath-19991116"},
        HostileCode{"wrapped-signed-element.xml", "xmldsig.not_whole_document", "түбір элементін", "корневой элемент"},
        HostileCode{"duplicated-signed-element.xml", "xml.duplicate_id", "«app» идентификаторы", "(ID) «app»"},
        HostileCode{"duplicate-ids.xml", "xml.duplicate_id", "«p» идентификаторы", "(ID) «p»"},
        HostileCode{"truncated-base64-signature-value.xml", "dsig.malformed.base64", "ds:SignatureValue мәні",
                    "значение ds:SignatureValue"},
        HostileCode{"enormous-nesting.xml", "xml.too_deep", "256 деңгейден", "глубже 256 уровней"},
        HostileCode{"wrong-certificate-in-keyinfo.xml", "signature.value_mismatch", "SignatureValue", "SignatureValue"},
        HostileCode{"retrieval-method.xml", "dsig.forbidden.retrieval_method", "RetrievalMethod", "RetrievalMethod"},
        HostileCode{"unsigned-document.xml", "xmldsig.no_signature", "ds:Signature элементі жоқ", "нет элемента ds:Signature"},
        HostileCode{"not-xml.xml", "xml.malformed.not_well_formed", "дұрыс құрылмаған", "построен неправильно"}));

TEST(HostileWording, EveryFileHasACase) {
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(test::source_dir() / "tests/data/hostile"))
    files += e.path().extension() == ".xml" ? 1 : 0;
  EXPECT_EQ(files, 17u);
}

// ---- the acceptance tamper cases on a real Kalkan signature ----

std::string tampered(const std::string& from, const std::string& to) {
  Bytes b = read_file(test::nca("xml/rsa-sha256-signed.xml"));
  std::string xml(as_chars(b));
  const auto pos = xml.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) xml.replace(pos, from.size(), to);
  return xml;
}

VerificationReport verify_2021(const std::string& xml) {
  VerifyOptions o;
  o.trust.add_anchors_from(test::nca("ca"));
  o.at = parse_instant("2021-06-01T00:00:00Z");
  return verify_xml(xml, o);
}

TEST(VerifyMessagesNca, AChangedCharacterOfSignedContentIsNamedInKazakhAndRussian) {
  const auto report = verify_2021(tampered("<b>test</b>", "<b>tesT</b>"));
  ASSERT_EQ(report.exit_code(), 1) << report.to_text();
  test::expect_all_worded(report);
  const auto p = test::find_problem(report, "reference.digest_mismatch");
  ASSERT_TRUE(p.has_value()) << report.to_json_text(2);
  EXPECT_EQ(p->params.at("signature"), "1");
  EXPECT_EQ(p->params.at("reference"), "1");
  EXPECT_NE(p->message.kk.find("1-қолтаңба: 1-сілтеме"), std::string::npos) << p->message.kk;
  EXPECT_NE(p->message.kk.find("қол қойылған мазмұн немесе DigestValue өзгертілген"), std::string::npos) << p->message.kk;
  EXPECT_NE(p->message.ru.find("Подпись 1: ссылка 1"), std::string::npos) << p->message.ru;
  EXPECT_NE(p->message.ru.find("изменено подписанное содержимое или DigestValue"), std::string::npos) << p->message.ru;
  EXPECT_NE(report.to_text(i18n::Language::ru).find("ПРОВЕРКА НЕ ПРОЙДЕНА"), std::string::npos);
}

TEST(VerifyMessagesNca, AChangedDigestValueIsNamedInKazakhAndRussian) {
  const auto report = verify_2021(tampered("9KpJreFMA6K98", "9KpJreFMA6K99"));
  ASSERT_EQ(report.exit_code(), 1) << report.to_text();
  test::expect_all_worded(report);
  const auto p = test::find_problem(report, "reference.digest_mismatch");
  ASSERT_TRUE(p.has_value()) << report.to_json_text(2);
  EXPECT_NE(p->message.kk.find("DigestValue мәніне сәйкес келмейді"), std::string::npos) << p->message.kk;
  EXPECT_NE(p->message.ru.find("не совпадает с его DigestValue"), std::string::npos) << p->message.ru;
}

TEST(VerifyMessagesNca, AChangedSignatureValueIsNamedInKazakhAndRussian) {
  const auto report = verify_2021(tampered("aAeSW+p2AfXts7", "aAeSW+p2AfXts8"));
  ASSERT_EQ(report.exit_code(), 1) << report.to_text();
  test::expect_all_worded(report);
  const auto p = test::find_problem(report, "signature.value_mismatch");
  ASSERT_TRUE(p.has_value()) << report.to_json_text(2);
  EXPECT_EQ(test::find_problem(report, "reference.digest_mismatch"), std::nullopt) << "the content was not changed";
  EXPECT_NE(p->message.kk.find("1-қолтаңба: қолтаңба мәні (SignatureValue)"), std::string::npos) << p->message.kk;
  EXPECT_NE(p->message.ru.find("Подпись 1: значение подписи (SignatureValue) не соответствует"), std::string::npos)
      << p->message.ru;
  const std::string kk = report.to_text(i18n::Language::kk);
  EXPECT_NE(kk.find("ТЕКСЕРУДЕН ӨТПЕДІ"), std::string::npos) << kk;
  EXPECT_NE(kk.find("қате: " + p->message.kk), std::string::npos) << kk;
}

TEST(VerifyMessagesNca, TheJsonCarriesProblemsBesideErrors) {
  const auto j = verify_2021(tampered("<b>test</b>", "<b>tesT</b>")).to_json();
  ASSERT_TRUE(j.contains("problems"));
  const auto& s = j["signatures"][0];
  ASSERT_EQ(s["problems"].size(), s["errors"].size());
  const auto& p = s["problems"][0];
  EXPECT_EQ(p["code"], "reference.digest_mismatch");
  EXPECT_EQ(p["params"]["reference"], "1");
  for (const char* lang : {"kk", "ru", "en"}) EXPECT_TRUE(p["message"][lang].is_string()) << lang;
  // The English errors, the CLI contract, are the catalogue's "en" wording of
  // the same findings: worded once, in templates/messages/verify.json.
  EXPECT_NE(s["errors"][0].get<std::string>().find("signature 1: reference 1 (URI=\"\")"), std::string::npos);
  for (std::size_t i = 0; i < s["errors"].size(); ++i) EXPECT_EQ(s["errors"][i], s["problems"][i]["message"]["en"]);
}

TEST(VerifyMessagesNca, AnExpiredCertificateAndTheMissingAnchorsAreWorded) {
  Bytes b = read_file(test::nca("xml/rsa-sha256-signed.xml"));
  VerifyOptions o;
  o.at = parse_instant("2022-12-01T00:00:00Z");
  const auto report = verify_xml(as_chars(b), o);
  test::expect_all_worded(report);
  const auto expired = test::find_problem(report, "certificate.expired");
  ASSERT_TRUE(expired.has_value()) << report.to_json_text(2);
  EXPECT_EQ(expired->params.at("at"), "2022-12-01T00:00:00Z");
  EXPECT_NE(expired->message.kk.find("қолданылу мерзімі"), std::string::npos) << expired->message.kk;
  EXPECT_NE(expired->message.ru.find("истёк"), std::string::npos) << expired->message.ru;
  const auto anchors = test::find_problem(report, "chain.no_anchors");
  ASSERT_TRUE(anchors.has_value());
  EXPECT_NE(anchors->message.kk.find("ЖСН"), std::string::npos) << anchors->message.kk;
}

}  // namespace
}  // namespace qujat::dsig
